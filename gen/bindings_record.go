package gen

import (
	"fmt"
	"strings"
)

// The record's fields as the bindings declare them. Every binding places
// the model's offsets: C# with FieldOffset, Python and Rust with the
// model's padding members, checked where each language can check.

// Count is how many leaves (scalars, utf16 units, bytes or records) the
// field holds: the product of its arrays' lengths and of a utf16 or bytes
// leaf's own length.
func (f RecordField) Count() uint64 {
	n := uint64(1)
	for _, d := range f.JSON.Dims {
		n *= d
	}
	if f.JSON.Len > 0 {
		n *= f.JSON.Len
	}
	return n
}

// Text reports a utf16 field (or an array of them).
func (f RecordField) Text() bool { return f.JSON.Kind == "UTF16" }

// Nested reports a field of a record type (or an array of them).
func (f RecordField) Nested() bool { return f.JSON.Kind == "RECORD" }

// CSType is the C# type of the field's unit: what a fixed buffer holds,
// or the field's type when it is a single scalar or record.
func (f RecordField) CSType() string {
	switch f.JSON.Kind {
	case "BOOL", "U8", "BYTES":
		return "byte"
	case "I8":
		return "sbyte"
	case "I16":
		return "short"
	case "I32":
		return "int"
	case "I64":
		return "long"
	case "U16":
		return "ushort"
	case "U32":
		return "uint"
	case "U64":
		return "ulong"
	case "F32":
		return "float"
	case "F64":
		return "double"
	case "UTF16":
		return "char"
	}
	return f.JSON.Record
}

// CSFixed reports a field C# declares as a fixed buffer: an array, text
// or bytes of a primitive type (C# has no fixed buffers of structs).
func (f RecordField) CSFixed() bool { return !f.Nested() && f.Count() > 1 }

// CSElements are the offsets of an array of records' elements, which C#
// declares one by one.
func (f RecordField) CSElements() []uint64 {
	var offsets []uint64
	for i := range f.Count() {
		offsets = append(offsets, f.Offset+i*f.JSON.LeafSize)
	}
	return offsets
}

// PyType is the field's ctypes type.
func (f RecordField) PyType() string {
	if f.Pad {
		return fmt.Sprintf("ctypes.c_uint8 * %d", f.Size)
	}
	t := ""
	switch f.JSON.Kind {
	case "BOOL", "U8":
		t = "ctypes.c_uint8"
	case "I8", "I16", "I32", "I64":
		t = "ctypes.c_int" + strings.TrimPrefix(f.JSON.Kind, "I")
	case "U16", "U32", "U64":
		t = "ctypes.c_uint" + strings.TrimPrefix(f.JSON.Kind, "U")
	case "F32":
		t = "ctypes.c_float"
	case "F64":
		t = "ctypes.c_double"
	case "UTF16":
		t = fmt.Sprintf("(ctypes.c_uint16 * %d)", f.JSON.Len)
	case "BYTES":
		t = fmt.Sprintf("(ctypes.c_uint8 * %d)", f.JSON.Len)
	default:
		t = f.JSON.Record
	}
	for i := len(f.JSON.Dims) - 1; i >= 0; i-- {
		t = fmt.Sprintf("(%s * %d)", t, f.JSON.Dims[i])
	}
	return strings.TrimSuffix(strings.TrimPrefix(t, "("), ")")
}

// RustType is the field's Rust type.
func (f RecordField) RustType() string {
	if f.Pad {
		return fmt.Sprintf("[u8; %d]", f.Size)
	}
	t := ""
	switch f.JSON.Kind {
	case "BOOL":
		t = "u8"
	case "UTF16":
		t = fmt.Sprintf("[u16; %d]", f.JSON.Len)
	case "BYTES":
		t = fmt.Sprintf("[u8; %d]", f.JSON.Len)
	case "RECORD":
		t = f.JSON.Record
	default:
		t = strings.ToLower(f.JSON.Kind)
	}
	for i := len(f.JSON.Dims) - 1; i >= 0; i-- {
		t = fmt.Sprintf("[%s; %d]", t, f.JSON.Dims[i])
	}
	return t
}

// DimsList is the field's array lengths, comma-separated, for the
// bindings' JSON tables.
func (f RecordField) DimsList() string {
	var s []string
	for _, d := range f.JSON.Dims {
		s = append(s, fmt.Sprint(d))
	}
	return strings.Join(s, ", ")
}

// ExampleField is the field the README's binding examples set: the
// record's first integer or float that is not an array, or nil.
func (r RecordModel) ExampleField() *RecordField {
	for i, f := range r.Record.Fields {
		if f.Pad || len(f.JSON.Dims) > 0 {
			continue
		}
		switch f.JSON.Kind {
		case "BOOL", "UTF16", "BYTES", "RECORD":
			continue
		}
		return &r.Record.Fields[i]
	}
	return nil
}

// ExampleValue is the value the README's examples give ExampleField: 7,
// or 1.5 for a float, which Rust will not take as 7.
func (f RecordField) ExampleValue() string {
	if f.JSON.Kind == "F32" || f.JSON.Kind == "F64" {
		return "1.5"
	}
	return "7"
}
