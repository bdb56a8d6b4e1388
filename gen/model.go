package gen

import (
	"fmt"
	"go/token"
	"slices"
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
	// GoBuildOther is its negation, the constraint of the client's stub
	// for the systems not listed, which lets scaffolded code that uses
	// the client build everywhere with no constraint of its own.
	Linux        bool
	GoBuild      string
	GoBuildOther string
	// POSIXNameGo and POSIXNameC are the segment's POSIX shared-memory name
	// (config.Config.POSIXName) as a Go and a C string literal, and
	// POSIXNameMarkdown as a Markdown code span.
	POSIXNameGo       string
	POSIXNameC        string
	POSIXNameMarkdown string
	// StaleLinux is BAD_LAYOUT's text on Linux, in every language: it
	// names the segment's path under /dev/shm and says how to remove it,
	// since the usual cause is a segment left by a build with another size
	// or layout. StaleLinuxGo quotes it for Go, and StaleLinuxC for C after
	// the status's name, as every C status text starts (Status.Text).
	StaleLinux   string
	StaleLinuxGo string
	StaleLinuxC  string
	// TimeoutTextC is a timed-out wait's status text, as a C literal.
	TimeoutTextC string
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
	// client package's exported one. Doc says what the status means, in
	// the doc comments; Short is the phrase a message carries, which a log
	// line can: the client's error string, and after the name, C's and the
	// bindings' status text.
	Name   string
	Go     string
	Client string
	Code   uint32
	Doc    string
	Short  string
}

// Text is the status's text in C's and the bindings' status-to-text
// functions: its name, then its short phrase. (BAD_LAYOUT's on Linux is
// Model.StaleLinux.)
func (s Status) Text() string { return s.Name + ": " + s.Short }

// TextC is Text as a C string literal.
func (s Status) TextC() string { return cLiteral(s.Text()) }

// badLayoutWrong is what BAD_LAYOUT's texts say a header got wrong; with a
// record, recordStatuses adds its layout hash.
const badLayoutWrong = "wrong magic, version or size"

// recordStatuses are the statuses of a project with a typed record:
// BAD_LAYOUT's texts also name a record layout other than this build's,
// as a library built for another record leaves it, and this build's hash.
func recordStatuses(hash uint64) []Status {
	out := slices.Clone(statuses)
	for i, s := range out {
		if s.Name == "BAD_LAYOUT" {
			out[i].Doc = strings.Replace(s.Doc, badLayoutWrong, recordLayoutWrong(hash), 1)
			out[i].Short = s.Short + ", or has " + otherRecordLayout(hash)
		}
	}
	return out
}

// recordLayoutWrong is badLayoutWrong with a record of layout hash.
func recordLayoutWrong(hash uint64) string {
	return badLayoutWrong + ", or " + otherRecordLayout(hash)
}

// otherRecordLayout is what BAD_LAYOUT's texts add with a record of layout
// hash, its own short text too: a user whose two builds meet sees which
// hash this one expects.
func otherRecordLayout(hash uint64) string {
	return fmt.Sprintf("a record layout hash other than this build's 0x%016x", hash)
}

var statuses = []Status{
	{"BAD_LAYOUT", "statusBadLayout", "StatusBadLayout", 0x20000001, "the mapping exists but is not this DLL's: " + badLayoutWrong + ", or smaller than its header says (another program, or a build of this library with another size or layout, created the name first)", "the mapping is not this library's"},
	{"LOCK_TIMEOUT", "statusLockTimeout", "StatusLockTimeout", 0x20000002, "the lock was not acquired within the lock timeout", "the lock was not acquired in time"},
	{"ABANDONED", "statusAbandoned", "StatusAbandoned", 0x20000003, "the call succeeded, but what it read may be half-written: a process died half-way through writing it, and no write has covered it since (or the lock was taken from this process while it held it, its process wrongly judged dead)", "the lock's holder died: what was read may be half-written"},
	{"SETUP_FAILED", "statusSetupFailed", "StatusSetupFailed", 0x20000004, "setting up the shared memory failed where Windows gave no error code", "setting up the shared memory failed"},
	{"BAD_ARGUMENT", "statusBadArgument", "StatusBadArgument", 0x20000005, "a NULL pointer, a zero-length buffer, or an offset and length outside the payload", "a NULL pointer, empty buffer or range outside the payload"},
	// 0x20000006 was FAULT, which Go exports reported for a bad pointer:
	// the C exports cannot, so it is retired rather than reused.
	{"TRUNCATED", "statusTruncated", "StatusTruncated", 0x20000007, "the call succeeded, but the string did not fit and was cut short: in the payload for a set, in the caller's buffer for a get", "the string was cut short to fit"},
	{"SQUATTED", "statusSquatted", "StatusSquatted", 0x20000008, "another object holds the name of the section, the setup mutex, the wake event or the note event: one of another type, one whose DACL refuses this process the rights the DLL asks for (a squatter, or a peer whose security descriptor leaves this process out), or, when the owner trust mode is chosen, one whose owner this process does not trust; setup retries in the background, and calls work once the name is free or usable", "the name is held by another object"},
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
		GoBuildOther:     goBuildOther(c),
		// With --os linux the base name is portable ASCII, which needs no
		// escaping; without it the literals are documentation only.
		POSIXNameGo:       strconv.Quote(c.POSIXName()),
		POSIXNameC:        strconv.Quote(c.POSIXName()),
		POSIXNameMarkdown: markdownCode(c.POSIXName()),
		TimeoutTextC:      cLiteral("ERROR_TIMEOUT: the wait timed out"),
		ModeGo:            fmt.Sprintf("0o%03o", c.ModeBits()),
		ModeC:             fmt.Sprintf("0%03o", c.ModeBits()),
		FileVersionRC:     fileVersion(c, ","),
		FileVersionFull:   fileVersion(c, "."),
	}
	m.StaleLinux = staleLinux(c)
	m.Record = newRecordModel(c, m.MacroPrefix)
	if m.Record != nil {
		m.Statuses = recordStatuses(m.Record.LayoutHash)
		m.StaleLinux = strings.Replace(m.StaleLinux, badLayoutWrong, recordLayoutWrong(m.Record.LayoutHash), 1)
		// The record's area follows the payload: the section grows by it.
		m.SectionSize = headerSize + m.Record.TrackedSize
		m.SectionSizeHigh, m.SectionSizeLow = uint32(m.SectionSize>>32), uint32(m.SectionSize)
	}
	m.StaleLinuxGo, m.StaleLinuxC = strconv.Quote(m.StaleLinux), cLiteral("BAD_LAYOUT: "+m.StaleLinux)
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
// the flags that differ from their defaults, and every derived one; the
// record's flags come last (RecordArgs).
func command(c config.Config) string {
	d := config.Default("")
	args := []string{"shmemgen", "new"}
	for _, in := range config.Inputs {
		if in.RecordExport {
			continue
		}
		if v := in.Value(c); in.Derived || v != in.Value(d) {
			args = append(args, "--"+in.Flag, shellQuote(v))
		}
	}
	args = append(args, RecordArgs(c)...)
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

// cWideLiteral writes s as a C wide string literal in plain ASCII, as a
// person would: a backslash and a double quote escaped with a backslash, a
// question mark that follows another one as \? (so that no trigraph forms),
// and every character outside printable ASCII a \x escape of one UTF-16
// unit (wchar_t is 16 bits on Windows); because \x consumes every hex digit
// that follows, each such escape ends its literal piece and the next piece
// starts a new one, which C concatenates.
func cWideLiteral(s string) string {
	var b strings.Builder
	b.WriteString(`L"`)
	prev := uint16(0)
	for _, u := range utf16.Encode([]rune(s)) {
		switch {
		case u == '"' || u == '\\' || (u == '?' && prev == '?'):
			b.WriteByte('\\')
			b.WriteByte(byte(u))
		case u >= 0x20 && u < 0x7f:
			b.WriteByte(byte(u))
		default:
			fmt.Fprintf(&b, `\x%04x" L"`, u)
		}
		prev = u
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
	for _, system := range config.Systems {
		if c.HasOS(system) {
			systems = append(systems, system)
		}
	}
	return strings.Join(systems, " || ")
}

// goBuildOther is the build constraint of every system c does not list:
// "!windows && !linux", or "!windows" for a project built for Windows alone.
func goBuildOther(c config.Config) string {
	var not []string
	for _, system := range config.Systems {
		if c.HasOS(system) {
			not = append(not, "!"+system)
		}
	}
	return strings.Join(not, " && ")
}

// staleLinux is BAD_LAYOUT's text on Linux: what is in the way (the
// segment's path), why it is likely there, and how to clear it.
func staleLinux(c config.Config) string {
	path := "/dev/shm" + c.POSIXName()
	return "the segment " + path + " is not this build's (" + badLayoutWrong + "): " +
		"most likely a build with another size or layout left it, as a segment outlives its processes; " +
		"if no program still uses it, remove it with bin/parent --unlink (or rm " + path + ") and run again"
}

// cLiteral writes s as a C string literal in plain ASCII: every byte
// outside printable ASCII, and every character C treats specially, is a
// three-digit octal escape, which never runs into the digits after it.
func cLiteral(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '?' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "\\%03o", c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
