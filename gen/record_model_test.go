package gen

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/config"
)

// recordConfig has issue 19's record: every kind of type, a nested record,
// arrays of it, 8-byte fields after odd offsets, and trailing padding.
func recordConfig() config.Config {
	c := config.Default("rec")
	c.OS = "windows,linux"
	c.Arch = "amd64,386"
	c.Record = &config.Record{Name: "Sample", Fields: []config.Field{
		{Name: "count", Type: "u64"}, {Name: "temp", Type: "f64"}, {Name: "label", Type: "utf16[12]"},
		{Name: "samples", Type: "i32[5]"}, {Name: "ok", Type: "bool"}, {Name: "pos", Type: "Point"},
		{Name: "path", Type: "Point[3]"}, {Name: "tiny", Type: "i8"}, {Name: "late", Type: "f64"},
		{Name: "texts", Type: "utf16[4][3]"}, {Name: "blob", Type: "bytes[3]"}, {Name: "wide", Type: "Wide[2]"},
		{Name: "small", Type: "u16"}, {Name: "grid", Type: "u8[2][3]"}, {Name: "last", Type: "u8"},
		// Names the generated C code uses for its locals, a type's too.
		{Name: "status", Type: "u32"}, {Name: "held", Type: "torn"}, {Name: "view", Type: "u8"},
	}}
	c.Types = []config.Record{
		{Name: "Point", Fields: []config.Field{{Name: "x", Type: "f32"}, {Name: "y", Type: "f32"}}},
		{Name: "Wide", Fields: []config.Field{{Name: "flag", Type: "bool"}, {Name: "big", Type: "i64"}, {Name: "at", Type: "Point"}}},
		{Name: "torn", Fields: []config.Field{{Name: "start", Type: "u64"}, {Name: "end", Type: "u64"}}},
	}
	return c
}

func TestRecordModel(t *testing.T) {
	m := NewModel(recordConfig())
	if m.Record == nil {
		t.Fatal("no record in the model")
	}
	if NewModel(config.Default("x")).Record != nil {
		t.Error("a config without a record has one in the model")
	}
	r := m.Record.Record
	byName := map[string]RecordField{}
	for _, f := range r.Fields {
		byName[f.C] = f
	}
	for name, want := range map[string]RecordField{
		"label": {CType: "SHMEM_WCHAR", CDims: "[12]", GoType: "[12]uint16", Go: "Label", Offset: 16, Size: 24},
		"texts": {CType: "SHMEM_WCHAR", CDims: "[3][4]", GoType: "[3][4]uint16", Go: "Texts"},
		"grid":  {CType: "uint8_t", CDims: "[3][2]", GoType: "[3][2]uint8", Go: "Grid"},
		"path":  {CType: "Point", CDims: "[3]", GoType: "[3]Point", Go: "Path", Offset: 72, Size: 24},
		"ok":    {CType: "uint8_t", GoType: "uint8", Go: "Ok", Offset: 60, Size: 1},
		"late":  {CType: "double", GoType: "float64", Go: "Late", Offset: 104, Size: 8},
	} {
		got := byName[name]
		if got.CType != want.CType || got.CDims != want.CDims || got.GoType != want.GoType || got.Go != want.Go ||
			(want.Size != 0 && (got.Offset != want.Offset || got.Size != want.Size)) {
			t.Errorf("%s: %+v, want %+v", name, got, want)
		}
	}
	if f := byName["shmemgen_pad0"]; !f.Pad || f.Go != "_" || f.Offset != 61 || f.Size != 3 {
		t.Errorf("the first padding is %+v, want 3 bytes at 61", f)
	}
	if len(m.Record.Types) != 3 || m.Record.All()[3].Name != "Sample" {
		t.Errorf("records in the order %+v", m.Record.All())
	}
}

// TestRecordLayoutHash: the hash changes with every name, type and offset,
// and with nothing else.
func TestRecordLayoutHash(t *testing.T) {
	base := NewModel(recordConfig()).Record.LayoutHash
	other := recordConfig()
	other.Name, other.Size, other.DLL = "Other", 8192, "other"
	if h := NewModel(other).Record.LayoutHash; h != base {
		t.Errorf("the hash changed with inputs that are not the record's: %#x, was %#x", h, base)
	}
	for what, change := range map[string]func(c *config.Config){
		"a field's name":    func(c *config.Config) { c.Record.Fields[0].Name = "total" },
		"a field's type":    func(c *config.Config) { c.Record.Fields[0].Type = "i64" },
		"the fields' order": func(c *config.Config) { f := c.Record.Fields; f[0], f[1] = f[1], f[0] },
		"an array's length": func(c *config.Config) { c.Record.Fields[2].Type = "utf16[13]" },
		"the record's name": func(c *config.Config) { c.Record.Name = "Samples" },
		"a type's field":    func(c *config.Config) { c.Types[0].Fields[1].Type = "f64" },
		"a type's name":     func(c *config.Config) { c.Types[0].Name = "Pt"; renameType(c, "Point", "Pt") },
		"an added field": func(c *config.Config) {
			c.Record.Fields = append(c.Record.Fields, config.Field{Name: "more", Type: "u8"})
		},
		"a nested field's x": func(c *config.Config) { c.Types[0].Fields[0].Name = "u" },
	} {
		c := recordConfig()
		change(&c)
		if err := c.Validate(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if h := NewModel(c).Record.LayoutHash; h == base {
			t.Errorf("changing %s left the hash %#x", what, h)
		}
	}
}

func renameType(c *config.Config, from, to string) {
	for _, r := range append([]*config.Record{c.Record}, ptrs(c.Types)...) {
		for i, f := range r.Fields {
			r.Fields[i].Type = strings.Replace(f.Type, from, to, 1)
		}
	}
}

func ptrs(rs []config.Record) []*config.Record {
	var out []*config.Record
	for i := range rs {
		out = append(out, &rs[i])
	}
	return out
}

// TestRecordBadLayoutText: with a record, BAD_LAYOUT's texts (the doc
// comments on its constant, Linux's stale-segment text and the short text,
// in C, Go and each binding) say that a record layout other than this
// build's is refused and name this build's layout hash, which the README's
// troubleshooting also gives; without a record they say nothing of records.
var commentBreak = regexp.MustCompile(`\s*\n\s*(///|//|#:|\*)? *`)

func TestRecordBadLayoutText(t *testing.T) {
	c := recordConfig()
	c.OS = "windows,linux"
	c.Bindings = "csharp,python,rust"
	files, err := Render(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	layoutHash := NewModel(c).Record.LayoutHash
	want := fmt.Sprintf("record layout hash other than this build's 0x%016x", layoutHash)
	stale := "is not this build's (" + recordLayoutWrong(layoutHash) + ")"
	withTexts := []string{"dll/api.h", "client/status.go", "bindings/csharp/SharedMem.cs", "bindings/python/sharedmem.py", "bindings/rust/src/lib.rs"}
	for _, path := range withTexts {
		f, _ := files.Lookup(path)
		// Comments wrapped, read as one line.
		text := commentBreak.ReplaceAllString(string(f.Data), " ")
		// The constant's comment, the text on Linux and the short text.
		if got := strings.Count(text, want); got < 3 {
			t.Errorf("%s says %q %d times, want at least 3 (BAD_LAYOUT's texts)", path, want, got)
		}
		if !strings.Contains(text, stale) {
			t.Errorf("%s: BAD_LAYOUT's text on Linux does not say %q", path, stale)
		}
		if short := "not this library's, or has a " + want; !strings.Contains(text, short) {
			t.Errorf("%s: BAD_LAYOUT's short text does not say %q", path, short)
		}
	}
	c.Record, c.Types = nil, nil
	files, err = Render(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range withTexts {
		if f, _ := files.Lookup(path); strings.Contains(string(f.Data), "record layout") {
			t.Errorf("%s names a record layout, without a record", path)
		}
	}
}
