package config

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/mod/module"

	"github.com/shmemgen/shmemgen/internal/lazyregexp"
)

// Validate checks every field and returns the first rule broken, as an
// *Error naming the flag, the value and the rule.
func (c Config) Validate() error {
	checks := []func() error{
		c.checkName,
		c.checkSize,
		c.checkExports,
		c.checkLockTimeout,
		c.checkSDDL,
		c.checkDLL,
		c.checkArch,
		c.checkSize386,
		c.checkOS,
		c.checkMode,
		c.checkFileVersion,
		c.checkTrust,
		c.checkModule,
		c.checkBindings,
		c.checkRecord,
	}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// Warnings are accepted values a user should still hear about.
func (c Config) Warnings() []string {
	if c.Global() {
		return []string{fmt.Sprintf("--name %s: creating a Global\\ mapping needs SeCreateGlobalPrivilege (services and elevated processes have it); other processes can only open it", Quote(c.Name))}
	}
	return nil
}

func (c Config) checkName() error {
	bad := func(rule string) error { return &Error{Flag: "name", Value: c.Name, Rule: rule} }
	if !utf8.ValidString(c.Name) {
		return bad("must be valid UTF-8")
	}
	prefix, rest := splitPrefix(c.Name)
	switch {
	case rest == "" && prefix != "":
		return bad(fmt.Sprintf("must name something after the %s prefix", strings.TrimSuffix(prefix, `\`)))
	case rest == "":
		return bad("must not be empty")
	case strings.ContainsRune(rest, '\\'):
		return bad(`must not contain a backslash, except after a Local\ or Global\ prefix (case-sensitive)`)
	case strings.IndexFunc(c.Name, unicode.IsControl) >= 0:
		return bad("must not contain control characters")
	case len(utf16.Encode([]rune(c.Name))) > MaxNameLen:
		return bad(fmt.Sprintf("must be at most %d UTF-16 characters long, so that the lock's name, NAME%s, fits in MAX_PATH", MaxNameLen, LockSuffix))
	}
	if c.HasOS("linux") {
		switch {
		case !posixName().MatchString(rest):
			return bad("must be, after any Local\\ or Global\\ prefix, a portable POSIX shared-memory name with linux in --os: ASCII letters, digits, '.', '_' or '-', not starting with '.' or '-'")
		case len(rest) > MaxPOSIXNameLen:
			return bad(fmt.Sprintf("must be at most %d characters long after any Local\\ or Global\\ prefix with linux in --os: the POSIX name is a file in /dev/shm", MaxPOSIXNameLen))
		}
	}
	return nil
}

// posixName is the POSIX portable filename character set, without a
// leading dot (., .. and hidden files) or dash.
var posixName = lazyregexp.New(`^[A-Za-z0-9_][A-Za-z0-9._-]*$`)

func (c Config) checkSize() error {
	bad := func(rule string) error { return &Error{Flag: "size", Value: FormatSize(c.Size), Rule: rule} }
	switch {
	case c.Size < MinSize:
		return bad(fmt.Sprintf("must be at least %d bytes", MinSize))
	case c.Size > MaxSize:
		return bad("must be at most 1TiB")
	case c.Size%2 != 0:
		return bad("must be even: the mapping holds UTF-16 characters of 2 bytes")
	}
	return nil
}

var cIdentifier = lazyregexp.New(`^[A-Za-z][A-Za-z0-9_]*$`)

// MaxExportLen keeps export names well inside what every linker accepts.
const MaxExportLen = 64

// CheckExport checks the name of an export given with --flag.
func CheckExport(flag, name string) error {
	bad := func(rule string) error { return &Error{Flag: flag, Value: name, Rule: rule} }
	switch {
	case name == "":
		return bad("must not be empty")
	case strings.HasPrefix(name, "_"):
		return bad("must not start with an underscore: such names are reserved for C, cgo and the toolchains")
	case !cIdentifier().MatchString(name):
		return bad("must be a C identifier: an ASCII letter, then letters, digits or underscores")
	case len(name) > MaxExportLen:
		return bad(fmt.Sprintf("must be at most %d characters long", MaxExportLen))
	case keywords[name]:
		return bad("must not be a C, C++ or Go keyword")
	case reserved[name]:
		return bad("must not be an entry point, a CRT function no header declares or a macro that configures windows.h: it would clash with it")
	case systemNames.has(name):
		return bad("must not be a name that windows.h, the C runtime or cgo declares or defines: the DLL's header is included beside them")
	case linuxReserved[name]:
		return bad("must not be a name that the Linux headers the generated code includes declare or define: the library's header is included beside them")
	case strings.HasPrefix(name, "cgo") || strings.HasPrefix(name, "crosscall"):
		return bad("must not start with cgo or crosscall: such names belong to cgo")
	case strings.HasPrefix(strings.ToLower(name), "shmemgen_"):
		return bad("must not start with shmemgen_ in any case: the generated C code uses such names")
	case strings.HasPrefix(name, "PFN_"):
		return bad("must not start with PFN_: the DLL's header declares PFN_<export> function-pointer types, and windows.h many more")
	}
	return nil
}

// MacroPrefix starts the C macros the DLL's header defines: the DLL's name
// in upper case, with '-' as '_'.
func MacroPrefix(dll string) string {
	return strings.ToUpper(strings.ReplaceAll(dll, "-", "_"))
}

func (c Config) checkExports() error {
	seen := map[string]string{}
	prefix := MacroPrefix(c.DLL) + "_"
	for _, e := range c.Exports() {
		flag, name := e[0], e[1]
		if err := CheckExport(flag, name); err != nil {
			return err
		}
		if strings.HasPrefix(name, prefix) {
			return &Error{Flag: flag, Value: name, Rule: fmt.Sprintf("must not start with %s: the DLL's header defines macros with that prefix (from --dll)", prefix)}
		}
		if c.HasOS("linux") && libcNames.has(name) {
			return &Error{Flag: flag, Value: name, Rule: "must not be a function or variable that glibc exports with linux in --os: lib" + c.DLL + ".so would interpose it for the whole host process"}
		}
		if other, ok := seen[name]; ok {
			return &Error{Flag: flag, Value: name, Rule: "must differ from --" + other}
		}
		seen[name] = flag
	}
	return nil
}

// MaxLockTimeout keeps waits well below INFINITE (0xFFFFFFFF ms).
const MaxLockTimeout = Duration(time.Hour)

func (c Config) checkLockTimeout() error {
	bad := func(rule string) error {
		return &Error{Flag: "lock-timeout", Value: time.Duration(c.LockTimeout).String(), Rule: rule}
	}
	switch {
	case c.LockTimeout < 0 || c.LockTimeout > MaxLockTimeout:
		return bad("must be from 0s to 1h")
	case time.Duration(c.LockTimeout)%time.Millisecond != 0:
		return bad("must be whole milliseconds: Windows waits in milliseconds")
	}
	return nil
}

var sddlPattern = lazyregexp.New(`^[OGDS]:[\x20-\x7e]*$`)

// MaxSDDLLen is generous for any real security descriptor string.
const MaxSDDLLen = 4096

func (c Config) checkSDDL() error {
	if c.SDDL == "" {
		return nil
	}
	bad := func(rule string) error { return &Error{Flag: "sddl", Value: c.SDDL, Rule: rule} }
	switch {
	case len(c.SDDL) > MaxSDDLLen:
		return bad(fmt.Sprintf("must be at most %d characters long", MaxSDDLLen))
	case !sddlPattern().MatchString(c.SDDL):
		return bad("must be an SDDL string: printable ASCII starting with O:, G:, D: or S: (for example D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GA;;;IU))")
	}
	return nil
}

var dllName = lazyregexp.New(`^[A-Za-z][A-Za-z0-9_-]*$`)

func (c Config) checkDLL() error {
	bad := func(rule string) error { return &Error{Flag: "dll", Value: c.DLL, Rule: rule} }
	switch {
	case strings.HasSuffix(strings.ToLower(c.DLL), ".dll"):
		return bad("must be the base name, without .dll")
	case !dllName().MatchString(c.DLL):
		return bad("must be a letter, then letters, digits, '-' or '_'")
	case len(c.DLL) > MaxDLLLen:
		return bad(fmt.Sprintf("must be at most %d characters long", MaxDLLLen))
	case reservedFileNames[strings.ToUpper(c.DLL)]:
		return bad("must not be a reserved Windows device name")
	case c.DLL == "parent" || c.DLL == "child" || c.DLL == "parent-go" || c.DLL == "child-go":
		return bad("must not be the name of a host program built beside it")
	case isSystemDLL(c.DLL):
		return bad("must not be the name of a Windows system or runtime DLL (kernel32, msvcrt, ntdll, ucrtbase, api-ms-win-…, …): a host would import the exports from that DLL, and the loader would hand it the system's")
	case strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(c.DLL)) == "main":
		return bad("must not be main: the project's root package is named after it, and a package main must have a main function")
	}
	return nil
}

// systemDLLs are the DLLs Windows, its C runtimes and the MinGW-w64
// toolchain ship, in lower case: the KnownDLLs, those the generated DLL,
// the Go runtime and the hosts load, and the common system ones. A DLL of
// the same name would be confused with them, by the loader (KnownDLLs are
// always loaded from the system directory) or by a host's import table.
var systemDLLs = set(
	"advapi32", "bcrypt", "bcryptprimitives", "cfgmgr32", "clbcatq", "combase", "comctl32",
	"comdlg32", "crypt32", "cryptbase", "dbghelp", "difxapi", "dnsapi", "dwmapi", "gdi32",
	"gdi32full", "gdiplus", "hal", "imagehlp", "imm32", "iphlpapi", "kernel32", "kernelbase",
	"lz32", "mpr", "msasn1", "msctf", "msvcp_win", "msvcrt", "mswsock", "ncrypt", "netapi32",
	"normaliz", "nsi", "ntdll", "ntoskrnl", "ole32", "oleaut32", "powrprof", "psapi", "rpcrt4",
	"sechost", "secur32", "setupapi", "shcore", "shell32", "shlwapi", "sspicli", "ucrtbase",
	"ucrtbased", "user32", "userenv", "uxtheme", "version", "win32u", "winhttp", "wininet",
	"winmm", "winspool", "wintrust", "wldap32", "ws2_32", "wow64", "wow64cpu", "wow64win",
	"libgcc_s_seh-1", "libgcc_s_dw2-1", "libwinpthread-1", "libssp-0",
)

// systemDLLPattern matches the families of runtime DLLs: the Visual C++
// runtimes (msvcr120, msvcp140, vcruntime140_1) and the API sets.
var systemDLLPattern = lazyregexp.New(`^(msvc[rp][0-9]+d?|vcruntime[0-9]+(_[0-9]+)?d?|concrt[0-9]+|(api|ext)-ms-.*)$`)

func isSystemDLL(name string) bool {
	lower := strings.ToLower(name)
	return systemDLLs[lower] || systemDLLPattern().MatchString(lower)
}

func (c Config) checkArch() error {
	bad := func(rule string) error { return &Error{Flag: "arch", Value: c.Arch, Rule: rule} }
	if c.Arch == "" {
		return &Error{Flag: "arch", Rule: "must name at least one architecture: amd64, 386, or both as amd64,386"}
	}
	seen := map[string]bool{}
	for _, a := range c.Arches() {
		switch {
		case a == "":
			return bad("must be comma-separated architectures without empty entries or spaces (amd64, 386, amd64,386)")
		case !slices.Contains(Architectures, a):
			return bad(fmt.Sprintf("must be comma-separated architectures from amd64 and 386: %s is not one", Quote(a)))
		case seen[a]:
			return bad(fmt.Sprintf("must name each architecture once: %s is there twice", Quote(a)))
		}
		seen[a] = true
	}
	return nil
}

// checkSize386 keeps --arch 386 to sizes a 32-bit process can map: it
// has 2 GiB of address space (up to 4 GiB under 64-bit Windows if its
// executable is /LARGEADDRESSAWARE, which the DLL cannot know), shared
// with its code, heaps, stacks and DLLs, and the view needs one free range
// of it. Half of the 2 GiB is what a process can count on finding free;
// more would build, and fail at run time in some hosts and not others.
func (c Config) checkSize386() error {
	if c.HasArch("386") && c.Size > Max386Size {
		return &Error{Flag: "size", Value: FormatSize(c.Size), Rule: fmt.Sprintf(
			"must be at most %s with --arch 386: a 32-bit process maps the whole section into one free range of its 2 GiB of address space, which its code, heaps and DLLs share", FormatSize(Max386Size))}
	}
	return nil
}

func (c Config) checkOS() error {
	bad := func(rule string) error { return &Error{Flag: "os", Value: c.OS, Rule: rule} }
	if c.OS == "" {
		return &Error{Flag: "os", Rule: "must name the systems to build for: windows, or windows,linux"}
	}
	seen := map[string]bool{}
	for _, s := range c.Systems() {
		switch {
		case s == "":
			return bad("must be comma-separated systems without empty entries or spaces (windows, linux, windows,linux)")
		case !slices.Contains(Systems, s):
			return bad(fmt.Sprintf("must be comma-separated systems from windows and linux: %s is not one", Quote(s)))
		case seen[s]:
			return bad(fmt.Sprintf("must name each system once: %s is there twice", Quote(s)))
		}
		seen[s] = true
	}
	// The project is a Windows DLL's: its workflow, build.ps1 and README
	// are Windows', and Linux is built beside it, never instead.
	if !seen["windows"] {
		return bad("must include windows: a project builds the Windows DLL, and linux adds the Linux library beside it (windows,linux)")
	}
	return nil
}

func (c Config) checkBindings() error {
	if c.Bindings == "" {
		return nil
	}
	bad := func(rule string) error { return &Error{Flag: "bindings", Value: c.Bindings, Rule: rule} }
	seen := map[string]bool{}
	for _, b := range strings.Split(c.Bindings, ",") {
		switch {
		case b == "":
			return bad("must be comma-separated languages without empty entries or spaces (csharp, python, rust, csharp,python,rust)")
		case !slices.Contains(BindingLanguages, b):
			return bad(fmt.Sprintf("must be comma-separated languages from csharp, python and rust: %s is not one", Quote(b)))
		case seen[b]:
			return bad(fmt.Sprintf("must name each language once: %s is there twice", Quote(b)))
		}
		seen[b] = true
	}
	return nil
}

var modePattern = lazyregexp.New(`^0?[0-7]{3}$`)

func (c Config) checkMode() error {
	bad := func(rule string) error { return &Error{Flag: "mode", Value: c.Mode, Rule: rule} }
	switch {
	case c.Mode == "":
		return &Error{Flag: "mode", Rule: "must be an octal permission mode such as 0600 or 0660"}
	case !modePattern().MatchString(c.Mode):
		return bad("must be an octal permission mode of three digits, optionally after a 0, such as 0600 or 0660: no setuid, setgid or sticky bits")
	case c.ModeBits()&0o600 != 0o600:
		return bad("must let the owner read and write (0600 at least): every process that loads the library reads and writes the segment")
	}
	return nil
}

var versionPart = lazyregexp.New(`^[0-9]{1,5}$`)

func (c Config) checkFileVersion() error {
	bad := func(rule string) error { return &Error{Flag: "file-version", Value: c.FileVersion, Rule: rule} }
	rule := "must be one to four dot-separated numbers from 0 to 65535, such as 1.0.0.0 or 2.5"
	if c.FileVersion == "" {
		return &Error{Flag: "file-version", Rule: rule}
	}
	parts := strings.Split(c.FileVersion, ".")
	if len(parts) > 4 {
		return bad(rule + ": it has " + strconv.Itoa(len(parts)))
	}
	for _, p := range parts {
		if !versionPart().MatchString(p) {
			return bad(rule)
		}
		if n, _ := strconv.Atoi(p); n > 65535 {
			return bad(rule + ": " + p + " is more than 65535")
		}
	}
	return nil
}

// sidPattern is a SID string: S-1-, the identifier authority, then at
// least one and at most 15 subauthorities, all decimal. It is compiled when
// first needed: its counted repeats make it the costliest of shmemgen's
// patterns to compile, a fifth of a millisecond, and only --owner uses it.
var sidPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^S-1-[0-9]{1,15}(-[0-9]{1,10}){1,15}$`)
})

func (c Config) checkTrust() error {
	if !slices.Contains(TrustModes, c.Trust) {
		return &Error{Flag: "trust", Value: c.Trust, Rule: "must be header, owner or namespace"}
	}
	if c.Owner == "" {
		return nil
	}
	bad := func(rule string) error { return &Error{Flag: "owner", Value: c.Owner, Rule: rule} }
	if !sidPattern().MatchString(c.Owner) {
		return bad("must be a SID string such as S-1-5-18 (SYSTEM) or S-1-5-21-…-1001, as whoami /user prints it")
	}
	for _, sub := range strings.Split(c.Owner, "-")[3:] {
		if n, _ := strconv.ParseUint(sub, 10, 64); n > 0xffffffff {
			return bad("must be a SID string: " + sub + " is more than a subauthority holds (4294967295)")
		}
	}
	if c.Trust == TrustHeader {
		return bad("is used only by --trust owner and --trust namespace: with --trust header nothing checks it")
	}
	return nil
}

// DependencyModules are the modules the generated project requires.
// gen's tests check that its go.mod requires exactly these.
var DependencyModules = []string{"golang.org/x/sys"}

func (c Config) checkModule() error {
	if err := module.CheckPath(c.Module); err != nil {
		return &Error{Flag: "module", Value: c.Module, Rule: "is not a valid module path: " + strings.TrimPrefix(err.Error(), fmt.Sprintf("malformed module path %q: ", c.Module))}
	}
	for _, dep := range DependencyModules {
		if c.Module == dep || strings.HasPrefix(dep, c.Module+"/") || strings.HasPrefix(c.Module, dep+"/") {
			return &Error{Flag: "module", Value: c.Module, Rule: fmt.Sprintf("must not be, contain or lie within %s, a module the generated project requires: its packages would be the main module's", dep)}
		}
	}
	return nil
}

// checkDirName accepts a name usable as one directory on Windows and Unix.
func checkDirName(name string) error {
	switch {
	case name == "." || name == "..":
		return fmt.Errorf("is not a directory name")
	case strings.ContainsAny(name, `<>:"/\|?*`):
		return fmt.Errorf(`contains one of <>:"/\|?*`)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("contains control characters")
	case strings.HasSuffix(name, ".") || strings.HasSuffix(name, " ") || strings.HasPrefix(name, " "):
		return fmt.Errorf("starts or ends with a space or ends with a dot")
	case reservedFileNames[strings.ToUpper(name)]:
		return fmt.Errorf("is a reserved Windows device name")
	}
	return nil
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

var keywords = set(
	// C (C23 included).
	"auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
	"extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
	"short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
	"volatile", "while", "alignas", "alignof", "bool", "constexpr", "false", "nullptr", "static_assert",
	"thread_local", "true", "typeof", "typeof_unqual",
	// C++ beyond C.
	"and", "and_eq", "asm", "bitand", "bitor", "catch", "char8_t", "char16_t", "char32_t", "class",
	"compl", "concept", "consteval", "constinit", "const_cast", "co_await", "co_return", "co_yield",
	"decltype", "delete", "dynamic_cast", "explicit", "export", "friend", "mutable", "namespace", "new",
	"noexcept", "not", "not_eq", "operator", "or", "or_eq", "private", "protected", "public",
	"reinterpret_cast", "requires", "static_cast", "template", "this", "throw", "try", "typeid",
	"typename", "using", "virtual", "wchar_t", "xor", "xor_eq",
	// Go.
	"chan", "defer", "fallthrough", "func", "go", "import", "interface", "map", "package", "range",
	"select", "type", "var",
)

var reserved = set(
	// Entry points, which no header declares.
	"main", "wmain", "WinMain", "wWinMain", "DllMain", "DllMainCRTStartup",
	// CRT names the headers the hosts include do not declare, but that a
	// host may well use beside the exports.
	"setjmp", "longjmp", "signal", "raise", "assert",
	// Macros that configure windows.h, which it tests but no header
	// defines: the generated C defines WIN32_LEAN_AND_MEAN, and a host may
	// define any of them (UNICODE most of all) before the DLL's header.
	"WIN32_LEAN_AND_MEAN", "VC_EXTRALEAN", "NOMINMAX", "UNICODE", "NOCRYPT", "NOUSER", "NOGDI",
	"NOSERVICE", "NOMCX", "NOIME", "NOWINRES", "RC_INVOKED", "INC_OLE1", "INC_OLE2",
	// The generated C code's own file-scope names all start with shmemgen_
	// (refused below); its locals and parameters an export may share: the
	// hosts call the exports through shmemgen_lib's members, and the DLL
	// calls none. Every Win32, CRT and POSIX name it uses comes from the
	// headers (sysnames.txt, libcnames.txt) or linuxReserved.
)

// linuxReserved are the names of the Linux system headers that the
// generated C code uses (core.c's platform_linux.h, the hosts and load.h)
// and that sysnames.txt, derived from mingw-w64's headers, lacks.
var linuxReserved = set(
	"CLOCK_MONOTONIC", "CLOCK_REALTIME", "FUTEX_WAIT", "FUTEX_WAKE", "O_CLOEXEC", "O_RDONLY",
	"PTHREAD_COND_INITIALIZER", "PTHREAD_MUTEX_INITIALIZER", "SYS_futex", "WEXITSTATUS", "WIFEXITED",
	"WIFSIGNALED", "WTERMSIG", "pid_t", "posix_spawn", "waitpid", "RTLD_NOW", "RTLD_LOCAL", "PATH_MAX",
	"INT_MAX", "ETIMEDOUT", "ESRCH", "ENOENT", "EINTR", "char16_t", "ssize_t", "timespec",
	"pthread_mutex_t", "pthread_cond_t", "dlopen", "dlsym", "dlerror", "readlink", "syscall", "kill",
	"getpid", "shm_unlink", "clock_gettime", "pthread_mutex_lock", "pthread_mutex_unlock",
	"pthread_cond_wait", "pthread_cond_timedwait", "pthread_cond_broadcast", "environ",
)

var reservedFileNames = set(
	"CON", "PRN", "AUX", "NUL",
	"COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
	"LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
)
