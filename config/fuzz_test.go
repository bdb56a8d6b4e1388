package config

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/module"
)

// FuzzValidate feeds the name rules arbitrary values: validation must never
// panic, every error must be one line naming a flag, and whatever it
// accepts must keep the promises the rules make.
func FuzzValidate(f *testing.F) {
	f.Add(`Local\Jobs`, "SetSharedMem", "shmem", "example.com/jobs", "4096")
	f.Add(`Global\a"b`, "Sleep", "kernel32", "golang.org/x/sys", "2MiB")
	f.Add("x\x00", "SHMEM_LOCK_NAME", "main", "example.com//", "4096.9")
	f.Add("😀", "GoString", "api-ms-win-core", "golang.org/x", "1PiB")
	f.Fuzz(func(t *testing.T, name, set, dll, mod, size string) {
		c := Default("p")
		c.Name, c.Set, c.DLL, c.Module = name, set, dll, mod
		n, err := ParseSize(size)
		if err == nil {
			c.Size = n
			err = c.Validate()
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error: %v", err, err)
			}
			if strings.Contains(e.Error(), "\n") || !strings.HasPrefix(e.Error(), "--") {
				t.Fatalf("error is not one line naming the flag: %q", e.Error())
			}
			return
		}
		switch {
		case !utf8.ValidString(name) || strings.IndexFunc(name, unicode.IsControl) >= 0:
			t.Fatalf("name %q accepted", name)
		case systemNames.has(set) || reserved[set] || keywords[set] || !cIdentifier().MatchString(set) || len(set) > MaxExportLen:
			t.Fatalf("export %q accepted", set)
		case strings.HasPrefix(set, MacroPrefix(dll)+"_"):
			t.Fatalf("export %q accepted with the macro prefix of --dll %q", set, dll)
		case !dllName().MatchString(dll) || isSystemDLL(dll) || reservedFileNames[strings.ToUpper(dll)]:
			t.Fatalf("dll %q accepted", dll)
		case module.CheckPath(mod) != nil || mod == "golang.org/x/sys" || strings.HasPrefix("golang.org/x/sys", mod+"/"):
			t.Fatalf("module %q accepted", mod)
		case c.Size%2 != 0 || c.Size < MinSize || c.Size > MaxSize:
			t.Fatalf("size %q (%d) accepted", size, c.Size)
		}
	})
}
