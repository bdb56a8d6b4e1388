package config

import (
	"fmt"
	"strings"
	"testing"
)

// sample is the record of issue 19's example: 96 bytes, with a nested
// record and an array of them.
func sample() Config {
	c := Default("x")
	c.Record = &Record{Name: "Sample", Fields: []Field{
		{"count", "u64"}, {"temp", "f64"}, {"label", "utf16[12]"}, {"samples", "i32[5]"},
		{"ok", "bool"}, {"pos", "Point"}, {"path", "Point[3]"},
	}}
	c.Types = []Record{{Name: "Point", Fields: []Field{{"x", "f32"}, {"y", "f32"}}}}
	return c
}

func TestRecordLayout(t *testing.T) {
	l, err := sample().LayOutRecord()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range l.Record.Fields {
		got = append(got, fmt.Sprintf("%s %s @%d+%d", f.Name, f.Written, f.Offset, f.Size))
	}
	want := []string{
		"count u64 @0+8", "temp f64 @8+8", "label utf16[12] @16+24", "samples i32[5] @40+20",
		"ok bool @60+1", " bytes[3] @61+3", "pos Point @64+8", "path Point[3] @72+24",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("layout:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if l.Record.Size != 96 || l.Record.Align != 8 {
		t.Errorf("Sample is %d bytes aligned to %d, want 96 and 8", l.Record.Size, l.Record.Align)
	}
	if len(l.Types) != 1 || l.Types[0].Name != "Point" || l.Types[0].Size != 8 || l.Types[0].Align != 4 {
		t.Errorf("types: %+v", l.Types)
	}
}

// TestRecordTrailingPadding: a record ends at a multiple of its alignment,
// with explicit padding, so that no compiler adds its own.
func TestRecordTrailingPadding(t *testing.T) {
	c := Default("x")
	c.Record = &Record{Name: "R", Fields: []Field{{"a", "u64"}, {"b", "u8"}}}
	l, err := c.LayOutRecord()
	if err != nil {
		t.Fatal(err)
	}
	last := l.Record.Fields[len(l.Record.Fields)-1]
	if l.Record.Size != 16 || !last.Pad() || last.Offset != 9 || last.Size != 7 {
		t.Errorf("R is %d bytes, last field %+v; want 16, padding of 7 at 9", l.Record.Size, last)
	}
}

// TestTypesFollowTheirUses: C declares a type before the ones that use it,
// whatever order inputs.types lists them in.
func TestTypesFollowTheirUses(t *testing.T) {
	c := Default("x")
	c.Record = &Record{Name: "R", Fields: []Field{{"line", "Line"}}}
	c.Types = []Record{
		{Name: "Line", Fields: []Field{{"from", "Point"}, {"to", "Point"}}},
		{Name: "Point", Fields: []Field{{"x", "i16"}}},
	}
	l, err := c.LayOutRecord()
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Types) != 2 || l.Types[0].Name != "Point" || l.Types[1].Name != "Line" {
		t.Errorf("types in the order %+v, want Point then Line", l.Types)
	}
}

func TestRecordRejects(t *testing.T) {
	rec := func(fields ...string) *Record {
		r := &Record{Name: "R"}
		for _, f := range fields {
			name, typ, _ := strings.Cut(f, ":")
			r.Fields = append(r.Fields, Field{name, typ})
		}
		return r
	}
	point := []Record{{Name: "Point", Fields: []Field{{"x", "f32"}}}}
	cases := []struct {
		name   string
		record *Record
		types  []Record
		want   string
	}{
		{"no fields", rec(), nil, `--record "R" has no fields`},
		{"unknown type", rec("a:u65"), nil, `--record "R" has a field "a" of type "u65", which is not a type: records used as types are declared in shmemgen.yaml's inputs.types`},
		{"unknown record", rec("a:Line"), point, `which is not a type: inputs.types names no such record`},
		{"malformed", rec("a:u8[2"), nil, `--record "R" has a field "a" of type "u8[2", which is not a type`},
		{"zero array", rec("a:u8[0]"), nil, `of type "u8[0]", which has the length 0: every length must be at least 1`},
		{"huge array", rec("a:u8[99999999999999999999]"), nil, `which has the length 99999999999999999999, more than a record's 65536 bytes could hold`},
		{"huge record", rec("a:u64[4096][3]"), nil, `of type "u64[4096][3]", which is more than a record's 65536 bytes`},
		{"huge sum", rec("a:bytes[65536]", "b:u8"), nil, `--record "R" is more than 65536 bytes, the most a record may be, at its field "b"`},
		{"bytes without length", rec("a:bytes"), nil, `which needs a length: bytes[N]`},
		{"utf16 of one", rec("a:utf16[1]"), nil, `which must hold at least 2 units`},
		{"duplicate field", rec("a:u8", "a:u16"), nil, `--record "R" has two fields named "a"`},
		{"fields differing by case", rec("a:u8", "A:u16"), nil, `has two fields named A in Go ("a" and "A")`},
		{"C keyword field", rec("int:u8"), nil, `--record "R" has a field "int": the name must not be a C, C++ or Go keyword`},
		{"C# keyword field", rec("checked:u8"), nil, `has a field "checked": the name must not be a keyword of C#`},
		{"Python keyword field", rec("lambda:u8"), nil, `must not be a keyword of Python`},
		{"Python's None", rec("None:u8"), nil, `must not be a keyword of Python`},
		{"Rust keyword field", rec("fn:u8"), nil, `must not be a keyword of Rust`},
		{"macro field", rec("min:u8"), nil, `the name must not be a name that windows.h`},
		{"underscore field", rec("_a:u8"), nil, `must not start with an underscore`},
		{"bad field name", rec("a-b:u8"), nil, `must be a C identifier`},
		{"empty field name", rec(":u8"), nil, `has a field "": the name must not be empty`},
		{"recursive", rec("a:Node"), []Record{{Name: "Node", Fields: []Field{{"next", "Node[2]"}}}}, `--types "Node" has a field "next" of type "Node[2]", which contains itself: Node → Node`},
		{"mutually recursive", rec("a:A"), []Record{{Name: "A", Fields: []Field{{"b", "B"}}}, {Name: "B", Fields: []Field{{"a", "A"}}}}, `which contains itself: A → B → A`},
		{"record named like a type", rec("a:u8"), []Record{{Name: "R", Fields: []Field{{"x", "u8"}}}}, `--types "R" is declared twice`},
		{"types differing by case", rec("a:u8"), []Record{{Name: "P", Fields: []Field{{"x", "u8"}}}, {Name: "p", Fields: []Field{{"x", "u8"}}}}, `--types "p" must differ from the record "P" in more than the case of its first letter`},
		{"keyword record", &Record{Name: "match", Fields: []Field{{"a", "u8"}}}, nil, `--record "match" must not be a keyword of Rust`},
		{"export's name", &Record{Name: "SetSharedMem", Fields: []Field{{"a", "u8"}}}, nil, `must differ from --set: the header declares both`},
		{"client name", &Record{Name: "status", Fields: []Field{{"a", "u8"}}}, nil, `--record "status" must not be Status in Go`},
		{"macro prefix", &Record{Name: "SHMEM_X", Fields: []Field{{"a", "u8"}}}, nil, `must not start with SHMEM_`},
		{"types without a record", nil, point, `--types are the types of a record's fields`},
		{"field with the macro prefix", rec("SHMEM_WCHAR:u8"), nil, `--record "R" has a field "SHMEM_WCHAR": the name must not start with SHMEM_`},
		{"field named like its record", rec("R:u8"), nil, `--record "R" has a field "R": the name must differ from every record's: C# forbids a member named like its record`},
		{"field named like a type", rec("Point:Point"), point, `--record "R" has a field "Point": the name must differ from every record's`},
		{"setter named twice", rec("pos:Point", "pos_x:f32"), point, `--record "R" has a field "pos_x" whose setter would be R_set_pos_x, as "pos.x"'s is: rename one of them`},
		{"setter named twice in Go", rec("pos:Point", "posX:f32"), point, `--record "R" has a field "posX" whose setter would be SetPosX in Go, as "pos.x"'s is`},
		{"setter named like an export", &Record{Name: "Rec", Fields: []Field{{"x", "u8"}}}, nil, `--record "Rec" has a field "x" whose setter would be Rec_set_x, the name of --get: the header declares both`},
		{"setter named like a binding's method", rec("utf16:u8"), nil, `--record "R" has a field "utf16" whose setter would be set_utf16 in Rust, a method the Rust binding has already: rename the field`},
		{"setter named like a type", rec("p:u8"), []Record{{Name: "R_set_p", Fields: []Field{{"x", "u8"}}}}, `--record "R" has a field "p" whose setter would be R_set_p, the name of a record`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Default("x")
			c.Record, c.Types = tc.record, tc.types
			if tc.name == "setter named like an export" {
				c.Get = "Rec_set_x"
			}
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v\nwant an error containing %s", err, tc.want)
			}
		})
	}
}

func TestRecordAccepts(t *testing.T) {
	c := sample()
	c.Record.Fields = append(c.Record.Fields,
		Field{"texts", "utf16[8][3]"}, Field{"blob", "bytes[5]"}, Field{"grid", "u8[2][3]"}, Field{"Type", "i8"})
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	// A record as large as a record may be.
	c = Default("x")
	c.Record = &Record{Name: "Big", Fields: []Field{{"data", "bytes[65536]"}}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestArrayDims(t *testing.T) {
	for typ, want := range map[string]string{
		"u8": "[]", "i32[5]": "[5]", "u8[2][3]": "[3 2]", "utf16[12]": "[]", "utf16[12][3]": "[3]", "Point[3]": "[3]",
	} {
		ft, err := ParseFieldType(typ)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(ft.ArrayDims()); got != want {
			t.Errorf("%s: ArrayDims %s, want %s", typ, got, want)
		}
	}
}

// TestKeywordListsSorted: the keyword lists are searched as nameLists.
func TestKeywordListsSorted(t *testing.T) {
	for _, l := range languageKeywords {
		prev, n := "", 0
		for name := range l.list.all() {
			if name <= prev || strings.TrimSpace(name) != name || name == "" {
				t.Errorf("%s: %q after %q: one name a line, sorted bytewise", l.Language, name, prev)
			}
			if !l.list.has(name) {
				t.Errorf("%s: has(%q) is false", l.Language, name)
			}
			prev = name
			n++
		}
		if n < 20 {
			t.Errorf("%s holds only %d keywords", l.Language, n)
		}
	}
}

// TestRecordSetters: a setter for every field, and for every field of a
// field whose type is a record, down to the last, at its offset from the
// record's start; none into an array's elements, which are set whole.
func TestRecordSetters(t *testing.T) {
	c := sample()
	c.Types = append(c.Types, Record{Name: "Line", Fields: []Field{{"start", "Point"}, {"end", "Point"}}})
	c.Record.Fields = append(c.Record.Fields, Field{"line", "Line"})
	l, err := c.LayOutRecord()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range l.Setters() {
		got = append(got, fmt.Sprintf("%s %s %s @%d+%d", s.CName("Sample"), s.GoName(), s.Field().Written, s.Offset, s.Field().Size))
	}
	want := []string{
		"Sample_set_count SetCount u64 @0+8", "Sample_set_temp SetTemp f64 @8+8",
		"Sample_set_label SetLabel utf16[12] @16+24", "Sample_set_samples SetSamples i32[5] @40+20",
		"Sample_set_ok SetOk bool @60+1",
		"Sample_set_pos SetPos Point @64+8", "Sample_set_pos_x SetPosX f32 @64+4", "Sample_set_pos_y SetPosY f32 @68+4",
		"Sample_set_path SetPath Point[3] @72+24",
		"Sample_set_line SetLine Line @96+16",
		"Sample_set_line_start SetLineStart Point @96+8", "Sample_set_line_start_x SetLineStartX f32 @96+4", "Sample_set_line_start_y SetLineStartY f32 @100+4",
		"Sample_set_line_end SetLineEnd Point @104+8", "Sample_set_line_end_x SetLineEndX f32 @104+4", "Sample_set_line_end_y SetLineEndY f32 @108+4",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("setters:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
}
