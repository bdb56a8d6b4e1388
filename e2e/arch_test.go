package e2e

import (
	"debug/pe"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/internal/testenv"
	"github.com/shmemgen/shmemgen/verify"
)

// machine returns the PE machine type of the program or DLL at path.
func machine(t *testing.T, path string) uint16 {
	t.Helper()
	m, err := verify.Machine(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// importedDLLs returns the DLLs the PE file at path imports, lower-cased and
// sorted.
func importedDLLs(t *testing.T, path string) []string {
	t.Helper()
	libs, err := verify.ImportedDLLs(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, lib := range libs {
		libs[i] = strings.ToLower(lib)
	}
	slices.Sort(libs)
	return slices.Compact(libs)
}

// x86Project is the project TestArch386 and TestVersionInfo share:
// golden/x86's, built for both architectures, with a file version of its
// own.
func x86Project(tb testing.TB) string {
	tb.Helper()
	return sharedProject(tb, "x86", x86Args()...)
}

func x86Args() []string {
	return append(goldenArgs("x86"), "--file-version", "2.5.17")
}

// TestArch386 builds a project for amd64 and 386 and checks the 32-bit
// build as far as this machine can without running it: machine types, the
// export table (exactly the configured names, undecorated __cdecl), the
// imports (no libgcc DLL), the header and dll/core.c compiled for i686
// with warnings as errors, and a 32-bit C++ host linked through the 386
// import library alone. Where Wine runs 32-bit programs it runs the round
// trips too; Debian's wine64 alone does not, and a 32-bit program there
// prints nothing and exits 0, so that is detected by output.
func TestArch386(t *testing.T) {
	serial(t)
	win.require(t)
	dir := x86Project(t)
	bin := filepath.Join(dir, "bin")
	bin32 := filepath.Join(bin, "386")
	const i686 = "i686-w64-mingw32-gcc"
	testenv.RequireTool(t, i686)
	testenv.RequireTool(t, "i686-w64-mingw32-g++")

	if m := machine(t, filepath.Join(bin, "shmem.dll")); m != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Errorf("bin/shmem.dll: machine %#x, want AMD64", m)
	}
	for _, f := range []string{"shmem.dll", "parent.exe", "child.exe", "parent-go.exe", "child-go.exe"} {
		if m := machine(t, filepath.Join(bin32, f)); m != pe.IMAGE_FILE_MACHINE_I386 {
			t.Errorf("bin/386/%s: machine %#x, want I386 (%#x)", f, m, pe.IMAGE_FILE_MACHINE_I386)
		}
	}
	exports := []string{"GetSharedMem", "ReadSharedBytes", "SetSharedMem",
		"SharedMemLastError", "SharedMemLength", "SharedMemSize", "UnlinkSharedMem", "WaitSharedMem", "WriteSharedBytes"}
	wantExports(t, filepath.Join(bin32, "shmem.dll"), exports...)
	if got, want := importedDLLs(t, filepath.Join(bin32, "shmem.dll")), []string{"kernel32.dll", "msvcrt.dll"}; !slices.Equal(got, want) {
		t.Errorf("bin/386/shmem.dll imports %v, want %v", got, want)
	}
	for _, f := range []string{"shmem.h", "shmem.def", "libshmem.dll.a"} {
		if _, err := os.Stat(filepath.Join(bin32, f)); err != nil {
			t.Errorf("build.sh did not make bin/386/%s", f)
		}
	}

	t.Run("core.c and the header compile for i686", func(t *testing.T) {
		mingw(t, i686, "-O2", "-Wall", "-Wextra", "-Werror", "-c", "-o", filepath.Join(t.TempDir(), "core.o"),
			filepath.Join(dir, "dll", "core.c"))
		mingw(t, i686, "-O2", "-Wall", "-Wextra", "-Werror", "-c", "-I", bin32, "-o", filepath.Join(t.TempDir(), "header.o"),
			filepath.Join("testdata", "header.c"))
		mingw(t, "i686-w64-mingw32-g++", "-O2", "-Wall", "-Wextra", "-Werror", "-x", "c++", "-c", "-I", bin32,
			"-o", filepath.Join(t.TempDir(), "header-cpp.o"), filepath.Join("testdata", "header.c"))
	})

	// A 32-bit C++ host linked through bin/386/libshmem.dll.a, in a
	// directory without the DLL.
	lib := t.TempDir()
	for _, f := range []string{"libshmem.dll.a", "shmem.h"} {
		data, err := os.ReadFile(filepath.Join(bin32, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(lib, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	implib := filepath.Join(bin32, "implib.exe")
	mingw(t, "i686-w64-mingw32-g++", "-O2", "-Wall", "-Wextra", "-Werror", "-municode", "-I", lib,
		"-o", implib, filepath.Join("testdata", "implib.cpp"), "-L", lib, "-lshmem", "-static-libgcc", "-static-libstdc++")
	t.Run("32-bit host through the import library", func(t *testing.T) {
		if m := machine(t, implib); m != pe.IMAGE_FILE_MACHINE_I386 {
			t.Errorf("implib.exe: machine %#x, want I386", m)
		}
		syms := importedSymbols(t, implib)
		// Undecorated, as the DLL exports them: a __stdcall or
		// underscore-prefixed import would not bind.
		for _, name := range exports {
			if !slices.Contains(syms, name+":shmem.dll") {
				t.Errorf("implib.exe does not import %s from shmem.dll; its imports: %v", name, syms)
			}
		}
	})

	// A 32-bit Go program needs ProcessPrng from a 32-bit
	// bcryptprimitives.dll under Wine 8 too: the project's stub, built
	// for i686 with --kill-at, since the Go runtime imports the name
	// undecorated and WINAPI would make it ProcessPrng@8.
	stub32 := filepath.Join(t.TempDir(), "bcryptprimitives.dll")
	mingw(t, i686, "-shared", "-O2", "-s", "-Wl,--kill-at", "-o", stub32, filepath.Join(dir, "wine", "bcryptprimitives.c"), "-ladvapi32")
	wantExports(t, stub32, "ProcessPrng")

	hello := filepath.Join(bin32, "hello32.exe")
	mingw(t, i686, "-O2", "-o", hello, filepath.Join("testdata", "hello32.c"))
	if r := run(t, bin32, "hello32.exe"); !strings.Contains(r.stdout, "hello from 386") {
		t.Logf("the 32-bit round trips were not run: this Wine does not run 32-bit programs (wine32 missing; a 386 program printed %q)", r.stdout)
		return
	}
	t.Run("32-bit round trips", func(t *testing.T) {
		if win.Wine {
			data, err := os.ReadFile(stub32)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(winePrefix(t).Dir(), "drive_c", "windows", "syswow64", "bcryptprimitives.dll"), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		wantLine(t, run(t, bin32, "parent.exe"), "This is a test string")
		wantLine(t, run(t, bin32, "parent-go.exe"), "This is a test string")
		wantLine(t, run(t, bin32, "parent.exe", winPath(filepath.Join(bin32, "child-go.exe")), "32-bit"), "32-bit")
		wantOutput(t, run(t, bin32, "implib.exe", "from the import library"),
			"read: from the import library", "length: 23", "size: 4096", "bytes: 1 1 1", "wait: 1", "unlink: 1")
	})
}
