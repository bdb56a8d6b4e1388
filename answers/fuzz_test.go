package answers

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/config"
)

// FuzzParse feeds the answers-file parser arbitrary bytes: it must never
// panic; every error must be one line naming the file; and whatever it
// accepts must survive a round trip through Marshal unchanged.
func FuzzParse(f *testing.F) {
	base := func() string {
		data, err := Answers{Version: "(devel)", Inputs: config.Default("p"), Vars: map[string]string{"team": "ops"},
			Files: []Entry{{Path: "a", SHA256: Sum(nil)}}}.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		return string(data)
	}()
	f.Add(base)
	for _, edit := range [][2]string{
		{"size: 4096", "size: 2MiB"}, {"size: 4096", "size: 4096.9"}, {"size: 4096", "size: [1]"},
		{"name: dllmemfilemap", `name: 'Local\x'`}, {"files:", "files: x\nx:"}, {"inputs:", "inputs: &a\n  x: *a\ny:"},
		{"lock-timeout: 5s", "lock-timeout: 2h"}, {"version: (devel)", "version: !!binary AA=="},
	} {
		f.Add(strings.Replace(base, edit[0], edit[1], 1))
	}
	f.Add("a: &a [*a, *a]\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, data string) {
		a, err := Parse("shmemgen.yaml", []byte(data), config.Default("p"))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error: %v", err, err)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "shmemgen.yaml") || strings.Contains(msg, "\n") {
				t.Fatalf("error does not name the file on one line: %q", msg)
			}
			return
		}
		out, err := a.Marshal()
		if err != nil {
			t.Fatalf("accepted answers do not marshal: %v", err)
		}
		b, err := Parse("shmemgen.yaml", out, config.Default("p"))
		if err != nil {
			t.Fatalf("accepted answers do not read back: %v\n%s", err, out)
		}
		if len(a.Vars) == 0 && len(b.Vars) == 0 {
			a.Vars, b.Vars = nil, nil
		}
		if len(a.Files) == 0 && len(b.Files) == 0 {
			a.Files, b.Files = nil, nil
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("round trip changed the answers:\n got %+v\nwant %+v", b, a)
		}
	})
}
