package answers

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/shmemgen/shmemgen/config"
)

// TestEveryInputHasAKey guards the one place where config and answers
// meet: a config field without a yaml tag would be recorded under a key
// nobody chose.
func TestEveryInputHasAKey(t *testing.T) {
	typ := reflect.TypeFor[config.Config]()
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if name, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); name == "" {
			t.Errorf("config.Config.%s has no yaml tag: give it the name of its flag", f.Name)
		}
	}
}

// filled returns c with every field set to a value other than its own,
// whatever fields config.Config has, so that a field the answers file
// drops cannot go unnoticed.
func filled(t *testing.T, c config.Config) config.Config {
	v := reflect.ValueOf(&c).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(f.String() + "X")
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			f.SetInt(f.Int() + 1e9)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			f.SetUint(f.Uint() + 2)
		case reflect.Bool:
			f.SetBool(!f.Bool())
		case reflect.Pointer, reflect.Slice:
			switch f.Interface().(type) {
			case *config.Record:
				f.Set(reflect.ValueOf(&config.Record{Name: "Sample", Fields: []config.Field{{Name: "pos", Type: "Point[2]"}, {Name: "ok", Type: "bool"}}}))
			case []config.Record:
				f.Set(reflect.ValueOf([]config.Record{{Name: "Point", Fields: []config.Field{{Name: "x", Type: "f32"}, {Name: "y", Type: "f32"}}}}))
			default:
				t.Fatalf("config.Config.%s: teach filled about %s", v.Type().Field(i).Name, f.Type())
			}
		default:
			t.Fatalf("config.Config.%s: teach filled about %s", v.Type().Field(i).Name, f.Kind())
		}
	}
	return c
}

func TestRoundTrip(t *testing.T) {
	a := Answers{
		Version:   "v1.2.3",
		Inputs:    filled(t, config.Default("rt")),
		Templates: "../my templates",
		Vars:      map[string]string{"team": "ops", "b": "x: y # not a comment"},
		Files:     []Entry{{Path: "dll/exports.go", SHA256: Sum([]byte("x"))}},
	}
	data, err := a.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := parse(data, config.Default("other"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, a) {
		t.Errorf("round trip changed the answers:\n got %+v\nwant %+v\nfile:\n%s", got, a, data)
	}
}

// parse decodes without validating: filled values need not be valid.
func parse(data []byte, defaults config.Config) (Answers, error) {
	a, _, err := decode("shmemgen.yaml", data, defaults)
	return a, err
}

func TestMarshalIsStable(t *testing.T) {
	a := Answers{Version: "(devel)", Inputs: config.Default("p"), Vars: map[string]string{"z": "1", "a": "2", "m": "3"}}
	first, err := a.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		again, err := a.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if string(again) != string(first) {
			t.Fatalf("two marshals differ:\n%s\n%s", first, again)
		}
	}
	if !strings.Contains(string(first), "size: 4096\n") {
		t.Errorf("size is not recorded in bytes:\n%s", first)
	}
}

func valid(t *testing.T) string {
	data, err := Answers{Version: "(devel)", Inputs: config.Default("p"), Files: []Entry{{Path: "a", SHA256: Sum(nil)}}}.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestParseErrors(t *testing.T) {
	base := valid(t)
	cases := []struct {
		name, from, to string
		want           string
	}{
		{"unknown top-level key", "version:", "colour: blue\nversion:", `shmemgen.yaml:4: unknown key "colour" at the top level (known: version, inputs, templates, vars, files)`},
		{"unknown input", "  size: 4096", "  size: 4096\n  sise: 4096", `shmemgen.yaml:8: unknown key "sise" in inputs (known: name, size,`},
		{"unknown manifest key", "    sha256:", "    sha: x\n    sha256:", `unknown key "sha" in files (known: path, sha256)`},
		{"bad size", "size: 4096", "size: 4095", `shmemgen.yaml:7: inputs: size "4095" must be even`},
		{"fractional size", "size: 4096", "size: 4096.9", `shmemgen.yaml:7: inputs: size "4096.9" must be a whole number of bytes or binary units`},
		{"decimal units", "size: 4096", "size: 4KB", `shmemgen.yaml:7: inputs: size "4KB" must use binary units`},
		{"hex size", "size: 4096", "size: 0x1000", `shmemgen.yaml:7: inputs: size "0x1000" must be a whole number`},
		{"negative size", "size: 4096", "size: -4096", `shmemgen.yaml:7: inputs: size "-4096" must be a whole number`},
		{"size as a list", "size: 4096", "size: [4096]", `shmemgen.yaml:7: inputs: size must be a single value, as its flag takes it, not a list or a mapping`},
		{"name as a mapping", "name: dllmemfilemap", "name: {a: b}", `shmemgen.yaml:6: inputs: name must be a single value`},
		{"bad duration", "lock-timeout: 5s", "lock-timeout: 5", `shmemgen.yaml:18: inputs: lock-timeout "5" must be a duration`},
		{"inputs as a list", base, "version: x\ninputs: [a]\n", `shmemgen.yaml:2: inputs must be a mapping of keys to values`},
		{"files as a value", base, "version: x\nfiles: x\n", `shmemgen.yaml:2: files must be a list of path and sha256 entries`},
		{"var as a list", "files:", "vars:\n  a: [b]\nfiles:", `vars: a must be a single value`},
		{"size echoed as typed", "size: 4096", "size: 2048GiB", `shmemgen.yaml:7: inputs: size "2048GiB" must be at most 1TiB`},
		{"duration echoed as typed", "lock-timeout: 5s", "lock-timeout: 2h", `shmemgen.yaml:18: inputs: lock-timeout "2h" must be from 0s to 1h`},
		{"a tag does not decode", "dll: shmem", "dll: !!binary c2htZW0=", `shmemgen.yaml:10: inputs: dll "c2htZW0=" must be a letter`},
		{"version as a list", "version: (devel)", "version: [1]", `shmemgen.yaml:4: version must be a single value`},
		{"bad trust", "trust: owner", "trust: sid", `shmemgen.yaml:24: inputs: trust "sid" must be header, owner or namespace`},
		{"owner without a check", "trust: owner", "trust: header\n  owner: S-1-5-18", `shmemgen.yaml:25: inputs: owner "S-1-5-18" is used only by --trust owner`},
		{"manifest entry as a list", "  - path: a", "  - [a]\n  - path: a", `shmemgen.yaml:26: files: an entry must be a mapping`},
		{"bad file version", "file-version: 1.0.0.0", "file-version: 1.0.0.0.0", `shmemgen.yaml:23: inputs: file-version "1.0.0.0.0" must be one to four dot-separated numbers`},
		{"bad arch", "arch: amd64", "arch: amd64,x86", `shmemgen.yaml:19: inputs: arch "amd64,x86" must be comma-separated architectures from amd64 and 386: "x86" is not one`},
		{"bad name", "name: dllmemfilemap", `name: 'a\b'`, `shmemgen.yaml:6: inputs: name "a\b" must not contain a backslash`},
		{"bad var", "files:", "vars:\n  a-b: c\nfiles:", `vars: key "a-b" must be an identifier`},
		{"path outside", "path: a", "path: ../a", `files: path "../a" must be a clean, slash-separated path inside the project`},
		{"bad hash", "sha256: " + Sum(nil), "sha256: abc", `files: sha256 "abc" of a must be 64 lowercase hex digits`},
		{"upper-case hash", "sha256: " + Sum(nil), "sha256: " + strings.ToUpper(Sum(nil)), `of a must be 64 lowercase hex digits`},
		{"short hash", "sha256: " + Sum(nil), "sha256: " + Sum(nil)[1:], `of a must be 64 lowercase hex digits`},
		{"long hash", "sha256: " + Sum(nil), "sha256: " + Sum(nil) + "0", `of a must be 64 lowercase hex digits`},
		{"hash not hex", "sha256: " + Sum(nil), "sha256: g" + Sum(nil)[1:], `of a must be 64 lowercase hex digits`},
		{"hash with a slash", "sha256: " + Sum(nil), "sha256: /" + Sum(nil)[1:], `of a must be 64 lowercase hex digits`},
		{"hash with a colon", "sha256: " + Sum(nil), "sha256: '" + Sum(nil)[1:] + ":'", `of a must be 64 lowercase hex digits`},
		{"duplicate key", "version: (devel)", "version: (devel)\nversion: v1", `already defined`},
		{"not yaml", "inputs:", "inputs: [", "shmemgen.yaml:4: did not find expected"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(base, tc.from) {
				t.Fatalf("base has no %q:\n%s", tc.from, base)
			}
			data := strings.Replace(base, tc.from, tc.to, 1)
			_, err := Parse("shmemgen.yaml", []byte(data), config.Default("p"))
			if err == nil {
				t.Fatalf("no error for\n%s", data)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("error %T is not an *Error", err)
			}
		})
	}
}

// TestParseTakesWhatFlagsTake reads each value as its flag would: a size
// in binary units.
func TestParseTakesWhatFlagsTake(t *testing.T) {
	base := valid(t)
	for _, tc := range []struct{ from, to string }{
		{"size: 4096", "size: 2MiB"},
		{"size: 4096", `size: "2MiB"`},
		{"size: 4096", "size: 2,097,152"},
		{"lock-timeout: 5s", "lock-timeout: 5000ms"},
	} {
		data := strings.Replace(base, tc.from, tc.to, 1)
		a, err := Parse("shmemgen.yaml", []byte(data), config.Default("p"))
		if err != nil {
			t.Errorf("%s: %v", tc.to, err)
			continue
		}
		switch {
		case strings.HasPrefix(tc.to, "size") && a.Inputs.Size != 2<<20:
			t.Errorf("%s: size %d, want %d", tc.to, a.Inputs.Size, 2<<20)
		}
	}
}

func TestParseTooBig(t *testing.T) {
	data := valid(t) + strings.Repeat("# padding\n", MaxFileSize/10)
	_, err := Parse("shmemgen.yaml", []byte(data), config.Default("p"))
	if err == nil || !strings.Contains(err.Error(), "shmemgen.yaml: is larger than 1048576 bytes (1 MiB), the most an answers file may be") {
		t.Errorf("got %v, want an error about the size", err)
	}
}

func TestParseMissingInputsTakeDefaults(t *testing.T) {
	data := "version: v0.1.0\ninputs:\n  name: Local\\Jobs\nfiles: []\n"
	a, err := Parse("shmemgen.yaml", []byte(data), config.Default("jobs"))
	if err != nil {
		t.Fatal(err)
	}
	want := config.Default("jobs")
	want.Name = `Local\Jobs`
	if !reflect.DeepEqual(a.Inputs, want) {
		t.Errorf("got %+v, want %+v", a.Inputs, want)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, data := range []string{"", "# only a comment\n"} {
		if _, err := Parse("shmemgen.yaml", []byte(data), config.Default("p")); err == nil || !strings.Contains(err.Error(), "is empty") {
			t.Errorf("%q: got %v, want an error saying it is empty", data, err)
		}
	}
}

func TestValidPath(t *testing.T) {
	for p, want := range map[string]bool{
		"a": true, "dll/exports.go": true, ".github/workflows/windows.yml": true,
		"": false, ".": false, "..": false, "../a": false, "/etc/passwd": false, "a/../b": false,
		"a//b": false, `a\b`: false, "C:/x": false, FileName: false, "./a": false,
	} {
		if got := ValidPath(p); got != want {
			t.Errorf("ValidPath(%q) = %v, want %v", p, got, want)
		}
	}
}

// SumReader hashes as Sum does, whatever the buffer's size against the
// data's.
func TestSumReader(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 9, 100000} {
		data := bytes.Repeat([]byte("shmemgen"), n/8+1)[:n]
		got, err := SumReader(bytes.NewReader(data), make([]byte, 8))
		if err != nil || got != Sum(data) {
			t.Errorf("%d bytes: SumReader %q, %v; Sum %q", n, got, err, Sum(data))
		}
	}
}

// Marshal writes a project without a record straight from the struct, and
// one with a record through its nodes, to style the fields; without a
// record both ways write the same bytes.
func TestMarshalWithoutNodes(t *testing.T) {
	filledNoRecord := filled(t, config.Default("p"))
	filledNoRecord.Record, filledNoRecord.Types = nil, nil
	for _, a := range []Answers{
		{Version: "(devel)", Inputs: config.Default("p"), Files: []Entry{{Path: "a", SHA256: Sum(nil)}}},
		{Version: "v1.2.3", Inputs: filledNoRecord, Templates: "t", Vars: map[string]string{"b": "x: y"},
			Files: []Entry{{Path: "dll/exports.go", SHA256: Sum([]byte("x"))}, {Path: "README.md", SHA256: Sum(nil)}}},
	} {
		direct, err := a.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := doc.Encode(a); err != nil {
			t.Fatal(err)
		}
		viaNodes, err := a.marshal(&doc)
		if err != nil {
			t.Fatal(err)
		}
		if string(direct) != string(viaNodes) {
			t.Errorf("without a record, the struct and its nodes marshal differently:\n%s\n---\n%s", direct, viaNodes)
		}
	}
}
