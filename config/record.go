package config

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shmemgen/shmemgen/internal/lazyregexp"
)

// Record is a typed record: inputs.record, the one shared in the mapping,
// or one of inputs.types, the records its fields may use. The record has
// its own area in the mapping, after the payload: --size stays the
// string's and the bytes exports', whose writes at any offset of the
// payload could otherwise tear it.
type Record struct {
	Name   string  `yaml:"name"`
	Fields []Field `yaml:"fields"`
}

// Field is one field of a record: its name and its type as written, such
// as u64, utf16[12] or Point[3] (see ParseFieldType).
type Field struct {
	Name string `yaml:"name"`
	Type string `yaml:"type"`
}

// The default names of the record's exports.
const (
	DefaultReadRecord       = "ReadSharedRecord"
	DefaultWriteRecord      = "WriteSharedRecord"
	DefaultWriteRecordRange = "WriteSharedRecordRange"
)

// RecordExports are the names of the record's reader and writer: the ones
// given, or the defaults.
func (c Config) RecordExports() (read, write string) {
	return c.RecordExport("read-record"), c.RecordExport("write-record")
}

// RecordExport is the name of the record's export that the input flag
// names: the one given, or its default. The record's exports have no
// Default in their rows, so that a project without a record records none.
func (c Config) RecordExport(flag string) string {
	name, fallback := "", ""
	switch flag {
	case "read-record":
		name, fallback = c.ReadRecord, DefaultReadRecord
	case "write-record":
		name, fallback = c.WriteRecord, DefaultWriteRecord
	case "write-record-range":
		name, fallback = c.WriteRecordRange, DefaultWriteRecordRange
	default:
		panic("config: no export of the record is named by --" + flag)
	}
	if name == "" {
		return fallback
	}
	return name
}

// MaxRecordSize bounds a record, padding included: a record is copied
// whole on every read, and more than this is a buffer, which the bytes
// exports already share.
const MaxRecordSize = 64 * 1024

// scalarSizes are the scalar types and their sizes; each is aligned to its
// size. bool is one byte, 0 or 1.
var scalarSizes = map[string]uint64{
	"bool": 1, "i8": 1, "u8": 1, "i16": 2, "u16": 2,
	"i32": 4, "u32": 4, "f32": 4, "i64": 8, "u64": 8, "f64": 8,
}

// IsScalarType reports whether typ, as a field's type is written, is a
// scalar: bool, a number.
func IsScalarType(typ string) bool { _, ok := scalarSizes[typ]; return ok }

// sizedSizes are the types that take a length, utf16[N] and bytes[N], and
// the sizes of their units.
var sizedSizes = map[string]uint64{"utf16": 2, "bytes": 1}

// typeList is what a field's type may be, for messages.
const typeList = "bool, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, utf16[N], bytes[N], a record of inputs.types, or an array T[N] of any of these"

// FieldType is a field's type, parsed: a base type and the lengths after
// it, as written from left to right. utf16[12][3] is three texts of 12
// units: base utf16, Dims [12 3], of which the first is the text's length.
type FieldType struct {
	// Base is a scalar type, utf16, bytes, or the name of a record.
	Base string
	Dims []uint64
}

// Scalar reports whether Base is a scalar type.
func (t FieldType) Scalar() bool { _, ok := scalarSizes[t.Base]; return ok }

// Sized reports whether Base is utf16 or bytes, whose first Dim is their
// length rather than an array's.
func (t FieldType) Sized() bool { _, ok := sizedSizes[t.Base]; return ok }

// ArrayDims are the lengths of the arrays of Base, outermost first, as C
// and Go declare them: utf16[12][3] is an array of 3 utf16[12], and i32[5]
// an array of 5 i32. A utf16 or bytes field's own length is not among them.
func (t FieldType) ArrayDims() []uint64 {
	dims := t.Dims
	if t.Sized() {
		dims = dims[1:]
	}
	out := make([]uint64, len(dims))
	for i, d := range dims {
		out[len(dims)-1-i] = d
	}
	return out
}

var fieldTypePattern = lazyregexp.New(`^([A-Za-z][A-Za-z0-9_]*)((?:\[[0-9]+\])*)$`)
var dimPattern = lazyregexp.New(`\[([0-9]+)\]`)

// ParseFieldType reads a field's type. It checks the form and the lengths,
// not whether a record it names exists.
func ParseFieldType(s string) (FieldType, error) {
	m := fieldTypePattern().FindStringSubmatch(s)
	if m == nil {
		return FieldType{}, fmt.Errorf("is not a type: the types are %s", typeList)
	}
	t := FieldType{Base: m[1]}
	for _, d := range dimPattern().FindAllStringSubmatch(m[2], -1) {
		n, err := strconv.ParseUint(d[1], 10, 64)
		switch {
		case err != nil || n > MaxRecordSize:
			return FieldType{}, fmt.Errorf("has the length %s, more than a record's %d bytes could hold", d[1], MaxRecordSize)
		case n == 0:
			return FieldType{}, fmt.Errorf("has the length 0: every length must be at least 1")
		}
		t.Dims = append(t.Dims, n)
	}
	if t.Sized() {
		switch {
		case len(t.Dims) == 0:
			return FieldType{}, fmt.Errorf("needs a length: %s[N]", t.Base)
		case t.Base == "utf16" && t.Dims[0] < 2:
			return FieldType{}, fmt.Errorf("must hold at least 2 units: utf16[N] is text of at most N-1 units and its NUL terminator")
		}
	}
	return t, nil
}

// LaidField is a field placed in its record, or explicit padding, whose
// Name is empty and whose Type is bytes[Size].
type LaidField struct {
	Name string
	// Written is the type as the input spelled it.
	Written string
	Type    FieldType
	Offset  uint64
	Size    uint64
	// Align is the field's alignment: its base type's.
	Align uint64
}

// Pad reports whether f is padding.
func (f LaidField) Pad() bool { return f.Name == "" }

// LaidRecord is a record laid out: every field at a multiple of its
// alignment, explicit padding wherever a gap falls, and explicit padding
// at the end up to a multiple of the record's alignment, the largest of
// its fields'. Because every gap is an explicit field, no compiler adds
// padding of its own, whatever its rule for 8-byte types (4 for
// double and long long on i386 System V, and Go on 386; 8 for MSVC and
// mingw-w64): the offsets and the size are the same on Windows amd64 and
// 386 and on Linux x86-64.
type LaidRecord struct {
	Name   string
	Size   uint64
	Align  uint64
	Fields []LaidField
}

// RecordLayout is the record and the types it uses, laid out. Types lists
// inputs.types in an order in which each follows the ones it uses, as C
// must declare them.
type RecordLayout struct {
	Types  []LaidRecord
	Record LaidRecord
}

// recordError is a rule broken by a record's name or one of its fields:
// inputs.record (--record) or inputs.types.
func recordError(inTypes bool, name, rule string) error {
	flag := "record"
	if inTypes {
		flag = "types"
	}
	return &Error{Flag: flag, Value: name, Rule: rule}
}

// LayOutRecord lays out c's record and its types, or says which rule they
// break. c.Record must not be nil.
func (c Config) LayOutRecord() (RecordLayout, error) {
	types := map[string]Record{}
	for _, t := range c.Types {
		types[t.Name] = t
	}
	laid := map[string]LaidRecord{}
	var order []LaidRecord
	// visiting holds the records being laid out, in order, to name a
	// cycle.
	var visiting []string
	var lay func(r Record, inTypes bool) (LaidRecord, error)
	lay = func(r Record, inTypes bool) (LaidRecord, error) {
		bad := func(rule string) (LaidRecord, error) { return LaidRecord{}, recordError(inTypes, r.Name, rule) }
		if len(r.Fields) == 0 {
			return bad("has no fields: give it at least one")
		}
		visiting = append(visiting, r.Name)
		defer func() { visiting = visiting[:len(visiting)-1] }()
		out := LaidRecord{Name: r.Name, Align: 1}
		var offset uint64
		for _, f := range r.Fields {
			ft, err := ParseFieldType(f.Type)
			if err != nil {
				return bad(fmt.Sprintf("has a field %s of type %s, which %v", Quote(f.Name), Quote(f.Type), err))
			}
			var size, align uint64
			switch {
			case ft.Scalar():
				size, align = scalarSizes[ft.Base], scalarSizes[ft.Base]
			case ft.Sized():
				size, align = sizedSizes[ft.Base], sizedSizes[ft.Base]
			default:
				if i := slices.Index(visiting, ft.Base); i >= 0 {
					return bad(fmt.Sprintf("has a field %s of type %s, which contains itself: %s", Quote(f.Name), Quote(f.Type), strings.Join(append(visiting[i:], ft.Base), " → ")))
				}
				sub, ok := laid[ft.Base]
				if !ok {
					t, known := types[ft.Base]
					if !known {
						where := "inputs.types names no such record"
						if len(c.Types) == 0 {
							where = "records used as types are declared in shmemgen.yaml's inputs.types"
						}
						return bad(fmt.Sprintf("has a field %s of type %s, which is not a type: %s; the types are %s", Quote(f.Name), Quote(f.Type), where, typeList))
					}
					if sub, err = lay(t, true); err != nil {
						return LaidRecord{}, err
					}
				}
				size, align = sub.Size, sub.Align
			}
			for _, d := range ft.Dims {
				if size *= d; size > MaxRecordSize {
					return bad(fmt.Sprintf("has a field %s of type %s, which is more than a record's %d bytes", Quote(f.Name), Quote(f.Type), MaxRecordSize))
				}
			}
			if gap := (align - offset%align) % align; gap > 0 {
				out.Fields = append(out.Fields, padding(offset, gap))
				offset += gap
			}
			out.Fields = append(out.Fields, LaidField{Name: f.Name, Written: f.Type, Type: ft, Offset: offset, Size: size, Align: align})
			offset += size
			out.Align = max(out.Align, align)
			if offset > MaxRecordSize {
				return bad(fmt.Sprintf("is more than %d bytes, the most a record may be, at its field %s", MaxRecordSize, Quote(f.Name)))
			}
		}
		if gap := (out.Align - offset%out.Align) % out.Align; gap > 0 {
			out.Fields = append(out.Fields, padding(offset, gap))
			offset += gap
		}
		if offset > MaxRecordSize {
			return bad(fmt.Sprintf("is more than %d bytes, the most a record may be", MaxRecordSize))
		}
		out.Size = offset
		if inTypes {
			laid[r.Name] = out
			order = append(order, out)
		}
		return out, nil
	}
	// Every type is laid out, used or not, so that each is checked.
	for _, t := range c.Types {
		if _, done := laid[t.Name]; done {
			continue
		}
		if _, err := lay(t, true); err != nil {
			return RecordLayout{}, err
		}
	}
	record, err := lay(*c.Record, false)
	if err != nil {
		return RecordLayout{}, err
	}
	return RecordLayout{Types: order, Record: record}, nil
}

func padding(offset, size uint64) LaidField {
	return LaidField{Written: fmt.Sprintf("bytes[%d]", size), Type: FieldType{Base: "bytes", Dims: []uint64{size}}, Offset: offset, Size: size, Align: 1}
}

// Keyword lists, one per language a binding is generated for: a record's
// or a field's name is refused when any of them has it, never renamed.
var (
	//go:embed keywords/c.txt
	keywordsC string
	//go:embed keywords/cpp.txt
	keywordsCPP string
	//go:embed keywords/go.txt
	keywordsGo string
	//go:embed keywords/csharp.txt
	keywordsCSharp string
	//go:embed keywords/python.txt
	keywordsPython string
	//go:embed keywords/rust.txt
	keywordsRust string
)

// languageKeywords are the keyword lists by language, in the order
// messages name them.
var languageKeywords = []struct {
	Language string
	list     nameList
}{
	{"C", nameList(keywordsC)},
	{"C++", nameList(keywordsCPP)},
	{"Go", nameList(keywordsGo)},
	{"C#", nameList(keywordsCSharp)},
	{"Python", nameList(keywordsPython)},
	{"Rust", nameList(keywordsRust)},
}

// keywordOf returns the first language that has name as a keyword, or "".
func keywordOf(name string) string {
	for _, l := range languageKeywords {
		if l.list.has(name) {
			return l.Language
		}
	}
	return ""
}

// ClientNames are the exported names of the generated Go client package,
// which a record's Go type would clash with. gen's tests check the list
// against the package itself.
var ClientNames = []string{
	"DLL", "Error", "LibraryName", "Load", "RecordFromJSON", "RecordJSON", "SegmentPath", "Status",
	"StatusAbandoned", "StatusBadArgument", "StatusBadLayout", "StatusLockTimeout",
	"StatusSetupFailed", "StatusSquatted", "StatusTruncated",
	"RecordLayoutHash",
}

// GoName is a record's or a field's name in Go: its first letter upper
// case, so that the client package exports it.
func GoName(name string) string {
	if name == "" {
		return ""
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// checkRecordName checks a record's or a field's name: the rules of export
// names, and no language's keyword.
func checkRecordName(name string) string {
	if err := CheckExport("", name); err != nil {
		return err.(*Error).Rule
	}
	if lang := keywordOf(name); lang != "" {
		return fmt.Sprintf("must not be a keyword of %s: bindings are generated for C, C++, Go, C#, Python and Rust, and a name is never renamed", lang)
	}
	return ""
}

// checkRecord checks the record and its types: names, then layout.
func (c Config) checkRecord() error {
	if c.Record == nil {
		switch {
		case len(c.Types) > 0:
			return &Error{Flag: "types", Rule: "are the types of a record's fields: declare inputs.record too, or remove them"}
		case c.ReadRecord != "":
			return &Error{Flag: "read-record", Value: c.ReadRecord, Rule: "names an export of the record: give --record too"}
		case c.WriteRecord != "":
			return &Error{Flag: "write-record", Value: c.WriteRecord, Rule: "names an export of the record: give --record too"}
		case c.WriteRecordRange != "":
			return &Error{Flag: "write-record-range", Value: c.WriteRecordRange, Rule: "names an export of the record: give --record too"}
		}
		return nil
	}
	exports := map[string]string{}
	for _, e := range c.Exports() {
		exports[e[1]] = e[0]
	}
	prefix := MacroPrefix(c.DLL) + "_"
	seenGo := map[string]string{}
	records := append([]Record{*c.Record}, c.Types...)
	recordNames := map[string]bool{}
	for _, r := range records {
		recordNames[r.Name] = true
	}
	for i, r := range records {
		inTypes := i > 0
		bad := func(rule string) error { return recordError(inTypes, r.Name, rule) }
		if rule := checkRecordName(r.Name); rule != "" {
			return bad(rule)
		}
		switch g := GoName(r.Name); {
		case strings.HasPrefix(r.Name, prefix):
			return bad(fmt.Sprintf("must not start with %s: the header defines macros with that prefix (from --dll)", prefix))
		case exports[r.Name] != "":
			return bad("must differ from --" + exports[r.Name] + ": the header declares both")
		case seenGo[g] == r.Name:
			return bad("is declared twice: record names must differ")
		case seenGo[g] != "":
			return bad(fmt.Sprintf("must differ from the record %s in more than the case of its first letter: Go names both %s", Quote(seenGo[g]), g))
		case slices.Contains(ClientNames, g):
			return bad(fmt.Sprintf("must not be %s in Go, %s: the client package already exports that name", g, Quote(g)))
		}
		seenGo[GoName(r.Name)] = r.Name
		fieldsGo := map[string]string{}
		for _, f := range r.Fields {
			if rule := checkRecordName(f.Name); rule != "" {
				return bad(fmt.Sprintf("has a field %s: the name %s", Quote(f.Name), rule))
			}
			if strings.HasPrefix(f.Name, prefix) {
				return bad(fmt.Sprintf("has a field %s: the name must not start with %s: the header defines macros with that prefix (from --dll)", Quote(f.Name), prefix))
			}
			if recordNames[f.Name] {
				return bad(fmt.Sprintf("has a field %s: the name must differ from every record's: C# forbids a member named like its record, and C++ one named like a record its record uses (it changes that name's meaning)", Quote(f.Name)))
			}
			if other := fieldsGo[GoName(f.Name)]; other == f.Name {
				return bad(fmt.Sprintf("has two fields named %s", Quote(f.Name)))
			} else if other != "" {
				return bad(fmt.Sprintf("has two fields named %s in Go (%s and %s): names must differ in more than the case of their first letter", GoName(f.Name), Quote(other), Quote(f.Name)))
			}
			fieldsGo[GoName(f.Name)] = f.Name
		}
	}
	layout, err := c.LayOutRecord()
	if err != nil {
		return err
	}
	return c.checkSetters(layout, exports)
}

// RecordSetter is one typed setter of the record: a field reached from the
// record through fields whose type is a record (Path, the record's own
// field first), which it writes whole, or a slice of whose outermost array
// it writes. Only whole fields and whole elements: a typed setter never
// cuts a value in half.
type RecordSetter struct {
	Path []LaidField
	// Offset is the field's, from the record's start.
	Offset uint64
}

// Field is the field the setter writes: its path's last.
func (s RecordSetter) Field() LaidField { return s.Path[len(s.Path)-1] }

// CName is the setter's name in C: the record's name, _set_ and the path's
// names joined by _ (Sample_set_pos_x).
func (s RecordSetter) CName(record string) string {
	names := make([]string, len(s.Path))
	for i, f := range s.Path {
		names[i] = f.Name
	}
	return record + "_set_" + strings.Join(names, "_")
}

// GoName is the setter's name in Go, a method of the client's DLL: Set
// and the path's Go names (SetPosX).
func (s RecordSetter) GoName() string {
	name := "Set"
	for _, f := range s.Path {
		name += GoName(f.Name)
	}
	return name
}

// Setters lists the record's typed setters, in declaration order, each
// field before the fields within it: one per field of the record, and,
// for a field whose type is a record (not an array of one), one per field
// of that record, and so on down.
func (l RecordLayout) Setters() []RecordSetter {
	types := map[string]LaidRecord{}
	for _, t := range l.Types {
		types[t.Name] = t
	}
	var out []RecordSetter
	var walk func(r LaidRecord, path []LaidField, base uint64)
	walk = func(r LaidRecord, path []LaidField, base uint64) {
		for _, f := range r.Fields {
			if f.Pad() {
				continue
			}
			p := append(slices.Clone(path), f)
			out = append(out, RecordSetter{Path: p, Offset: base + f.Offset})
			if sub, ok := types[f.Type.Base]; ok && len(f.Type.Dims) == 0 {
				walk(sub, p, base+f.Offset)
			}
		}
	}
	walk(l.Record, nil, 0)
	return out
}

// bindingMethods are the bindings' own methods whose names a setter's in
// Python and Rust (set_ and its path joined by _) could take: Rust's
// SharedMem.set_utf16 sets the shared string, and Rust has no overloading.
var bindingMethods = map[string]bool{"set_utf16": true}

// checkSetters refuses a record whose typed setters two names would share,
// in C or in Go (a field pos_x beside pos.x), or whose C setter is named
// like an export or a record: renaming one would leave it unexplained.
func (c Config) checkSetters(layout RecordLayout, exports map[string]string) error {
	records := map[string]bool{}
	for _, r := range append([]Record{*c.Record}, c.Types...) {
		records[r.Name] = true
	}
	seenC, seenGo := map[string]string{}, map[string]string{}
	for _, s := range layout.Setters() {
		path := make([]string, len(s.Path))
		for i, f := range s.Path {
			path[i] = f.Name
		}
		field := strings.Join(path, ".")
		name, goName := s.CName(c.Record.Name), s.GoName()
		bad := func(rule string) error {
			return recordError(false, c.Record.Name, fmt.Sprintf("has a field %s whose setter %s", Quote(field), rule))
		}
		switch {
		case seenC[name] != "":
			return bad(fmt.Sprintf("would be %s, as %s's is: rename one of them", name, Quote(seenC[name])))
		case seenGo[goName] != "":
			return bad(fmt.Sprintf("would be %s in Go, as %s's is: rename one of them", goName, Quote(seenGo[goName])))
		case exports[name] != "":
			return bad(fmt.Sprintf("would be %s, the name of --%s: the header declares both", name, exports[name]))
		case records[name]:
			return bad(fmt.Sprintf("would be %s, the name of a record: the header declares both", name))
		case bindingMethods["set_"+strings.Join(path, "_")]:
			return bad(fmt.Sprintf("would be set_%s in Rust, a method the Rust binding has already: rename the field", strings.Join(path, "_")))
		}
		seenC[name], seenGo[goName] = field, field
	}
	return nil
}
