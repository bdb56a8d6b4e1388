package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Input is one input of a project, declared once. Everything else about it
// is derived from its row in Inputs: the flag of shmemgen new that sets it
// (and its help), its key in the answers file, its default (Default), the
// export it names (Exports), the shmemgen command line recorded in the
// project (gen) and its row in docs/new.md. Its rule is a check in
// Validate; the templates read it as the Config field its row binds.
type Input struct {
	// Flag is the flag's name, and the input's key in the answers file:
	// the yaml tag of the Config field the row binds (TestInputsBindFields
	// checks that they agree).
	Flag    string
	Aliases []string
	// Category groups the flag in shmemgen new --help and in docs/new.md.
	Category string
	// Default is the value as the flag takes it, "" for none.
	Default string
	// Derived marks an input whose default new derives from other values
	// (DefaultDoc says how): a recorded command line always spells it, so
	// that it reproduces the project wherever it runs.
	Derived bool
	// Usage is the flag's help: one line, `WORD` naming its value.
	Usage string
	// DefaultDoc and Doc are the input's default and rule in the docs, in
	// Markdown; DefaultDoc replaces Default there when set.
	DefaultDoc string
	Doc        string
	// Export marks an input that names one of the library's exports: it is
	// listed by Exports and held to the export names' rules.
	Export bool
	// RecordExport marks an export of the typed record: Exports lists it
	// only with a record, by the name RecordExports gives it.
	RecordExport bool

	value value
}

// The categories of new's flags, in its --help and in docs/new.md.
// urfave/cli shows a command's uncategorized flags first, then each
// category, sorted by name: the flags most runs give are therefore
// uncategorized, and the others' names sort in the order they should read.
const (
	CategoryCommon   = ""
	CategoryBuild    = "Build"
	CategoryExports  = "Exports"
	CategorySecurity = "Lock and security"
	CategoryRecord   = "Record"
)

// Inputs are every input, in the order a recorded command line gives them.
var Inputs = []Input{
	{
		Flag: "name", Default: DefaultName,
		Usage: "file-mapping `NAME`; an optional Local\\ or Global\\ prefix, then no backslash, at most 255 characters",
		Doc:   "the file-mapping name: an optional `Local\\` or `Global\\` prefix (case-sensitive), then no backslash and no control characters; at most 255 UTF-16 characters, so that the lock's name (the same with `.lock` appended) fits in `MAX_PATH`. `Global\\` warns that creating it needs `SeCreateGlobalPrivilege`.",
		value: text(func(c *Config) *string { return &c.Name }),
	},
	{
		Flag: "size", Default: "4096",
		Usage: "mapping `SIZE` in bytes or binary units (4096, 64KiB, 1MiB, 1GiB); even, 4 bytes to 1TiB (1GiB with --arch 386)",
		Doc:   "the payload, in bytes or binary units (`64KiB`, `1MiB`, `1GiB`, `1TiB`); even (it holds UTF-16), from 4 bytes to 1 TiB, and at most 1 GiB with `--arch` including `386`: a 32-bit process maps the whole section into one free range of its 2 GiB of address space, which its code, heaps and DLLs share. Decimal units (`64KB`) and fractions are refused. The section is 64 bytes larger, for the layout header; sizes over 4 GiB reach `CreateFileMapping` split into its high and low DWORDs.",
		value: size(func(c *Config) *uint64 { return &c.Size }),
	},
	{
		Flag: "set", Category: CategoryExports, Default: "SetSharedMem", Export: true,
		Usage: "`NAME` of the export that writes the shared string (a C identifier)",
		Doc:   "the string writer. Export names are distinct C identifiers of at most 64 characters that start with a letter, are not C, C++ or Go keywords, do not start with `cgo`, `crosscall`, `shmemgen_` in any case, `PFN_` or the header's macro prefix (`--dll` in upper case and `_`: `SHMEM_`), are not an entry point (`main`, `DllMain`, …) or a macro that configures `windows.h` (`UNICODE`, `WIN32_LEAN_AND_MEAN`, …), and are not any identifier that `windows.h`, the C runtime's headers (`stdint.h`, `uchar.h`, … too) or cgo declare or define (`Sleep`, `CreateFile`, `near`, `MAX_PATH`, `fopen`, `GoString`, …; about 38,000 names, listed in `config/sysnames.txt`).",
		value: text(func(c *Config) *string { return &c.Set }),
	},
	{
		Flag: "get", Category: CategoryExports, Default: "GetSharedMem", Export: true,
		Usage: "`NAME` of the export that reads the shared string (a C identifier)",
		Doc:   "the string reader; an export name, as for `--set`",
		value: text(func(c *Config) *string { return &c.Get }),
	},
	{
		Flag: "write-bytes", Category: CategoryExports, Default: "WriteSharedBytes", Export: true,
		Usage: "`NAME` of the export that writes bytes at an offset",
		Doc:   "the byte writer, `BOOL f(LPCVOID src, ULONGLONG offset, ULONGLONG n)`",
		value: text(func(c *Config) *string { return &c.WriteBytes }),
	},
	{
		Flag: "read-bytes", Category: CategoryExports, Default: "ReadSharedBytes", Export: true,
		Usage: "`NAME` of the export that reads bytes at an offset",
		Doc:   "the byte reader, `BOOL f(LPVOID dst, ULONGLONG offset, ULONGLONG n)`",
		value: text(func(c *Config) *string { return &c.ReadBytes }),
	},
	{
		Flag: "size-export", Category: CategoryExports, Default: "SharedMemSize", Export: true,
		Usage: "`NAME` of the export that returns the payload size",
		Doc:   "`ULONGLONG f(void)`: the payload's size",
		value: text(func(c *Config) *string { return &c.SizeExport }),
	},
	{
		Flag: "length", Category: CategoryExports, Default: "SharedMemLength", Export: true,
		Usage: "`NAME` of the export that returns the shared string's length",
		Doc:   "`ULONGLONG f(void)`: the stored string's length in UTF-16 units",
		value: text(func(c *Config) *string { return &c.Length }),
	},
	{
		Flag: "wait", Category: CategoryExports, Default: "WaitSharedMem", Export: true,
		Usage: "`NAME` of the export that waits until the payload changes",
		Doc:   "`BOOL f(ULONGLONG *generation, DWORD timeoutMs)`: waits until the payload changes",
		value: text(func(c *Config) *string { return &c.Wait }),
	},
	{
		Flag: "status", Category: CategoryExports, Default: "SharedMemLastError", Export: true,
		Usage: "`NAME` of the export that returns the calling thread's last status",
		Doc:   "`DWORD f(void)`: the calling thread's last status",
		value: text(func(c *Config) *string { return &c.Status }),
	},
	{
		Flag: "lock-timeout", Category: CategorySecurity, Default: "5s",
		Usage: "longest wait for the cross-process lock (`DURATION`, 0s to 1h); a call that times out fails",
		Doc:   "the longest wait for the cross-process lock, 0s to 1h, whole milliseconds; a call that times out fails with `LOCK_TIMEOUT`",
		value: duration(func(c *Config) *Duration { return &c.LockTimeout }),
	},
	{
		Flag: "sddl", Category: CategorySecurity, DefaultDoc: "none: the default DACL",
		Usage: "security descriptor (`SDDL`) for the mapping and its lock (default: the process's default DACL)",
		Doc:   "the security descriptor of the mapping, its setup mutex, its wake event and its note event, as SDDL (`D:P(A;;GA;;;SY)(A;;0x120007;;;IU)`: all to SYSTEM, and to interactive users only what the DLL asks for, `READ_CONTROL` included for `--trust owner`; see [Security](security.md)); one Windows rejects fails setup, reported by the status export",
		value: text(func(c *Config) *string { return &c.SDDL }),
	},
	{
		Flag: "dll", Default: "shmem",
		Usage: "DLL base `NAME`: builds bin/NAME.dll and bin/NAME.h",
		Doc:   "the DLL's base name: `bin/NAME.dll`, `bin/NAME.h`. A letter, then letters, digits, `-`, `_`; not a Windows device name, not the name of a Windows system or runtime DLL (`kernel32`, `msvcrt`, `ntdll`, `bcryptprimitives`, `ucrtbase`, `api-ms-win-…`, any case: a host would import the exports from it), and not `main` (the root package is named after it).",
		value: text(func(c *Config) *string { return &c.DLL }),
	},
	{
		Flag: "arch", Category: CategoryBuild, Default: "amd64",
		Usage: "comma-separated Windows `ARCHITECTURES` to build for: amd64, 386 or amd64,386 (386 builds go to bin/386/)",
		Doc:   "the Windows architectures `build.sh` and `build.ps1` build for: `amd64`, `386`, or both as `amd64,386`; comma-separated, no spaces, each at most once. amd64 goes to `bin/`, 386 to `bin/386/` (the DLL, its header, `.def` and import library, and both pairs of hosts), with `i686-w64-mingw32-gcc` (`CC_386`) and `i686-w64-mingw32-dlltool` (`DLLTOOL_386`). The exports are `__cdecl` on 386 too, exported undecorated (no `_`, no `@n`).",
		value: list(func(c *Config) *string { return &c.Arch }),
	},
	{
		Flag: "file-version", Category: CategoryBuild, Default: "1.0.0.0",
		Usage: "`VERSION` in the DLL's and the hosts' version resources: one to four dot-separated numbers from 0 to 65535",
		Doc:   "the version in the `VERSIONINFO` resource of the DLL and of every host (`FileVersion`, `ProductVersion`, and `FileDescription`, `OriginalFilename`, `ProductName`): one to four dot-separated decimal numbers from 0 to 65535 (`2.5` is `2.5.0.0`)",
		value: text(func(c *Config) *string { return &c.FileVersion }),
	},
	{
		Flag: "trust", Category: CategorySecurity, Default: DefaultTrust,
		Usage: "what the DLL checks before it trusts objects it finds under its names (`MODE`): header (a valid header), owner (and an owner it trusts: the user, Administrators, SYSTEM or --owner) or namespace (a private namespace bounded by the user's SID or --owner)",
		Doc:   "what the DLL checks before it trusts objects it finds under its names: `header` (a valid header, as before), `owner` (also an owner it trusts: its user, its token's default owner, Administrators, SYSTEM, `--owner` or the SDDL's `O:`), or `namespace` (the objects live in a private namespace bounded by the user's SID or `--owner`). See [Security](security.md) for what each stops and why `owner` is the default.",
		value: text(func(c *Config) *string { return &c.Trust }),
	},
	{
		Flag: "owner", Category: CategorySecurity, DefaultDoc: "none",
		Usage: "a `SID` (S-1-5-18) that --trust owner also accepts as the objects' owner, or that --trust namespace bounds the namespace with: a service's, for its clients",
		Doc:   "a SID string (`S-1-5-18`, `S-1-5-21-…-1001`, as `whoami /user` prints it) that `--trust owner` also trusts as the objects' owner, and that bounds `--trust namespace`'s namespace instead of the user's SID: a service's account, for the service's clients. Refused with `--trust header`, which would not check it.",
		value: text(func(c *Config) *string { return &c.Owner }),
	},
	{
		Flag: "unlink", Category: CategoryExports, Default: "UnlinkSharedMem", Export: true,
		Usage: "`NAME` of the export that removes the POSIX segment's name (does nothing on Windows)",
		Doc:   "`BOOL f(void)`: on Linux, `shm_unlink` of the segment's name (mapped processes keep it; the next to load creates a fresh one); on Windows it returns `TRUE` and does nothing, as named objects go away with their last handle. With `linux` in `--os`, no export may be a name glibc's `libc.so.6` exports (`config/libcnames.txt`: the library would interpose it in every host) or one the Linux headers the generated code includes use (`waitpid`, `dlopen`, `FUTEX_WAIT`, …).",
		value: text(func(c *Config) *string { return &c.Unlink }),
	},
	{
		Flag: "os", Default: "windows",
		Usage: "comma-separated `SYSTEMS` to build for: windows, or windows,linux to build bin/libNAME.so natively beside the DLL",
		Doc:   "the systems `build.sh` builds for: `windows`, or `windows,linux` (comma-separated, each once, `windows` always: the project is a Windows DLL's, and Linux is built beside it). `linux` builds `bin/libNAME.so` and `bin/parent`, `bin/child`, `bin/parent-go`, `bin/child-go` natively with gcc (see [On Linux](linux.md)), and requires a name that, after its `Local\\` or `Global\\` prefix, is a portable POSIX shared-memory name: ASCII letters, digits, `.`, `_`, `-`, not starting with `.` or `-`, at most 255 characters.",
		value: list(func(c *Config) *string { return &c.OS }),
	},
	{
		Flag: "mode", Category: CategorySecurity, Default: "0600",
		Usage: "octal permission `MODE` of the POSIX segment (shm_open's mode), the Linux counterpart of --sddl; must include 0600",
		Doc:   "the octal permission mode of the Linux segment (`shm_open`'s mode, set with `fchmod` whatever the umask), the POSIX counterpart of `--sddl`: three octal digits, optionally after a `0`; no setuid, setgid or sticky bits, and at least `0600` (every process that loads the library reads and writes it).",
		value: text(func(c *Config) *string { return &c.Mode }),
	},
	{
		Flag: "bindings", Category: CategoryBuild, DefaultDoc: "none",
		Usage: "comma-separated `LANGUAGES` to generate bindings for, besides C and Go: csharp, python, rust",
		Doc:   "the languages, besides C and Go, that get a binding under `bindings/LANGUAGE/`: `csharp`, `python`, `rust`, comma-separated, each once. Each is a small library with the whole API (the string, the bytes, the size, the length, the wait and the status as the language's error), loading the library beside its program by full path, and a `parent` and a `child` with the C hosts' command line; `build.sh` builds them into `bin/`: `parent-cs.exe` with `mcs` and `parent.py` (checked by `python3`) whichever the system, `parent-rs` with `rustc` with `linux` (and each's `child`); on Linux the C# ones run with `mono`. `build.ps1` builds what Windows can: the C# ones with `mcs` or `csc` and `parent-rs.exe` with `rustc`, where on `PATH`, and copies the Python files. See the generated README.",
		value: list(func(c *Config) *string { return &c.Bindings }),
	},
	{
		Flag: "module", Derived: true, DefaultDoc: "`example.com/` + base of `--out`",
		Usage: "go.mod module `PATH` (default: example.com/ and the base name of --out)",
		Doc:   "the generated `go.mod`'s module path, checked like the go command does; not `golang.org/x/sys`, the module the project requires, nor a path that contains it or lies within it.",
		value: text(func(c *Config) *string { return &c.Module }),
	},
	{
		Flag: "read-record", Category: CategoryRecord, DefaultDoc: "`" + DefaultReadRecord + "`", Export: true, RecordExport: true,
		Usage: "`NAME` of the export that reads the whole --record (default: " + DefaultReadRecord + ")",
		Doc:   "`BOOL f(NAME *out)`: copies the whole record out; an export name, as for `--set`, exported only with `--record`, which it needs",
		value: text(func(c *Config) *string { return &c.ReadRecord }),
	},
	{
		Flag: "write-record", Category: CategoryRecord, DefaultDoc: "`" + DefaultWriteRecord + "`", Export: true, RecordExport: true,
		Usage: "`NAME` of the export that writes the whole --record (default: " + DefaultWriteRecord + ")",
		Doc:   "`BOOL f(const NAME *in)`: replaces the whole record under the lock; an export name, as for `--set`, exported only with `--record`, which it needs",
		value: text(func(c *Config) *string { return &c.WriteRecord }),
	},
	{
		Flag: "write-record-range", Category: CategoryRecord, DefaultDoc: "`" + DefaultWriteRecordRange + "`", Export: true, RecordExport: true,
		Usage: "`NAME` of the export that writes bytes of the --record at an offset: one field or an array slice (default: " + DefaultWriteRecordRange + ")",
		Doc:   "`BOOL f(LPCVOID src, ULONGLONG offset, ULONGLONG n)`: writes n bytes at offset of the record under the lock, the rest untouched; the header's typed helpers (`NAME_set_FIELD`) call it. An export name, as for `--set`, exported only with `--record`, which it needs",
		value: text(func(c *Config) *string { return &c.WriteRecordRange }),
	},
}

// RecordFlag is one of new's flags for the typed record (inputs.record),
// which a row of Inputs cannot express: a row is one value in one flag,
// and a record is a name and a list of fields, whose types may be records
// that only shmemgen.yaml declares (inputs.types, no flag). new reads them
// itself (recordFromFlags), gen spells them back on the recorded command
// line (RecordArgs), and new --help and docs/new.md list them under
// CategoryRecord beside the rows.
type RecordFlag struct {
	Flag string
	// Repeated marks a flag given once for each item, in order.
	Repeated   bool
	Usage      string
	DefaultDoc string
	Doc        string
}

// RecordFlags bind Config.Record; Config.Types has no flag.
var RecordFlags = []RecordFlag{
	{
		Flag: "record", DefaultDoc: "none",
		Usage: "`NAME` of a typed record shared in the mapping, in its own area after the payload; give its fields with --field",
		Doc:   "a typed record shared in the mapping, in its own area after the payload, read and written whole by `--read-record` and `--write-record`, a field at a time by `--write-record-range` (see [Typed records](records.md)); a record's name is checked like an export's, and against the keywords of C, C++, Go, C#, Python and Rust",
	},
	{
		Flag: "field", Repeated: true, DefaultDoc: "none",
		Usage: "a field of --record, `NAME:TYPE`, repeated in order: TYPE is bool, i8…i64, u8…u64, f32, f64, utf16[N], bytes[N] or an array T[N] of these (records as types only in shmemgen.yaml)",
		Doc:   "a field of `--record`, in order: `bool`, `i8`…`i64`, `u8`…`u64`, `f32`, `f64`, `utf16[N]` (text of at most N-1 units), `bytes[N]`, or an array `T[N]` of these; records used as field types are declared in `shmemgen.yaml`'s `inputs.types` only",
	},
}

// Set sets the input in c to s, read as its flag reads it. A value the
// flag cannot read is an *Error naming the flag: the row's, when the reader
// names none, as Duration's, which serves any input of its kind.
func (in Input) Set(c *Config, s string) error {
	err := in.value.set(c, s)
	var ce *Error
	if errors.As(err, &ce) && ce.Flag == "" {
		ce.Flag = in.Flag
	}
	return err
}

// AnswersScalar is s, an answers file's value for the input, as the
// answers file's decoder reads it into the input's field, with its YAML
// tag: s itself, a string, but for a size, which the file writes as its
// flag takes it (64KiB) and the field holds as a number of bytes. A value
// the flag cannot read is an *Error naming the flag.
func (in Input) AnswersScalar(s string) (value, tag string, err error) {
	var c Config
	if err := in.Set(&c, s); err != nil {
		return "", "", err
	}
	if f, ok := in.value.(size); ok {
		return strconv.FormatUint(*f(&c), 10), "!!int", nil
	}
	return s, "!!str", nil
}

// Value is the input in c as its flag would take it.
func (in Input) Value(c Config) string { return in.value.get(c) }

// field is the address of the input's field in c.
func (in Input) field(c *Config) any { return in.value.field(c) }

// value reads and writes one kind of Config field as a flag takes it.
type value interface {
	set(c *Config, s string) error
	get(c Config) string
	field(c *Config) any
}

// text is a field that holds the flag's value as typed.
type text func(*Config) *string

func (f text) set(c *Config, s string) error { *f(c) = s; return nil }
func (f text) get(c Config) string           { return *f(&c) }
func (f text) field(c *Config) any           { return f(c) }

// list is a comma-separated list (--os, --arch), read without the spaces
// around its commas: --os 'windows, linux' is --os windows,linux.
type list func(*Config) *string

func (f list) set(c *Config, s string) error {
	items := strings.Split(s, ",")
	for i, item := range items {
		items[i] = strings.TrimSpace(item)
	}
	*f(c) = strings.Join(items, ",")
	return nil
}
func (f list) get(c Config) string { return *f(&c) }
func (f list) field(c *Config) any { return f(c) }

// size is a byte count in bytes or binary units (ParseSize).
type size func(*Config) *uint64

func (f size) set(c *Config, s string) error {
	n, err := ParseSize(s)
	if err != nil {
		return err
	}
	*f(c) = n
	return nil
}
func (f size) get(c Config) string { return FormatSize(*f(&c)) }
func (f size) field(c *Config) any { return f(c) }

// duration is a Duration such as 5s or 250ms.
type duration func(*Config) *Duration

func (f duration) set(c *Config, s string) error { return f(c).UnmarshalText([]byte(s)) }
func (f duration) get(c Config) string           { return time.Duration(*f(&c)).String() }
func (f duration) field(c *Config) any           { return f(c) }

// defaults is every input at its default, but for a derived one's.
var defaults = sync.OnceValue(func() Config {
	var c Config
	for _, in := range Inputs {
		if err := in.Set(&c, in.Default); err != nil {
			panic(fmt.Sprintf("config: the default of --%s: %v", in.Flag, err))
		}
	}
	return c
})

// Default returns the configuration that reproduces the sample, for an
// output directory whose base name is outBase.
func Default(outBase string) Config {
	c := defaults()
	c.Module = DefaultModule(outBase)
	return c
}

// Exports lists every export by the flag that names it, in flag order.
func (c Config) Exports() [][2]string {
	var exports [][2]string
	for _, in := range Inputs {
		switch {
		case !in.Export, in.RecordExport && c.Record == nil:
		case in.RecordExport:
			exports = append(exports, [2]string{in.Flag, c.RecordExport(in.Flag)})
		default:
			exports = append(exports, [2]string{in.Flag, in.Value(c)})
		}
	}
	return exports
}
