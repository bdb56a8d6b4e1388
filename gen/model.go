package gen

import (
	"fmt"
	"go/token"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/shmemgen/shmemgen/config"
)

// The golang.org/x/sys that generated projects require, pinned here and
// nowhere else: go.mod.tmpl and go.sum.tmpl read these. This module requires
// the same version, so its own go.sum holds the same two hashes, verified by
// the go command against the checksum database; TestXSysPinned checks that
// they agree, offline. To move: go get golang.org/x/sys@VERSION here, then
// copy the version and the two h1: hashes from go.sum.
const (
	XSysVersion  = "v0.50.0"
	XSysSum      = "h1:dkKZEFTEKaLr1sjhs0WiKqoi8Jj5nHbS3Njmx1UoMJs="
	XSysGoModSum = "h1:hNLxWAXmnKAxqDtdwIYC4bM9oQPEecfsnNMuSxOs3og="
)

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
	// MacroPrefix starts the C macros the DLL's header defines
	// (config.MacroPrefix).
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

	// LockNameGo and LockNameC are the cross-process lock's name, the
	// mapping's with config.LockSuffix, as Go and C wide literals.
	LockNameGo string
	LockNameC  string
	// WakeNameGo and WakeNameC name the event that wakes the lock's
	// waiters: the mapping's name with config.WakeSuffix.
	WakeNameGo string
	WakeNameC  string
	// ChangedNameGo and ChangedNameC name the event that wakes the wait
	// export's waiters: the mapping's name with config.ChangedSuffix.
	ChangedNameGo string
	ChangedNameC  string
	// LockTimeoutMs is the longest wait for the lock, in milliseconds as
	// Windows waits; LockTimeoutHuman is the same as --lock-timeout takes it.
	LockTimeoutMs    uint32
	LockTimeoutHuman string
	// SDDLGo is the security descriptor as a Go literal; empty for the
	// default DACL.
	SDDLGo string
	// SDDLMarkdown is the same for Markdown code spans.
	SDDLMarkdown string
	// Trust is --trust: header, owner or namespace (config.TrustModes).
	Trust string
	// OwnerGo is --owner as a Go literal, empty when not given;
	// OwnerMarkdown the same for Markdown code spans.
	OwnerGo       string
	OwnerMarkdown string

	// HeaderSize is the layout header before the payload; the section is
	// SectionSize bytes, split for CreateFileMapping into two DWORDs.
	HeaderSize      uint64
	SectionSize     uint64
	SectionSizeHigh uint32
	SectionSizeLow  uint32
	// LayoutMagic and LayoutVersion identify the header's layout, and
	// Header lays it out, field by field.
	LayoutMagic   uint32
	LayoutVersion uint32
	Header        []HeaderField
	// Statuses are the status codes the DLL reports besides Win32's.
	Statuses []Status

	// ClientImport is the Go hosts' import path of the generated client
	// package, as a Go literal.
	ClientImport string

	XSysVersion  string
	XSysSum      string
	XSysGoModSum string

	// Vars are the --var values recorded in the answers file, for custom
	// templates: {{ .Vars.key }}.
	Vars map[string]string

	// FileVersionRC is the file version as VERSIONINFO's FILEVERSION takes
	// it, four comma-separated numbers; FileVersionFull the same with dots,
	// for its strings.
	FileVersionRC   string
	FileVersionFull string

	// Linux reports whether --os lists linux (windows it always lists),
	// and GoBuild is the build constraint of the Go files and core.c that
	// every listed system builds: "windows" or "windows || linux".
	Linux   bool
	GoBuild string
	// POSIXNameGo and POSIXNameC are the segment's POSIX shared-memory name
	// (config.Config.POSIXName) as a Go and a C string literal, and
	// POSIXNameMarkdown as a Markdown code span.
	POSIXNameGo       string
	POSIXNameC        string
	POSIXNameMarkdown string
	// ModeGo and ModeC are --mode as Go and C octal literals.
	ModeGo string
	ModeC  string

	// RootPackage names the package at the project's root, which holds the
	// go:generate directive: the DLL name as a Go package name.
	RootPackage string

	// Record is the typed record (record.go), nil when there is none.
	Record *RecordModel
}

// Status is one of the codes the DLL reports where Windows gave none. Bit
// 29 marks a code as application-defined, so none can be mistaken for a
// Win32 error code.
type Status struct {
	// Name is the C macro's suffix, Go the DLL's Go constant, Client the
	// client package's exported one.
	Name   string
	Go     string
	Client string
	Code   uint32
	Doc    string
}

var statuses = []Status{
	{"BAD_LAYOUT", "statusBadLayout", "StatusBadLayout", 0x20000001, "the mapping exists but is not this DLL's: wrong magic, version or size, or smaller than its header says (another program created the name first)"},
	{"LOCK_TIMEOUT", "statusLockTimeout", "StatusLockTimeout", 0x20000002, "the lock was not acquired within the lock timeout"},
	{"ABANDONED", "statusAbandoned", "StatusAbandoned", 0x20000003, "the call succeeded, but what it read may be half-written: a process died half-way through writing it, and no write has covered it since (or the lock was taken from this process while it held it, its process wrongly judged dead)"},
	{"SETUP_FAILED", "statusSetupFailed", "StatusSetupFailed", 0x20000004, "setting up the shared memory failed where Windows gave no error code"},
	{"BAD_ARGUMENT", "statusBadArgument", "StatusBadArgument", 0x20000005, "a NULL pointer, a zero-length buffer, or an offset and length outside the payload"},
	// 0x20000006 was FAULT, which Go exports reported for a bad pointer:
	// the C exports cannot, so it is retired rather than reused.
	{"TRUNCATED", "statusTruncated", "StatusTruncated", 0x20000007, "the call succeeded, but the string did not fit and was cut short: in the payload for a set, in the caller's buffer for a get"},
	{"SQUATTED", "statusSquatted", "StatusSquatted", 0x20000008, "another object holds the name of the section, the setup mutex, the wake event or the note event: one of another type, one whose DACL refuses this process the rights the DLL asks for (a squatter, or a peer whose --sddl leaves this process out), or, with --trust owner, one whose owner this process does not trust; setup retries in the background, and calls work once the name is free or usable"},
}

// sddlLiteral quotes a non-empty SDDL string for Go.
func sddlLiteral(sddl string) string {
	if sddl == "" {
		return ""
	}
	return strconv.Quote(sddl)
}

// maxChildChars caps the child's buffer at 1 MiB of UTF-16.
const maxChildChars = 512 * 1024

// NewModel derives the template model from a validated config.
func NewModel(c config.Config) Model {
	m := Model{
		Config:       c,
		Command:      command(c),
		NameGo:       strconv.Quote(c.Name),
		NameC:        cWideLiteral(c.Name),
		NameMarkdown: markdownCode(c.Name),
		MacroPrefix:  config.MacroPrefix(c.DLL),
		Global:       c.Global(),
		SizeHuman:    config.FormatSize(c.Size),
		SizeHigh:     uint32(c.Size >> 32),
		SizeLow:      uint32(c.Size),
		Capacity:     c.Size / 2,
		ChildChars:   min(c.Size/2, maxChildChars),
		XSysVersion:  XSysVersion,
		XSysSum:      XSysSum,
		XSysGoModSum: XSysGoModSum,

		LockNameGo:       strconv.Quote(c.Name + config.LockSuffix),
		LockNameC:        cWideLiteral(c.Name + config.LockSuffix),
		WakeNameGo:       strconv.Quote(c.Name + config.WakeSuffix),
		WakeNameC:        cWideLiteral(c.Name + config.WakeSuffix),
		ChangedNameGo:    strconv.Quote(c.Name + config.ChangedSuffix),
		ChangedNameC:     cWideLiteral(c.Name + config.ChangedSuffix),
		LockTimeoutMs:    uint32(time.Duration(c.LockTimeout) / time.Millisecond),
		LockTimeoutHuman: time.Duration(c.LockTimeout).String(),
		SDDLGo:           sddlLiteral(c.SDDL),
		SDDLMarkdown:     markdownCode(c.SDDL),
		Trust:            c.Trust,
		OwnerGo:          sddlLiteral(c.Owner),
		OwnerMarkdown:    markdownCode(c.Owner),
		HeaderSize:       headerSize,
		SectionSize:      c.Size + headerSize,
		SectionSizeHigh:  uint32((c.Size + headerSize) >> 32),
		SectionSizeLow:   uint32(c.Size + headerSize),
		LayoutMagic:      layoutMagic,
		LayoutVersion:    layoutVersion,
		Statuses:         statuses,
		ClientImport:     strconv.Quote(c.Module + "/client"),
		RootPackage:      rootPackage(c.DLL),
		Linux:            c.HasOS("linux"),
		GoBuild:          goBuild(c),
		// With --os linux the base name is portable ASCII, which needs no
		// escaping; without it the literals are documentation only.
		POSIXNameGo:       strconv.Quote(c.POSIXName()),
		POSIXNameC:        strconv.Quote(c.POSIXName()),
		POSIXNameMarkdown: markdownCode(c.POSIXName()),
		ModeGo:            fmt.Sprintf("0o%03o", c.ModeBits()),
		ModeC:             fmt.Sprintf("0%03o", c.ModeBits()),
		FileVersionRC:     fileVersion(c, ","),
		FileVersionFull:   fileVersion(c, "."),
	}
	m.Record = newRecordModel(c, m.MacroPrefix)
	if m.Record != nil {
		// The record's area follows the payload: the section grows by it.
		m.SectionSize = headerSize + m.Record.TrackedSize
		m.SectionSizeHigh, m.SectionSizeLow = uint32(m.SectionSize>>32), uint32(m.SectionSize)
	}
	m.Header = headerFields(m)
	return m
}

// fileVersion writes the file version's four numbers joined by sep.
func fileVersion(c config.Config, sep string) string {
	v := c.FileVersionParts()
	return fmt.Sprintf("%d%s%d%s%d%s%d", v[0], sep, v[1], sep, v[2], sep, v[3])
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
	add("write-bytes", c.WriteBytes, d.WriteBytes)
	add("read-bytes", c.ReadBytes, d.ReadBytes)
	add("size-export", c.SizeExport, d.SizeExport)
	add("length", c.Length, d.Length)
	add("wait", c.Wait, d.Wait)
	add("status", c.Status, d.Status)
	add("lock-timeout", time.Duration(c.LockTimeout).String(), time.Duration(d.LockTimeout).String())
	add("sddl", c.SDDL, d.SDDL)
	add("dll", c.DLL, d.DLL)
	add("arch", c.Arch, d.Arch)
	add("file-version", c.FileVersion, d.FileVersion)
	add("trust", c.Trust, d.Trust)
	add("owner", c.Owner, d.Owner)
	add("unlink", c.Unlink, d.Unlink)
	add("os", c.OS, d.OS)
	add("mode", c.Mode, d.Mode)
	args = append(args, "--module", shellQuote(c.Module))
	args = append(args, recordArgs(c)...)
	return strings.Join(args, " ")
}

// ShellQuote quotes s for POSIX shells when it needs quoting: what shmemgen
// prints for the user to paste.
func ShellQuote(s string) string { return shellQuote(s) }

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

// goBuild is the build constraint for the files every system of c builds.
func goBuild(c config.Config) string {
	var systems []string
	for _, system := range []string{"windows", "linux"} {
		if c.HasOS(system) {
			systems = append(systems, system)
		}
	}
	return strings.Join(systems, " || ")
}
