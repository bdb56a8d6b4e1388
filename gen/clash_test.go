package gen

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/internal/testenv"
	"github.com/shmemgen/shmemgen/internal/wine"
)

// TestLocalsMayShareExportNames is the other half of
// TestExportNamesCannotClash. Every file-scope name the generated C code
// declares starts with shmemgen_ (or is an export or an entry point), so
// that config refuses only what the outside world owns: its lowercase
// names are locals, parameters and struct members (the hosts call the
// exports through shmemgen_lib's members), which an export may share. This
// proves it: it makes every such name that config accepts an export, and
// compiles the DLL's C and both hosts, warnings as errors, for Windows with
// mingw-w64 and for Linux with gcc.
func TestLocalsMayShareExportNames(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: compiles the DLL and both hosts a dozen times (~25 s)")
	}
	compilers := []compiler{
		{wine.MinGWCC, []string{"-municode"}},
		{"gcc", nil},
	}
	for _, c := range compilers {
		testenv.RequireTool(t, c.name)
	}
	files, err := Render(config.Default("x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	idents := map[string]string{}
	for _, f := range files {
		if (strings.HasPrefix(f.Path, "dll/") || strings.HasPrefix(f.Path, "hosts/c/")) &&
			(strings.HasSuffix(f.Path, ".c") || strings.HasSuffix(f.Path, ".h")) {
			cIdentifiers(f.Data, f.Path, idents)
		}
	}
	var shared []string
	for id := range idents {
		c := both(config.Default("x"))
		c.Set = id
		if unicode.IsLower(rune(id[0])) && !isDefaultExport(id) && c.Validate() == nil {
			shared = append(shared, id)
		}
	}
	slices.Sort(shared)
	if len(shared) < 10 {
		t.Fatalf("only %d names to try (%v): the scan is broken", len(shared), shared)
	}
	t.Logf("exports named after the generated code's locals: %v", shared)
	for batch := 0; len(shared) > 0; batch++ {
		c := both(config.Default("x"))
		slots := []*string{&c.Set, &c.Get, &c.WriteBytes, &c.ReadBytes, &c.SizeExport, &c.Length, &c.Wait, &c.Status, &c.Unlink}
		for _, slot := range slots {
			if len(shared) == 0 {
				break
			}
			*slot, shared = shared[0], shared[1:]
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("%v: %v", c.Exports(), err)
		}
		t.Run(strconv.Itoa(batch), func(t *testing.T) {
			t.Parallel()
			compileWith(t, c, compilers)
		})
	}
}

type compiler struct {
	name  string
	flags []string
}

// compileWith renders c and compiles the DLL's C and the C hosts with each
// compiler, warnings as errors.
func compileWith(t *testing.T, c config.Config, compilers []compiler) {
	{
		files, err := Render(c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		for _, f := range files {
			if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f.Path)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, f.Path), f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		// build.sh copies the header beside the DLL, where the hosts find it.
		header, err := os.ReadFile(filepath.Join(dir, "dll", "api.h"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "hosts", "c", c.DLL+".h"), header, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, cc := range compilers {
			for _, src := range []string{"dll/core.c", "hosts/c/parent.c", "hosts/c/child.c"} {
				args := append([]string{"-fsyntax-only", "-O2", "-Wall", "-Wextra", "-Werror"}, cc.flags...)
				if strings.HasPrefix(src, "hosts/") {
					args = append(args, "-Ihosts/c")
				} else {
					args = slices.DeleteFunc(args, func(a string) bool { return a == "-municode" })
				}
				cmd := exec.Command(cc.name, append(args, src)...)
				cmd.Dir = dir
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("%s %s with exports %v: %v\n%s", cc.name, src, c.Exports(), err, out)
				}
			}
		}
	}
}

// both builds c for Windows and Linux, so that names either refuses are
// left out.
func both(c config.Config) config.Config {
	c.OS = "windows,linux"
	return c
}
