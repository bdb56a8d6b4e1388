package gen

import (
	"fmt"
	"go/token"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/shmemgen/shmemgen/config"
)

// XSysVersion is the golang.org/x/sys version generated projects require.
// gen_test checks it, and go.sum.tmpl's hashes, against this module's go.sum.
const XSysVersion = "v0.50.0"

// Model is what templates see: the validated config plus every derived name
// and literal, decided and escaped once here so that templates only place
// them.
type Model struct {
	config.Config

	// Command is the shmemgen command line that reproduces the project.
	Command string

	// NameGo and NameC are the mapping name as a Go string literal and as a
	// C wide string literal.
	NameGo string
	NameC  string
	// MacroPrefix starts the C macros the DLL's header defines: the DLL
	// name in upper case, '-' as '_'.
	MacroPrefix string
	// NameMarkdown is the mapping name for Markdown code spans.
	NameMarkdown string
	Global       bool

	// SizeHuman is the size as --size would take it; SizeHigh and SizeLow
	// are the two DWORDs CreateFileMapping takes.
	SizeHuman string
	SizeHigh  uint32
	SizeLow   uint32
	// Capacity is how many UTF-16 characters fit, terminator included.
	Capacity uint64
	// ChildChars is the child's read buffer, in characters: the whole
	// mapping, capped so that a huge mapping does not mean a huge buffer.
	ChildChars uint64

	XSysVersion string

	// Vars are the --var values recorded in the answers file, for custom
	// templates: {{ .Vars.key }}.
	Vars map[string]string

	// RootPackage names the package at the project's root, which holds the
	// go:generate directive: the DLL name as a Go package name.
	RootPackage string
}

// maxChildChars caps the child's buffer at 1 MiB of UTF-16.
const maxChildChars = 512 * 1024

// NewModel derives the template model from a validated config.
func NewModel(c config.Config) Model {
	return Model{
		Config:       c,
		Command:      command(c),
		NameGo:       strconv.Quote(c.Name),
		NameC:        cWideLiteral(c.Name),
		NameMarkdown: markdownCode(c.Name),
		MacroPrefix:  strings.ToUpper(strings.ReplaceAll(c.DLL, "-", "_")),
		Global:       c.Global(),
		SizeHuman:    config.FormatSize(c.Size),
		SizeHigh:     uint32(c.Size >> 32),
		SizeLow:      uint32(c.Size),
		Capacity:     c.Size / 2,
		ChildChars:   min(c.Size/2, maxChildChars),
		XSysVersion:  XSysVersion,
		RootPackage:  rootPackage(c.DLL),
	}
}

// rootPackage makes a package name of a DLL name, which is a letter and
// then letters, digits, '-' or '_': lower case, without '-' or '_', and
// never a keyword.
func rootPackage(dll string) string {
	name := strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(dll))
	if token.IsKeyword(name) {
		name += "dll"
	}
	return name
}

// command spells the shmemgen invocation that reproduces c, naming only
// the flags that differ from their defaults.
func command(c config.Config) string {
	d := config.Default("")
	args := []string{"shmemgen", "new"}
	add := func(flag, value, def string) {
		if value != def {
			args = append(args, "--"+flag, shellQuote(value))
		}
	}
	add("name", c.Name, d.Name)
	add("size", config.FormatSize(c.Size), config.FormatSize(d.Size))
	add("set", c.Set, d.Set)
	add("get", c.Get, d.Get)
	add("dll", c.DLL, d.DLL)
	args = append(args, "--module", shellQuote(c.Module))
	return strings.Join(args, " ")
}

// shellQuote quotes s for POSIX shells when it needs quoting.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@+,", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// cWideLiteral writes s as a C wide string literal in plain ASCII. Every
// character outside printable ASCII, and every one C treats specially, is a
// \x escape of one UTF-16 unit (wchar_t is 16 bits on Windows); because \x
// consumes every hex digit that follows, each escape ends its literal piece
// and the next piece starts a new one, which C concatenates.
func cWideLiteral(s string) string {
	var b strings.Builder
	b.WriteString(`L"`)
	for _, u := range utf16.Encode([]rune(s)) {
		if u >= 0x20 && u < 0x7f && u != '"' && u != '\\' && u != '?' {
			b.WriteByte(byte(u))
			continue
		}
		fmt.Fprintf(&b, `\x%04x" L"`, u)
	}
	b.WriteString(`"`)
	return strings.ReplaceAll(b.String(), ` L""`, "")
}

// markdownCode writes s as a Markdown code span, fenced with more backticks
// than s contains in a row.
func markdownCode(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}
