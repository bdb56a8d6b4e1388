package gen

import (
	"fmt"
	"strings"
)

// The record's typed setters as the bindings spell them: the same setters
// as api.h's and the Go client's (one per field, and per field of a field
// whose type is a record, down), named by the same path in each language's
// convention, each a write of the record range the field covers.

// spellSetterFields gives each setter the field it writes, as that
// field's own record spells it, for the bindings' types.
func (r *RecordModel) spellSetterFields() {
	types := map[string]RecordType{}
	for _, t := range r.All() {
		types[t.Name] = t
	}
	for i, s := range r.Setters {
		owner := r.Record
		r.Setters[i].Owners = nil
		for j, name := range s.Names {
			r.Setters[i].Owners = append(r.Setters[i].Owners, owner.Name)
			for _, f := range owner.Fields {
				if f.C == name && !f.Pad {
					r.Setters[i].Field = f
				}
			}
			if j < len(s.Names)-1 {
				owner = types[r.Setters[i].Field.JSON.Record]
			}
		}
	}
}

// SnakeName is the setter's name in Python and Rust: set_ and the path's
// names joined by _ (set_pos_x), api.h's without the record's name, so
// that C's check that no two setters share a name covers it.
func (s RecordSetter) SnakeName() string { return "set_" + strings.Join(s.Names, "_") }

// Scalar reports a setter of a single scalar (a value that is no record).
func (s RecordSetter) Scalar() bool { return s.Kind == "value" && !s.Field.Nested() }

// Bool reports a setter of a bool, or of an array of them.
func (s RecordSetter) Bool() bool { return s.Field.JSON.Kind == "BOOL" }

// ElemUnits is how many of the C# element type's units (CSElem) one
// element of a slice setter holds: 1, or the length of an array of arrays'
// element, flattened (a utf16[4][2]'s element is 4 chars).
func (s RecordSetter) ElemUnits() uint64 { return s.Field.Count() / s.Len }

// CSElem is a slice setter's element type in C#, flattened to the unit of
// an array of arrays; CSValue a value setter's parameter type (bool for a
// bool).
func (s RecordSetter) CSElem() string { return s.Field.CSType() }

func (s RecordSetter) CSValue() string {
	if s.Bool() {
		return "bool"
	}
	return s.Field.CSType()
}

// PyFormat is the struct module's format of a scalar, or of a slice's
// element when it is a scalar (a bool as ?, so that any truth value is
// stored as 1 or 0); empty for a record or an array.
func (s RecordSetter) PyFormat() string {
	f := s.Field
	if s.Kind == "slice" && s.ElemUnits() != 1 || f.Nested() {
		return ""
	}
	switch f.JSON.Kind {
	case "BOOL":
		return "?"
	case "I8":
		return "b"
	case "I16":
		return "h"
	case "I32":
		return "i"
	case "I64":
		return "q"
	case "U8", "BYTES":
		return "B"
	case "U16", "UTF16":
		return "H"
	case "U32":
		return "I"
	case "U64":
		return "Q"
	case "F32":
		return "f"
	case "F64":
		return "d"
	}
	return ""
}

// PyElem is a slice setter's element as a ctypes type, when it is a
// record or an array (PyFormat is empty).
func (s RecordSetter) PyElem() string {
	f := s.Field
	if len(f.JSON.Dims) == 0 {
		return "" // bytes[N]: its elements are bytes
	}
	f.JSON.Dims = f.JSON.Dims[1:]
	return f.PyType()
}

// PyOffset is the field's offset as the Python binding computes it: the
// sum of the ctypes fields' offsets down its path (Every.pos.offset +
// Point.x.offset).
func (s RecordSetter) PyOffset() string {
	var parts []string
	for i, name := range s.Names {
		parts = append(parts, fmt.Sprintf("%s.%s.offset", s.Owners[i], name))
	}
	return strings.Join(parts, " + ")
}

// PyField is the ctypes field the setter writes (Point.x), whose size,
// over Len, is a slice's element's.
func (s RecordSetter) PyField() string {
	return s.Owners[len(s.Owners)-1] + "." + s.Names[len(s.Names)-1]
}

// RustValue is a value setter's parameter type in Rust (bool for a bool,
// a reference for a record); RustElem a slice setter's element type.
func (s RecordSetter) RustValue() string {
	switch {
	case s.Bool():
		return "bool"
	case s.Field.Nested():
		return "&" + s.Field.JSON.Record
	}
	return s.Field.RustType()
}

func (s RecordSetter) RustElem() string {
	f := s.Field
	if len(f.JSON.Dims) == 0 {
		return "u8" // bytes[N]
	}
	f.JSON.Dims = f.JSON.Dims[1:]
	return f.RustType()
}
