package verify_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/internal/testenv"
	"github.com/shmemgen/shmemgen/internal/wine"
	"github.com/shmemgen/shmemgen/verify"
)

// build runs a build command in dir and fails the test with its output.
func build(t *testing.T, dir string, env []string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

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
			writeFile(t, filepath.Join(dir, "foo.c"), src)
			build(t, dir, nil, cc, "-shared", "-o", "foo.dll", "foo.c")
			got, err := verify.Exports(filepath.Join(dir, "foo.dll"))
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"Bar", "Baz", "Foo"}; !slices.Equal(got, want) {
				t.Errorf("Exports = %q, want %q", got, want)
			}
		})
	}
}

func TestExportsNoTable(t *testing.T) {
	testenv.RequireTool(t, wine.MinGWCC)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.c"), "int main(void) { return 0; }\n")
	build(t, dir, nil, wine.MinGWCC, "-o", "main.exe", "main.c")
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
