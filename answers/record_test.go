package answers

import (
	"reflect"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/config"
)

const recordInputs = `version: v0.1.0
inputs:
  name: Local\Jobs
  record:
    name: Sample
    fields:
      - {name: count, type: u64}
      - {name: ok, type: bool}
      - {name: pos, type: Point}
  types:
    - name: Point
      fields:
        - {name: x, type: f32}
        - {name: "y", type: f32}
files: []
`

func TestParseRecord(t *testing.T) {
	a, err := Parse("shmemgen.yaml", []byte(recordInputs), config.Default("jobs"))
	if err != nil {
		t.Fatal(err)
	}
	want := &config.Record{Name: "Sample", Fields: []config.Field{{Name: "count", Type: "u64"}, {Name: "ok", Type: "bool"}, {Name: "pos", Type: "Point"}}}
	if !reflect.DeepEqual(a.Inputs.Record, want) {
		t.Errorf("record %+v, want %+v", a.Inputs.Record, want)
	}
	if len(a.Inputs.Types) != 1 || a.Inputs.Types[0].Name != "Point" || len(a.Inputs.Types[0].Fields) != 2 {
		t.Errorf("types %+v", a.Inputs.Types)
	}
}

// TestParseRecordErrors: a record's mistakes are reported at the line of
// the field, or of the record, that makes them.
func TestParseRecordErrors(t *testing.T) {
	for _, tc := range []struct{ from, to, want string }{
		{"{name: ok, type: bool}", "{name: ok, type: u65}", `shmemgen.yaml:8: inputs: record "Sample" has a field "ok" of type "u65", which is not a type: inputs.types names no such record`},
		{"{name: x, type: f32}", "{name: x, type: Point}", `shmemgen.yaml:13: inputs: types "Point" has a field "x" of type "Point", which contains itself: Point → Point`},
		{"{name: count, type: u64}", "{name: match, type: u64}", `shmemgen.yaml:7: inputs: record "Sample" has a field "match": the name must not be a keyword of Rust`},
		{"    name: Sample\n", "    name: int\n", `shmemgen.yaml:5: inputs: record "int" must not be a C, C++ or Go keyword`},
		{"      - {name: count, type: u64}\n", "      - count\n", `shmemgen.yaml:7: inputs: record: fields must be a list of fields, each a mapping of name and type`},
		{"    fields:\n", "    fieldz:\n", `unknown key "fieldz" in inputs.record (known: name, fields)`},
		{"  types:\n    - name: Point", "  types:\n    - Point\n    - name: Point", `shmemgen.yaml:11: inputs: types must be a record: a mapping of name and fields`},
	} {
		data := strings.Replace(recordInputs, tc.from, tc.to, 1)
		if data == recordInputs {
			t.Fatalf("%q is not in the file", tc.from)
		}
		_, err := Parse("shmemgen.yaml", []byte(data), config.Default("jobs"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v\nwant %s", tc.to, err, tc.want)
		}
	}
	// A record that is a single value.
	data := strings.Replace(recordInputs, "  record:\n", "  record: Sample\n  recorx:\n", 1)
	if _, err := Parse("shmemgen.yaml", []byte(data), config.Default("jobs")); err == nil {
		t.Error("record: Sample was accepted")
	}
}
