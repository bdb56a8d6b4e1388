package gen

import (
	"path"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/config"
)

// TestProductNamesNoFlags: the generated code speaks of what the project
// is, not of how shmemgen was asked for it. No Go, C or resource file names
// one of shmemgen's flags (each input's answers key is its flag's name),
// except on a line that says how to run shmemgen.
func TestProductNamesNoFlags(t *testing.T) {
	var names []string
	typ := reflect.TypeFor[config.Config]()
	for i := range typ.NumField() {
		key, _, _ := strings.Cut(typ.Field(i).Tag.Get("yaml"), ",")
		if key == "unlink" || key == "record" {
			// The hosts have an --unlink of their own (bin/parent --unlink
			// removes a stale Linux segment), which the texts name; the input
			// of that name only names an export. Likewise their --record
			// (parent --record JSON, child --record, issue 19), which
			// writes and prints the record the input declares.
			continue
		}
		names = append(names, regexp.QuoteMeta(key))
	}
	flag := regexp.MustCompile(`--(` + strings.Join(names, "|") + `)\b`)
	for _, change := range []func(*config.Config){
		func(c *config.Config) {},
		func(c *config.Config) { c.Trust = config.TrustHeader },
		func(c *config.Config) { c.Trust, c.Owner = config.TrustNamespace, "S-1-5-18" },
		func(c *config.Config) { c.Owner, c.SDDL = "S-1-5-18", "D:P(A;;GA;;;SY)S:(ML;;NW;;;LW)" },
		func(c *config.Config) { c.OS, c.Arch = "windows,linux", "amd64,386" },
	} {
		c := config.Default("x")
		change(&c)
		files, err := Render(c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			switch path.Ext(f.Path) {
			case ".go", ".c", ".h", ".rc":
			default:
				continue
			}
			for i, line := range strings.Split(string(f.Data), "\n") {
				if flag.MatchString(line) && !strings.Contains(line, "shmemgen") {
					t.Errorf("%s:%d names a flag: %s", f.Path, i+1, strings.TrimSpace(line))
				}
			}
		}
	}
}

// TestStatusErrorsShort: a Status's Error is a phrase a log line can
// carry; what it means is its constant's doc comment.
func TestStatusErrorsShort(t *testing.T) {
	for _, s := range statuses {
		if s.Short == "" || len(s.Short) > 60 || strings.ContainsAny(s.Short, ".;\n") {
			t.Errorf("%s: Error says %q: want a short phrase", s.Name, s.Short)
		}
		if len(s.Doc) <= len(s.Short) {
			t.Errorf("%s: the doc comment %q says no more than the error", s.Name, s.Doc)
		}
	}
}
