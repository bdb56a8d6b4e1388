package verify_test

import (
	"debug/pe"
	"path/filepath"
	"slices"
	"testing"

	"github.com/shmemgen/shmemgen/internal/testenv"
	"github.com/shmemgen/shmemgen/internal/wine"
	"github.com/shmemgen/shmemgen/verify"
)

func TestExports(t *testing.T) {
	// cdecl keeps the names undecorated on 386 too (stdcall would give Foo@4).
	const src = `
__declspec(dllexport) int Foo(int x) { return x + 1; }
__declspec(dllexport) int Bar(int x) { return x - 1; }
__declspec(dllexport) int Baz = 42;
static int hidden(void) { return 0; }
`
	for _, cc := range []string{wine.MinGWCC, "i686-w64-mingw32-gcc"} {
		t.Run(cc, func(t *testing.T) {
			testenv.RequireTool(t, cc)
			dir := t.TempDir()
			testenv.WriteFile(t, filepath.Join(dir, "foo.c"), src)
			testenv.Run(t, dir, nil, cc, "-shared", "-o", "foo.dll", "foo.c")
			got, err := verify.Exports(filepath.Join(dir, "foo.dll"))
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"Bar", "Baz", "Foo"}; !slices.Equal(got, want) {
				t.Errorf("Exports = %q, want %q", got, want)
			}
			// Every DLL mingw-w64 builds imports from KERNEL32 and msvcrt.
			libs, err := verify.ImportedDLLs(filepath.Join(dir, "foo.dll"))
			if err != nil || !slices.Contains(libs, "KERNEL32.dll") || !slices.IsSorted(libs) || len(slices.Compact(slices.Clone(libs))) != len(libs) {
				t.Errorf("ImportedDLLs = %q, %v; want each DLL once, sorted, KERNEL32.dll among them", libs, err)
			}
			wantMachine := map[string]uint16{wine.MinGWCC: pe.IMAGE_FILE_MACHINE_AMD64, "i686-w64-mingw32-gcc": pe.IMAGE_FILE_MACHINE_I386}[cc]
			if m, err := verify.Machine(filepath.Join(dir, "foo.dll")); err != nil || m != wantMachine {
				t.Errorf("Machine = %#x, %v; want %#x", m, err, wantMachine)
			}
		})
	}
}

func TestExportsNoTable(t *testing.T) {
	testenv.RequireTool(t, wine.MinGWCC)
	dir := t.TempDir()
	testenv.WriteFile(t, filepath.Join(dir, "main.c"), "int main(void) { return 0; }\n")
	testenv.Run(t, dir, nil, wine.MinGWCC, "-o", "main.exe", "main.c")
	got, err := verify.Exports(filepath.Join(dir, "main.exe"))
	if err != nil || len(got) != 0 {
		t.Errorf("verify.Exports(exe without exports) = %q, %v; want none, nil", got, err)
	}
	if _, err := verify.Exports(filepath.Join(dir, "main.c")); err == nil {
		t.Error("verify.Exports(C source) succeeded, want error")
	}
}

func TestStubExports(t *testing.T) {
	testenv.RequireTool(t, wine.MinGWCC)
	dll := filepath.Join(t.TempDir(), "bcryptprimitives.dll")
	if err := wine.BuildStub(dll); err != nil {
		t.Fatal(err)
	}
	got, err := verify.Exports(dll)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"ProcessPrng"}; !slices.Equal(got, want) {
		t.Errorf("stub exports %q, want %q (Go's runtime imports exactly this name)", got, want)
	}
}

// TestELFExports lists what a shared library defines and exports: not its
// static or hidden functions, nor what it imports (puts).
func TestELFExports(t *testing.T) {
	testenv.RequireTool(t, "gcc")
	dir := t.TempDir()
	testenv.WriteFile(t, filepath.Join(dir, "a.c"), `int Foo(void) { return 1; }
int Bar = 2;
static int hidden(void) { return 0; }
__attribute__((visibility("hidden"))) int Hid(void) { return hidden(); }
extern int puts(const char *);
int Baz(void) { return puts("x") + Hid(); }
`)
	testenv.Run(t, dir, nil, "gcc", "-shared", "-fPIC", "-o", "liba.so", "a.c")
	got, err := verify.ELFExports(filepath.Join(dir, "liba.so"))
	if want := []string{"Bar", "Baz", "Foo"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("ELFExports = %q, %v; want %q", got, want, err)
	}
	if _, err := verify.ELFExports(filepath.Join(dir, "a.c")); err == nil {
		t.Error("ELFExports(C source) succeeded, want error")
	}
}
