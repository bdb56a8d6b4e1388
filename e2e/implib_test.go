package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/verify"
)

// TestImportLibrary links a C++ host through the import library build.sh
// makes from bin/shmem.def, and runs it. The host is linked in a directory
// that holds only the header and libshmem.dll.a, so that -lshmem cannot
// fall back to the DLL itself (GNU ld links a DLL named on -l directly).
func TestImportLibrary(t *testing.T) {
	serial(t)
	win.require(t)
	bin := filepath.Join(defaultProject(t), "bin")
	def, err := os.ReadFile(filepath.Join(bin, "shmem.def"))
	if err != nil {
		t.Fatalf("build.sh did not write bin/shmem.def: %v", err)
	}
	if !strings.Contains(string(def), "LIBRARY \"shmem.dll\"\nEXPORTS\n") {
		t.Errorf("bin/shmem.def names no quoted LIBRARY before EXPORTS:\n%s", def)
	}
	lib := t.TempDir()
	for _, f := range []string{"libshmem.dll.a", "shmem.h"} {
		data, err := os.ReadFile(filepath.Join(bin, f))
		if err != nil {
			t.Fatalf("build.sh did not write bin/%s: %v", f, err)
		}
		if err := os.WriteFile(filepath.Join(lib, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	exe := filepath.Join(bin, "implib.exe")
	mingw(t, win.cxx, "-O2", "-Wall", "-Wextra", "-Werror", "-municode", "-I", lib,
		"-o", exe, filepath.Join("testdata", "implib.cpp"), "-L", lib, "-lshmem", "-static-libgcc", "-static-libstdc++")

	// The host imports the exports from shmem.dll, by name.
	syms := importedSymbols(t, exe)
	for _, want := range []string{"SetSharedMem:shmem.dll", "GetSharedMem:shmem.dll", "SharedMemLastError:shmem.dll"} {
		if !slices.Contains(syms, want) {
			t.Errorf("implib.exe does not import %s; its imports: %v", want, syms)
		}
	}

	wantOutput(t, run(t, bin, "implib.exe", "from the import library"),
		"read: from the import library",
		"length: 23",
		"size: 4096",
		"bytes: 1 1 1", "wait: 1", "unlink: 1")
}

// importedSymbols lists what exe imports, as "name:dll".
func importedSymbols(t *testing.T, exe string) []string {
	t.Helper()
	syms, err := verify.ImportedSymbols(exe)
	if err != nil {
		t.Fatal(err)
	}
	return syms
}
