package verify

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/config"
)

// CheckExports compares the export table of the DLL at dll with the
// exports cfg names: exactly those, nothing missing, nothing else (cgo's
// own _cgo_* and crosscall names included). It returns the line that says
// so.
func CheckExports(dll string, cfg config.Config) (string, error) {
	got, err := Exports(dll)
	if err != nil {
		return "", err
	}
	return compareExports(dll, got, cfg)
}

// CheckLinuxExports does the same for the shared library at so, by its
// dynamic symbol table.
func CheckLinuxExports(so string, cfg config.Config) (string, error) {
	got, err := ELFExports(so)
	if err != nil {
		return "", err
	}
	return compareExports(so, got, cfg)
}

// compareExports compares a library's exports, got, with the exports the
// answers name.
func compareExports(lib string, got []string, cfg config.Config) (string, error) {
	var want []string
	for _, e := range cfg.Exports() {
		want = append(want, e[1])
	}
	slices.Sort(want)
	var missing, extra []string
	for _, name := range want {
		if !slices.Contains(got, name) {
			missing = append(missing, name)
		}
	}
	for _, name := range got {
		if !slices.Contains(want, name) {
			extra = append(extra, name)
		}
	}
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, "missing "+strings.Join(missing, ", "))
	}
	if len(extra) > 0 {
		problems = append(problems, "not in "+answers.FileName+": "+strings.Join(extra, ", "))
	}
	if len(problems) > 0 {
		return "", fmt.Errorf("%s: export table %s", filepath.Base(lib), strings.Join(problems, "; "))
	}
	return fmt.Sprintf("%s exports exactly %s", filepath.Base(lib), strings.Join(want, ", ")), nil
}

// systemDLLs are the DLLs every Windows has, lowercased: the only ones the
// DLL may import, so that a host needs nothing but it.
var systemDLLs = []string{
	"advapi32.dll", "bcrypt.dll", "bcryptprimitives.dll", "crypt32.dll", "dbghelp.dll",
	"iphlpapi.dll", "kernel32.dll", "kernelbase.dll", "msvcrt.dll", "ntdll.dll",
	"ole32.dll", "oleaut32.dll", "powrprof.dll", "secur32.dll", "shell32.dll",
	"ucrtbase.dll", "user32.dll", "userenv.dll", "winmm.dll", "ws2_32.dll",
}

// CheckImports checks that the DLL at dll imports only system DLLs: a
// MinGW runtime DLL (libgcc_s_seh-1.dll, libwinpthread-1.dll) would have
// to ship beside it. It returns the line that says so.
func CheckImports(dll string) (string, error) {
	libs, err := ImportedDLLs(dll)
	if err != nil {
		return "", err
	}
	if len(libs) == 0 {
		return "", fmt.Errorf("%s has no import table: not a DLL that Go and mingw-w64 built", filepath.Base(dll))
	}
	var bad []string
	for _, lib := range libs {
		l := strings.ToLower(lib)
		if !slices.Contains(systemDLLs, l) && !strings.HasPrefix(l, "api-ms-win-") {
			bad = append(bad, lib)
		}
	}
	if len(bad) > 0 {
		return "", fmt.Errorf("%s imports %s, not a system DLL", filepath.Base(dll), strings.Join(bad, ", "))
	}
	return fmt.Sprintf("%s imports only system DLLs: %s", filepath.Base(dll), strings.Join(libs, ", ")), nil
}
