package gen

import (
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/shmemgen/shmemgen/config"
)

// RecordModel is the typed record as templates see it: laid out once, in
// config.LayOutRecord, and spelled here for C and Go, so that every output
// places the same offsets.
type RecordModel struct {
	// Types are the records used as field types, each after the ones it
	// uses, as C must declare them; Record is the record shared in the
	// mapping.
	Types  []RecordType
	Record RecordType
	// LayoutHash identifies the layout: FNV-1a, 64 bits, over LayoutText.
	// A peer built for another layout has another hash.
	LayoutHash uint64
	// LayoutText is what LayoutHash hashes: one line per record (name,
	// size, alignment) and one per field (name, type, offset, size), the
	// types first, in order.
	LayoutText string
	// Offset is where the record lives, from the payload's start: its own
	// area after the payload, at the next multiple of recordAreaAlign.
	// The record is there twice (a latch: a reader reads the copy no
	// writer is changing): copy 1 is Stride after copy 0, on cache lines
	// of its own. TrackedSize is where copy 1 ends: the extent of the
	// writing range, which covers the payload and the record.
	Offset      uint64
	Stride      uint64
	TrackedSize uint64
	// Read and Write name the whole-record reader and writer exports,
	// WriteRange the export that writes a byte range of the record.
	Read       string
	Write      string
	WriteRange string
	// Setters are the record's typed setters, over WriteRange: one per
	// field, and per field of a field whose type is a record, down.
	Setters []RecordSetter
}

// RecordSetter is a typed setter of one field, in C (api.h's static
// inline NAME_set_PATH) and Go (the client's DLL.SetPATH).
type RecordSetter struct {
	C, Go string
	// Path is the field's name from the record down, joined by dots
	// (pos.x), and Type its type as declared.
	Path string
	Type string
	// OffsetC is the field's offset as C computes it, a sum of offsetofs
	// down its path; Offset the same number, for Go.
	OffsetC string
	Offset  uint64
	// Kind is how the setter takes its value: "value" (a scalar or a
	// record, whole), "text" (a utf16[N] field, from NUL-terminated text of
	// at most N-1 units) or "slice" (an array, or bytes[N]: Len elements
	// from a first one).
	Kind string
	// ValueC and ValueGo are a value's type, or an element's: in C, the
	// parameter's declaration with %s for its name ("double %s",
	// "const int32_t *%s", "const SHMEM_WCHAR (*%s)[4]"); in Go, the type
	// ("float64", "int32", "[4]uint16").
	ValueC  string
	ValueGo string
	// Len is a slice's element count, or a text's length in units with
	// its NUL.
	Len uint64
	// Names are the path's field names, the record's own field first;
	// Field is the field written, as its own record spells it; ElemSize a
	// slice's element's size in bytes (the field's for a value or text).
	// The bindings spell their setters from these.
	// Owners are the records that declare each of Names.
	Names    []string
	Owners   []string
	Field    RecordField
	ElemSize uint64
}

// recordAreaAlign places the record on a cache line of its own, apart from
// the payload's end, which string and byte writers change.
const recordAreaAlign = 64

// All is Types then Record: every record to declare, in order.
func (r RecordModel) All() []RecordType { return append(append([]RecordType{}, r.Types...), r.Record) }

// MaxTextLen bounds the C hosts' JSON buffers of UTF-16 units: the
// longest utf16 field's length, and at least a field name's 64 characters
// and its NUL.
func (r RecordModel) MaxTextLen() uint64 {
	n := uint64(65)
	for _, t := range r.All() {
		for _, f := range t.Fields {
			if f.JSON.Kind == "UTF16" {
				n = max(n, f.JSON.Len)
			}
		}
	}
	return n
}

// JSONExample is a --record argument for the README: the record's first
// field that is neither an array nor bytes, set to a small value, or {}.
func (r RecordModel) JSONExample() string {
	for _, f := range r.Record.Fields {
		if f.Pad || len(f.JSON.Dims) > 0 {
			continue
		}
		value := ""
		switch f.JSON.Kind {
		case "BOOL":
			value = "true"
		case "F32", "F64":
			value = "1.5"
		case "UTF16":
			if f.JSON.Len > 2 {
				value = `"hi"`
			}
		case "BYTES", "RECORD":
		default:
			value = "7"
		}
		if value != "" {
			return fmt.Sprintf(`{"%s":%s}`, f.C, value)
		}
	}
	return "{}"
}

// SetterExample is a call of a setter for the reference, in C and in Go:
// the first of a scalar's, else of a text's; empty when the record has
// neither, only arrays and records.
func (r RecordModel) SetterExample() struct{ C, Go string } {
	for _, kind := range []string{"value", "text"} {
		for _, s := range r.Setters {
			if s.Kind != kind || (kind == "value" && !config.IsScalarType(s.Type)) {
				continue
			}
			if kind == "text" {
				return struct{ C, Go string }{s.C + `(u"hi")`, "d." + s.Go + `("hi")`}
			}
			return struct{ C, Go string }{s.C + "(1)", "d." + s.Go + "(1)"}
		}
	}
	return struct{ C, Go string }{}
}

// MaxFields is the most fields, padding included, any record has.
func (r RecordModel) MaxFields() int {
	n := 0
	for _, t := range r.All() {
		n = max(n, len(t.Fields))
	}
	return n
}

// RecordType is one record, laid out.
type RecordType struct {
	// Name is the record's name, in C; Go is its Go name.
	Name   string
	Go     string
	Size   uint64
	Align  uint64
	Fields []RecordField
}

// RecordField is one member of a record, or explicit padding.
type RecordField struct {
	// C and Go are the member's names: the field's own in C, and in Go
	// with its first letter upper case; for padding, shmemgen_padN and _.
	C  string
	Go string
	// Pad reports padding, which no input named.
	Pad bool
	// Type is the type as the input wrote it (padding: bytes[N]).
	Type string
	// CType is the C member's base type and CDims the lengths after its
	// name ("[3][12]"); GoType the Go field's whole type ("[3][12]uint16").
	CType  string
	CDims  string
	GoType string
	Offset uint64
	Size   uint64
	// JSON is how the hosts' JSON (hosts/c/record_json.h) reads and writes
	// the field.
	JSON FieldJSON
}

// FieldJSON is a field's shape for the C hosts' JSON walker: the kind of
// its leaves, their size, a utf16 or bytes leaf's length, and the lengths
// of the arrays around them, outermost first.
type FieldJSON struct {
	Kind     string // BOOL, I8 … U64, F32, F64, UTF16, BYTES or RECORD
	LeafSize uint64
	Len      uint64
	Dims     []uint64
	// Record names a RECORD leaf's record.
	Record string
}

// fieldJSON is the JSON shape of a field of type t and size size.
func fieldJSON(t config.FieldType, size uint64) FieldJSON {
	j := FieldJSON{Kind: strings.ToUpper(t.Base), Dims: t.ArrayDims(), LeafSize: size}
	if t.Sized() {
		j.Len = t.Dims[0]
	}
	if !t.Scalar() && !t.Sized() {
		j.Kind, j.Record = "RECORD", t.Base
	}
	for _, d := range j.Dims {
		j.LeafSize /= d
	}
	return j
}

// cType and goType spell a base type: a scalar, the unit of utf16 or
// bytes, or a record. prefix is the header's macro prefix, for its WCHAR.
func cType(base, prefix string) string {
	switch base {
	case "bool", "u8", "bytes":
		return "uint8_t"
	case "i8", "i16", "i32", "i64":
		return "int" + base[1:] + "_t"
	case "u16", "u32", "u64":
		return "uint" + base[1:] + "_t"
	case "f32":
		return "float"
	case "f64":
		return "double"
	case "utf16":
		return prefix + "_WCHAR"
	}
	return base // a record
}

func goType(base string) string {
	switch base {
	case "bool", "u8", "bytes":
		return "uint8"
	case "i8", "i16", "i32", "i64":
		return "int" + base[1:]
	case "u16", "u32", "u64":
		return "uint" + base[1:]
	case "utf16":
		return "uint16"
	case "f32":
		return "float32"
	case "f64":
		return "float64"
	}
	return config.GoName(base) // a record
}

// newRecordModel spells c's record, or returns nil when c has none. c must
// be valid.
func newRecordModel(c config.Config, prefix string) *RecordModel {
	if c.Record == nil {
		return nil
	}
	layout, err := c.LayOutRecord()
	if err != nil {
		panic(fmt.Sprintf("gen: the record of a validated config does not lay out: %v", err))
	}
	m := &RecordModel{}
	m.Read, m.Write = c.RecordExports()
	m.WriteRange = c.RecordExport("write-record-range")
	var text strings.Builder
	spell := func(r config.LaidRecord) RecordType {
		t := RecordType{Name: r.Name, Go: config.GoName(r.Name), Size: r.Size, Align: r.Align}
		fmt.Fprintf(&text, "record %s %d %d\n", r.Name, r.Size, r.Align)
		pads := 0
		for _, f := range r.Fields {
			// The C lengths are the arrays', outermost first, then the
			// length of a utf16 or bytes field's own.
			dims := f.Type.ArrayDims()
			if f.Type.Sized() {
				dims = append(dims, f.Type.Dims[0])
			}
			var cDims, goDims strings.Builder
			for _, d := range dims {
				fmt.Fprintf(&cDims, "[%d]", d)
				fmt.Fprintf(&goDims, "[%d]", d)
			}
			rf := RecordField{
				C: f.Name, Go: config.GoName(f.Name), Type: f.Written,
				CType: cType(f.Type.Base, prefix), CDims: cDims.String(),
				GoType: goDims.String() + goType(f.Type.Base),
				Offset: f.Offset, Size: f.Size,
			}
			if !f.Pad() {
				rf.JSON = fieldJSON(f.Type, f.Size)
			}
			if f.Pad() {
				rf.C, rf.Go, rf.Pad = fmt.Sprintf("shmemgen_pad%d", pads), "_", true
				pads++
			}
			fmt.Fprintf(&text, "field %s %s %d %d\n", f.Name, f.Written, f.Offset, f.Size)
			t.Fields = append(t.Fields, rf)
		}
		return t
	}
	for _, t := range layout.Types {
		m.Types = append(m.Types, spell(t))
	}
	m.Record = spell(layout.Record)
	for _, s := range layout.Setters() {
		m.Setters = append(m.Setters, spellSetter(c.Record.Name, s, prefix))
	}
	m.spellSetterFields()
	m.LayoutText = text.String()
	m.Offset = (c.Size + recordAreaAlign - 1) / recordAreaAlign * recordAreaAlign
	m.Stride = (m.Record.Size + recordAreaAlign - 1) / recordAreaAlign * recordAreaAlign
	m.TrackedSize = m.Offset + m.Stride + m.Record.Size
	h := fnv.New64a()
	h.Write([]byte(m.LayoutText))
	m.LayoutHash = h.Sum64()
	return m
}

// spellSetter spells the setter s of the record named record.
func spellSetter(record string, s config.RecordSetter, prefix string) RecordSetter {
	f := s.Field()
	out := RecordSetter{C: s.CName(record), Go: s.GoName(), Type: f.Written, Offset: s.Offset}
	var path, offsets []string
	owner := record
	for _, p := range s.Path {
		path = append(path, p.Name)
		offsets = append(offsets, fmt.Sprintf("offsetof(%s, %s)", owner, p.Name))
		owner = p.Type.Base
	}
	out.Path, out.OffsetC, out.Names = strings.Join(path, "."), strings.Join(offsets, " + "), path
	// The C lengths after the name, outermost first, as the record's
	// member declares them: its arrays', then a utf16 or bytes field's own.
	dims := f.Type.ArrayDims()
	if f.Type.Sized() {
		dims = append(dims, f.Type.Dims[0])
	}
	base := cType(f.Type.Base, prefix)
	switch {
	case len(dims) == 0:
		out.Kind, out.ValueC, out.ValueGo = "value", base+" %s", goType(f.Type.Base)
	case f.Type.Base == "utf16" && len(dims) == 1:
		out.Kind, out.ValueC, out.ValueGo, out.Len = "text", "const "+base+" *%s", "string", dims[0]
	default:
		// An element of the outermost array: the base type, or an array
		// of it, which C passes as a pointer to an array.
		var rest strings.Builder
		for _, d := range dims[1:] {
			fmt.Fprintf(&rest, "[%d]", d)
		}
		out.Kind, out.Len = "slice", dims[0]
		out.ValueC = "const " + base + " *%s"
		if rest.Len() > 0 {
			out.ValueC = "const " + base + " (*%s)" + rest.String()
		}
		out.ValueGo = rest.String() + goType(f.Type.Base)
	}
	out.ElemSize = f.Size
	if out.Kind == "slice" {
		out.ElemSize = f.Size / out.Len
	}
	return out
}

// RecordArgs are the flags that reproduce c's record (config.RecordFlags
// and the rows of its exports that differ from their defaults), or none.
// Records used as types exist only in shmemgen.yaml: a command line for a
// record that uses them says so, in a comment, rather than spelling flags
// that new would refuse.
func RecordArgs(c config.Config) []string {
	if c.Record == nil {
		return nil
	}
	if len(c.Types) > 0 {
		return []string{"# and the record " + c.Record.Name + " of shmemgen.yaml, whose types only the file can declare"}
	}
	args := []string{"--record", shellQuote(c.Record.Name)}
	for _, f := range c.Record.Fields {
		args = append(args, "--field", shellQuote(f.Name+":"+f.Type))
	}
	for _, in := range config.Inputs {
		if v := in.Value(c); in.RecordExport && v != "" {
			args = append(args, "--"+in.Flag, shellQuote(v))
		}
	}
	return args
}
