package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func valid() Config { return Default("basic") }

func TestDefaultIsValid(t *testing.T) {
	if err := valid().Validate(); err != nil {
		t.Fatal(err)
	}
}

// TestValidateRejects holds one row per rule, with hostile values: each must
// be refused with an *Error naming the flag and saying why.
func TestValidateRejects(t *testing.T) {
	long := strings.Repeat("n", MaxNameLen+1)
	tests := []struct {
		flag   string
		change func(*Config)
		rule   string
	}{
		{"name", func(c *Config) { c.Name = "" }, "must not be empty"},
		{"name", func(c *Config) { c.Name = `Local\` }, "after the Local prefix"},
		{"name", func(c *Config) { c.Name = `Global\` }, "after the Global prefix"},
		{"name", func(c *Config) { c.Name = `a\b` }, "backslash"},
		{"name", func(c *Config) { c.Name = `local\b` }, "case-sensitive"},
		{"name", func(c *Config) { c.Name = `Local\a\b` }, "backslash"},
		{"name", func(c *Config) { c.Name = `..\..\x` }, "backslash"},
		{"name", func(c *Config) { c.Name = "a\nb" }, "control characters"},
		{"name", func(c *Config) { c.Name = "a\x00b" }, "control characters"},
		{"name", func(c *Config) { c.Name = "a\u0085b" }, "control characters"},
		{"name", func(c *Config) { c.Name = "a\xffb" }, "UTF-8"},
		{"name", func(c *Config) { c.Name = long }, "at most 255"},
		{"name", func(c *Config) { c.Name = strings.Repeat("😀", 128) }, "at most 255"}, // 256 UTF-16 units
		{"size", func(c *Config) { c.Size = 0 }, "at least 4"},
		{"arch", func(c *Config) { c.Arch = "" }, "at least one architecture"},
		{"file-version", func(c *Config) { c.FileVersion = "" }, "one to four dot-separated numbers"},
		{"file-version", func(c *Config) { c.FileVersion = "1.2.3.4.5" }, "it has 5"},
		{"file-version", func(c *Config) { c.FileVersion = "1.65536" }, "65536 is more than 65535"},
		{"file-version", func(c *Config) { c.FileVersion = "99999999999999999999" }, "from 0 to 65535"},
		{"file-version", func(c *Config) { c.FileVersion = "v1.0" }, "from 0 to 65535"},
		{"file-version", func(c *Config) { c.FileVersion = "1..0" }, "from 0 to 65535"},
		{"file-version", func(c *Config) { c.FileVersion = "1.0." }, "from 0 to 65535"},
		{"file-version", func(c *Config) { c.FileVersion = "-1" }, "from 0 to 65535"},
		{"file-version", func(c *Config) { c.FileVersion = "1.0-rc1" }, "from 0 to 65535"},
		{"file-version", func(c *Config) { c.FileVersion = " 1" }, "from 0 to 65535"},
		{"arch", func(c *Config) { c.Arch = "arm64" }, `"arm64" is not one`},
		{"arch", func(c *Config) { c.Arch = "x86" }, `"x86" is not one`},
		{"arch", func(c *Config) { c.Arch = "AMD64" }, `"AMD64" is not one`},
		{"arch", func(c *Config) { c.Arch = "amd64, 386" }, `" 386" is not one`},
		{"arch", func(c *Config) { c.Arch = "amd64,386," }, "without empty entries"},
		{"arch", func(c *Config) { c.Arch = ",386" }, "without empty entries"},
		{"arch", func(c *Config) { c.Arch = "386,amd64,386" }, `"386" is there twice`},
		{"os", func(c *Config) { c.OS = "" }, "must name the systems"},
		{"os", func(c *Config) { c.OS = "linux" }, "must include windows"},
		{"os", func(c *Config) { c.OS = "darwin" }, `"darwin" is not one`},
		{"os", func(c *Config) { c.OS = "Linux" }, `"Linux" is not one`},
		{"os", func(c *Config) { c.OS = "windows, linux" }, `" linux" is not one`},
		{"os", func(c *Config) { c.OS = "linux," }, "without empty entries"},
		{"os", func(c *Config) { c.OS = "linux,windows,linux" }, `"linux" is there twice`},
		{"bindings", func(c *Config) { c.Bindings = "java" }, `"java" is not one`},
		{"bindings", func(c *Config) { c.Bindings = "Python" }, `"Python" is not one`},
		{"bindings", func(c *Config) { c.Bindings = "c#" }, `"c#" is not one`},
		{"bindings", func(c *Config) { c.Bindings = "rust, python" }, `" python" is not one`},
		{"bindings", func(c *Config) { c.Bindings = "rust," }, "without empty entries"},
		{"bindings", func(c *Config) { c.Bindings = "rust,python,rust" }, `"rust" is there twice`},
		{"mode", func(c *Config) { c.Mode = "" }, "octal permission mode"},
		{"mode", func(c *Config) { c.Mode = "600x" }, "three digits"},
		{"mode", func(c *Config) { c.Mode = "0800" }, "three digits"},
		{"mode", func(c *Config) { c.Mode = "1777" }, "no setuid, setgid or sticky"},
		{"mode", func(c *Config) { c.Mode = "04600" }, "three digits"},
		{"mode", func(c *Config) { c.Mode = "0o600" }, "three digits"},
		{"mode", func(c *Config) { c.Mode = "0400" }, "owner read and write"},
		{"mode", func(c *Config) { c.Mode = "0266" }, "owner read and write"},
		{"mode", func(c *Config) { c.Mode = "0066" }, "owner read and write"},
		{"name", func(c *Config) { c.OS = "windows,linux"; c.Name = `Local\Telemetry b` }, "portable POSIX shared-memory name with linux in --os"},
		{"name", func(c *Config) { c.OS = "windows,linux"; c.Name = "ünï" }, "portable POSIX shared-memory name"},
		{"name", func(c *Config) { c.OS = "windows,linux"; c.Name = "a/b" }, "portable POSIX shared-memory name"},
		{"name", func(c *Config) { c.OS = "windows,linux"; c.Name = ".hidden" }, "portable POSIX shared-memory name"},
		{"name", func(c *Config) { c.OS = "windows,linux"; c.Name = `Global\..` }, "portable POSIX shared-memory name"},
		{"name", func(c *Config) { c.OS = "windows,linux"; c.Name = "-x" }, "portable POSIX shared-memory name"},
		{"unlink", func(c *Config) { c.Unlink = "" }, "must not be empty"},
		{"unlink", func(c *Config) { c.Unlink = c.Set }, "must differ from --set"},
		{"unlink", func(c *Config) { c.Unlink = c.Status }, "must differ from --status"},
		{"unlink", func(c *Config) { c.Unlink = "shmemgen_unlink" }, "shmemgen_"},
		{"unlink", func(c *Config) { c.Unlink = "dlopen" }, "Linux headers"},
		{"unlink", func(c *Config) { c.Unlink = "waitpid" }, "Linux headers"},
		{"set", func(c *Config) { c.OS = "windows,linux"; c.Set = "shm_open" }, "glibc exports with linux in --os"},
		{"unlink", func(c *Config) { c.OS = "windows,linux"; c.Unlink = "unlinkat" }, "interpose"},
		{"size", func(c *Config) { c.Size = 2 }, "at least 4"},
		{"size", func(c *Config) { c.Size = 4097 }, "even"},
		{"size", func(c *Config) { c.Size = MaxSize + 2 }, "at most 1TiB"},
		// A 32-bit process maps the view into one free range of its
		// address space: the error names the flag, the value and why.
		{"size", func(c *Config) { c.Arch = "386"; c.Size = 3 << 30 }, `--size "3GiB" must be at most 1GiB with --arch 386: a 32-bit process`},
		{"size", func(c *Config) { c.Arch = "amd64,386"; c.Size = 1<<30 + 2 }, "must be at most 1GiB with --arch 386"},
		{"size", func(c *Config) { c.Arch = "386,amd64"; c.Size = 2 << 30 }, "must be at most 1GiB with --arch 386"},
		{"set", func(c *Config) { c.Set = "" }, "must not be empty"},
		{"set", func(c *Config) { c.Set = "_Set" }, "underscore"},
		{"set", func(c *Config) { c.Set = "_cgo_foo" }, "underscore"},
		{"set", func(c *Config) { c.Set = "cgoSet" }, "cgo"},
		{"set", func(c *Config) { c.Set = "shmemgen_status" }, "shmemgen_"},
		{"set", func(c *Config) { c.Set = "9Set" }, "C identifier"},
		{"set", func(c *Config) { c.Set = "Set-Mem" }, "C identifier"},
		{"set", func(c *Config) { c.Set = "Set\"); system(\"x" }, "C identifier"},
		{"set", func(c *Config) { c.Set = "Sét" }, "C identifier"},
		{"set", func(c *Config) { c.Set = "{{.Name}}" }, "C identifier"},
		{"set", func(c *Config) { c.Set = "a*/b" }, "C identifier"},
		{"set", func(c *Config) { c.Set = strings.Repeat("S", MaxExportLen+1) }, "at most 64"},
		{"set", func(c *Config) { c.Set = "int" }, "keyword"},
		{"set", func(c *Config) { c.Set = "class" }, "keyword"},
		{"set", func(c *Config) { c.Set = "func" }, "keyword"},
		{"set", func(c *Config) { c.Set = "free" }, "windows.h, the C runtime or cgo"},
		// Declared or defined by windows.h, the CRT or cgo: none of these builds.
		{"set", func(c *Config) { c.Set = "Sleep" }, "windows.h, the C runtime or cgo"},
		{"get", func(c *Config) { c.Get = "CreateFile" }, "windows.h, the C runtime or cgo"},
		{"status", func(c *Config) { c.Status = "GoString" }, "windows.h, the C runtime or cgo"},
		{"status", func(c *Config) { c.Status = "GoInt" }, "windows.h, the C runtime or cgo"},
		{"set", func(c *Config) { c.Set = "near" }, "windows.h, the C runtime or cgo"},
		{"set", func(c *Config) { c.Set = "fopen" }, "windows.h, the C runtime or cgo"},
		{"set", func(c *Config) { c.Set = "rand" }, "windows.h, the C runtime or cgo"},
		{"set", func(c *Config) { c.Set = "MAX_PATH" }, "windows.h, the C runtime or cgo"},
		{"set", func(c *Config) { c.Set = "WAIT_ABANDONED" }, "windows.h, the C runtime or cgo"},
		{"set", func(c *Config) { c.Set = "FARPROC" }, "windows.h, the C runtime or cgo"},
		{"set", func(c *Config) { c.Set = "SHMEM_LOCK_NAME" }, "must not start with SHMEM_: the DLL's header defines macros"},
		{"set", func(c *Config) { c.Set = "SHMEM_Anything" }, "must not start with SHMEM_"},
		{"set", func(c *Config) { c.Set = "SHMEMGEN_X" }, "must not start with shmemgen_ in any case"},
		{"set", func(c *Config) { c.Set = "ShmemGen_X" }, "must not start with shmemgen_ in any case"},
		{"set", func(c *Config) { c.Set = "PFN_SetSharedMem" }, "must not start with PFN_"},
		{"set", func(c *Config) { c.Set = "main" }, "entry point"},
		{"set", func(c *Config) { c.Set = "DllMain" }, "entry point"},
		{"set", func(c *Config) { c.Set = "wmain" }, "an entry point"},
		{"set", func(c *Config) { c.Set = "UNICODE" }, "a macro that configures windows.h"},
		{"get", func(c *Config) { c.Get = "WIN32_LEAN_AND_MEAN" }, "a macro that configures windows.h"},
		{"set", func(c *Config) { c.Set = "MapViewOfFile" }, "windows.h, the C runtime or cgo"},
		{"get", func(c *Config) { c.Get = "memcpy" }, "windows.h, the C runtime or cgo"},
		{"get", func(c *Config) { c.Get = "CreateFileMappingW" }, "windows.h, the C runtime or cgo"},
		{"get", func(c *Config) { c.Get = c.Set }, "must differ from --set"},
		{"status", func(c *Config) { c.Status = c.Get }, "must differ from --get"},
		{"size-export", func(c *Config) { c.SizeExport = "free" }, "windows.h, the C runtime or cgo"},
		{"read-bytes", func(c *Config) { c.ReadBytes = "" }, "must not be empty"},
		{"write-bytes", func(c *Config) { c.WriteBytes = "_w" }, "underscore"},
		{"lock-timeout", func(c *Config) { c.LockTimeout = -1 }, "from 0s to 1h"},
		{"lock-timeout", func(c *Config) { c.LockTimeout = Duration(2 * time.Hour) }, "from 0s to 1h"},
		{"lock-timeout", func(c *Config) { c.LockTimeout = Duration(1500 * time.Microsecond) }, "whole milliseconds"},
		{"sddl", func(c *Config) { c.SDDL = "garbage" }, "SDDL string"},
		{"sddl", func(c *Config) { c.SDDL = "D:(A;;GA;;;WD)\n" }, "SDDL string"},
		{"sddl", func(c *Config) { c.SDDL = "D:(A;;GA;;;WD)é" }, "SDDL string"},
		{"trust", func(c *Config) { c.Trust = "" }, "header, owner or namespace"},
		{"trust", func(c *Config) { c.Trust = "Owner" }, "header, owner or namespace"},
		{"trust", func(c *Config) { c.Trust = "dacl" }, "header, owner or namespace"},
		{"owner", func(c *Config) { c.Trust = TrustOwner; c.Owner = "SY" }, "SID string"},
		{"owner", func(c *Config) { c.Trust = TrustOwner; c.Owner = "S-1-5" }, "SID string"},
		{"owner", func(c *Config) { c.Trust = TrustOwner; c.Owner = "S-1-5-18 " }, "SID string"},
		{"owner", func(c *Config) { c.Trust = TrustOwner; c.Owner = "S-2-5-18" }, "SID string"},
		{"owner", func(c *Config) { c.Trust = TrustOwner; c.Owner = "s-1-5-18" }, "SID string"},
		{"owner", func(c *Config) { c.Trust = TrustNamespace; c.Owner = "S-1-5-21-1-2-3-4294967296" }, "4294967296 is more than"},
		{"owner", func(c *Config) { c.Trust = TrustHeader; c.Owner = "S-1-5-18" }, "nothing checks it"},
		{"dll", func(c *Config) { c.DLL = "" }, "a letter"},
		{"dll", func(c *Config) { c.DLL = "shmem.dll" }, "without .dll"},
		{"dll", func(c *Config) { c.DLL = "../x" }, "a letter"},
		{"dll", func(c *Config) { c.DLL = "a b" }, "a letter"},
		{"dll", func(c *Config) { c.DLL = "1x" }, "a letter"},
		{"dll", func(c *Config) { c.DLL = "con" }, "device name"},
		{"dll", func(c *Config) { c.DLL = "child" }, "host program"},
		{"dll", func(c *Config) { c.DLL = strings.Repeat("d", MaxDLLLen+1) }, "at most 64"},
		{"dll", func(c *Config) { c.DLL = "kernel32" }, "Windows system or runtime DLL"},
		{"dll", func(c *Config) { c.DLL = "KERNEL32" }, "Windows system or runtime DLL"},
		{"dll", func(c *Config) { c.DLL = "msvcrt" }, "Windows system or runtime DLL"},
		{"dll", func(c *Config) { c.DLL = "ntdll" }, "Windows system or runtime DLL"},
		{"dll", func(c *Config) { c.DLL = "BCryptPrimitives" }, "Windows system or runtime DLL"},
		{"dll", func(c *Config) { c.DLL = "ucrtbase" }, "Windows system or runtime DLL"},
		{"dll", func(c *Config) { c.DLL = "msvcr120" }, "Windows system or runtime DLL"},
		{"dll", func(c *Config) { c.DLL = "vcruntime140" }, "Windows system or runtime DLL"},
		{"dll", func(c *Config) { c.DLL = "api-ms-win-core-synch-l1-2-0" }, "Windows system or runtime DLL"},
		{"dll", func(c *Config) { c.DLL = "libwinpthread-1" }, "Windows system or runtime DLL"},
		{"dll", func(c *Config) { c.DLL = "main" }, "package main"},
		{"dll", func(c *Config) { c.DLL = "Ma_in" }, "package main"},
		{"module", func(c *Config) { c.Module = "golang.org/x/sys" }, "the generated project requires"},
		{"module", func(c *Config) { c.Module = "golang.org/x" }, "the generated project requires"},
		{"module", func(c *Config) { c.Module = "golang.org/x/sys/windows" }, "the generated project requires"},
		{"module", func(c *Config) { c.Module = "" }, "not a valid module path"},
		{"module", func(c *Config) { c.Module = "example.com/a b" }, "not a valid module path"},
		{"module", func(c *Config) { c.Module = "../evil" }, "not a valid module path"},
		{"module", func(c *Config) { c.Module = "example.com/\"x" }, "not a valid module path"},
	}
	for _, tt := range tests {
		c := valid()
		tt.change(&c)
		err := c.Validate()
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("--%s: Validate() = %v, want an *Error", tt.flag, err)
			continue
		}
		if e.Flag != tt.flag || !strings.Contains(e.Error(), tt.rule) {
			t.Errorf("--%s: got %q, want an error for --%s containing %q", tt.flag, e.Error(), tt.flag, tt.rule)
		}
		if strings.HasSuffix(e.Error(), ".") || strings.Contains(e.Error(), "\n") {
			t.Errorf("--%s: %q: want one line without a trailing period", tt.flag, e.Error())
		}
	}
}

// TestValidateAccepts keeps the rules from being stricter than they say.
func TestValidateAccepts(t *testing.T) {
	tests := []func(*Config){
		func(c *Config) { c.Name = `Local\x` },
		func(c *Config) { c.Name = `Global\Fleet` },
		func(c *Config) { c.Name = `q"uo'te %s */ {{.Name}} ünï 😀 ../x` },
		func(c *Config) { c.Name = strings.Repeat("n", MaxNameLen) },
		func(c *Config) { c.Size = MinSize },
		func(c *Config) { c.Size = MaxSize },
		func(c *Config) { c.Size = 5 << 30 },
		func(c *Config) { c.Set, c.Get = "put_text", "TakeText2" },
		func(c *Config) { c.DLL = "my-shm_2" },
		func(c *Config) { c.DLL = "kernel" },
		func(c *Config) { c.DLL = "kernel33" },
		func(c *Config) { c.DLL = "mainly" },
		func(c *Config) { c.DLL = "telemetry" },
		func(c *Config) { c.Module = "golang.org/x/system" },
		func(c *Config) { c.Module = "golang.org/xx/sys" },
		func(c *Config) { c.Module = "github.com/acme/shm/v2" },
		func(c *Config) { c.LockTimeout = 0 },
		func(c *Config) { c.LockTimeout = Duration(250 * time.Millisecond) },
		func(c *Config) { c.SDDL = `D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GA;;;IU)` },
		func(c *Config) { c.SDDL = `O:BAG:BAD:(A;;GA;;;WD)"*/{{x}}` },
		func(c *Config) { c.Arch = "386" },
		func(c *Config) { c.FileVersion = "2" },
		func(c *Config) { c.FileVersion = "0.0.0.0" },
		func(c *Config) { c.FileVersion = "65535.65535.65535.65535" },
		func(c *Config) { c.FileVersion = "1.2.3" },
		func(c *Config) { c.Arch = "amd64,386" },
		func(c *Config) { c.Arch = "386,amd64" },
		func(c *Config) { c.Arch = "386"; c.Size = 1 << 30 },
		func(c *Config) { c.Arch = "amd64,386"; c.Size = 1 << 30 },
		func(c *Config) { c.Arch = "amd64"; c.Size = 3 << 30 },
		func(c *Config) { c.Trust = TrustOwner },
		func(c *Config) { c.Trust = TrustNamespace },
		func(c *Config) { c.Trust = TrustOwner; c.Owner = "S-1-5-18" },
		func(c *Config) { c.Trust = TrustNamespace; c.Owner = "S-1-5-21-3623811015-3361044348-30300820-1013" },
		func(c *Config) { c.Trust = TrustOwner; c.Owner = "S-1-5-21-1-2-3-4294967295" },
		func(c *Config) { c.OS = "linux,windows" },
		func(c *Config) { c.Bindings = "csharp,python,rust" },
		func(c *Config) { c.Bindings = "rust" },
		func(c *Config) { c.OS = "windows,linux"; c.Name = `Local\Telemetry.v2_x-y` },
		func(c *Config) { c.OS = "windows,linux"; c.Name = strings.Repeat("n", MaxPOSIXNameLen) },
		// A name only Windows can take is fine without linux.
		func(c *Config) { c.Name = `Local\Telemetry b/c` },
		// shm_open is a glibc name, refused only when the library is built
		// for Linux, where it would interpose it.
		func(c *Config) { c.Set = "shm_open" },
		func(c *Config) { c.Mode = "600" },
		func(c *Config) { c.Mode = "0777" },
		func(c *Config) { c.Mode = "0640" },
		func(c *Config) { c.Unlink = "RemoveShm" },
	}
	for i, change := range tests {
		c := valid()
		change(&c)
		if err := c.Validate(); err != nil {
			t.Errorf("case %d: %v", i, err)
		}
	}
}

func TestFileVersionParts(t *testing.T) {
	for v, want := range map[string][4]uint16{
		"1.0.0.0": {1, 0, 0, 0}, "2": {2, 0, 0, 0}, "2.5.17": {2, 5, 17, 0}, "65535.1.2.3": {65535, 1, 2, 3},
	} {
		c := valid()
		c.FileVersion = v
		if got := c.FileVersionParts(); got != want {
			t.Errorf("%s: FileVersionParts() = %v, want %v", v, got, want)
		}
	}
}

func TestGlobalWarns(t *testing.T) {
	c := valid()
	if len(c.Warnings()) != 0 {
		t.Errorf("default config warns: %v", c.Warnings())
	}
	c.Name = `Global\Fleet`
	if w := c.Warnings(); len(w) != 1 || !strings.Contains(w[0], "SeCreateGlobalPrivilege") {
		t.Errorf("Global\\ name: warnings %v, want one naming SeCreateGlobalPrivilege", w)
	}
}

func TestParseSize(t *testing.T) {
	good := map[string]uint64{
		"4096": 4096, "4,096": 4096, "64KiB": 64 << 10, "64 KiB": 64 << 10, "64kib": 64 << 10,
		"1MiB": 1 << 20, "1GiB": 1 << 30, "5GiB": 5 << 30, "1TiB": 1 << 40, "4096B": 4096, " 8 ": 8,
	}
	for in, want := range good {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	bad := map[string]string{
		"":                     "whole number",
		"-4":                   "whole number",
		"1.5KiB":               "whole number",
		"0x1000":               "binary units",
		"64KB":                 "not decimal",
		"1M":                   "not decimal",
		"1e3":                  "whole number",
		"12XiB":                "whole number",
		"KiB":                  "whole number",
		"99999999999999999999": "whole number",
	}
	for in, rule := range bad {
		_, err := ParseSize(in)
		var e *Error
		if !errors.As(err, &e) || e.Flag != "size" || !strings.Contains(err.Error(), rule) {
			t.Errorf("ParseSize(%q) = %v, want a --size error containing %q", in, err, rule)
		}
	}
}

func TestFormatSizeRoundTrips(t *testing.T) {
	for _, n := range []uint64{4, 4096, 6144, 64 << 10, 1 << 20, 5 << 30, 1 << 40, 1<<40 - 2} {
		s := FormatSize(n)
		got, err := ParseSize(s)
		if err != nil || got != n {
			t.Errorf("ParseSize(FormatSize(%d) = %q) = %d, %v", n, s, got, err)
		}
	}
}

func TestDefaultOut(t *testing.T) {
	for name, want := range map[string]string{"dllmemfilemap": "dllmemfilemap", `Local\Jobs`: "Jobs", `Global\ünï`: "ünï"} {
		got, err := DefaultOut(name)
		if err != nil || !strings.HasSuffix(got, want) {
			t.Errorf("DefaultOut(%q) = %q, %v; want ./%s", name, got, err, want)
		}
	}
	for _, name := range []string{"../evil", `Local\..`, "a/b", "CON", "x:y", "trailing.", "a*b"} {
		_, err := DefaultOut(name)
		var e *Error
		if !errors.As(err, &e) || e.Flag != "out" {
			t.Errorf("DefaultOut(%q) = %v, want an --out error", name, err)
		}
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		`Local\Jobs`: `"Local\Jobs"`, // as typed: backslashes stay single
		"ünï 😀":      `"ünï 😀"`,      // printable non-ASCII as is
		`say "hi"`:   `"say \"hi\""`, // a quote needs escaping, so all is escaped
		"a\nb":       `"a\nb"`,       // so does a control character
		"a\xffb":     `"a\xffb"`,     // and invalid UTF-8
		`a\b` + "\t": `"a\\b\t"`,     // escaped, the backslash doubles
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}
