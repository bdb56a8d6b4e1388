package gen

import (
	"fmt"
	"strings"
)

// The bindings' string literals: the texts the bindings carry (the status
// texts, the segment's path, which holds the mapping name) written in
// printable ASCII for each language, so that no name --os windows accepts
// (a double quote, a no-break space, an emoji) breaks a binding's source.

// PyLiteral writes s as a Python string literal.
func (Model) PyLiteral(s string) string {
	return escapedLiteral(s, func(r rune) string {
		if r > 0xffff {
			return fmt.Sprintf(`\U%08x`, r)
		}
		return fmt.Sprintf(`\u%04x`, r)
	})
}

// CSLiteral writes s as a C# string literal.
func (Model) CSLiteral(s string) string {
	return escapedLiteral(s, func(r rune) string {
		if r > 0xffff {
			return fmt.Sprintf(`\U%08x`, r)
		}
		return fmt.Sprintf(`\u%04x`, r)
	})
}

// RustLiteral writes s as a Rust string literal.
func (Model) RustLiteral(s string) string {
	return escapedLiteral(s, func(r rune) string { return fmt.Sprintf(`\u{%x}`, r) })
}

// escapedLiteral quotes s with double quotes: printable ASCII as it is, but
// for a backslash and a double quote, which a backslash escapes, and every
// other character as escape writes it. The three languages read \\ and \"
// alike.
func escapedLiteral(s string, escape func(rune) string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		default:
			b.WriteString(escape(r))
		}
	}
	b.WriteByte('"')
	return b.String()
}

// SegmentPath is the Linux segment's file, /dev/shm and the POSIX name.
func (m Model) SegmentPath() string { return "/dev/shm" + m.POSIXName() }
