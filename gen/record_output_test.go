package gen

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/internal/testenv"
	"github.com/shmemgen/shmemgen/internal/wine"
)

// TestRecordCompiles proves the layout where it matters: api.h, its
// _Static_asserts on every offset and size included, compiles warnings as
// errors as C for Windows amd64 and 386 (mingw-w64, whose 386 aligns
// double and long long to 8 as MSVC does, and again with
// -mno-align-double, the i386 System V rule of 4) and for Linux x86-64, and
// as C++; and the client package, whose record.go checks the same at
// compile time, passes go vet for windows/amd64, windows/386 and
// linux/amd64.
func TestRecordCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: compiles the header six ways and vets the client and the DLL three ways (~40 s)")
	}
	t.Parallel() // beside TestLocalsMayShareExportNames' compiles
	dir := t.TempDir()
	files, err := Render(recordConfig(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f.Path)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.Path), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := files.Lookup("client/record.go"); !ok {
		t.Fatal("no client/record.go")
	}
	// A use of every record, so that nothing is only declared.
	src := "#include \"api.h\"\nint use(const Sample *s, const Point *p, const Wide *w) { return (int)s->count + (int)p->x + (int)w->big; }\n"
	if err := os.WriteFile(filepath.Join(dir, "dll", "use.c"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "dll", "use.cpp"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	flags := []string{"-fsyntax-only", "-Wall", "-Wextra", "-Werror", "-Wpadded"}
	for _, cc := range []struct {
		name string
		args []string
	}{
		{wine.MinGWCC, []string{"-std=c11", "use.c"}},
		{"i686-w64-mingw32-gcc", []string{"-std=c11", "use.c"}},
		{"i686-w64-mingw32-gcc", []string{"-std=c11", "-mno-align-double", "use.c"}},
		{"i686-w64-mingw32-gcc", []string{"-std=c11", "-malign-double", "use.c"}},
		{"gcc", []string{"-std=c11", "use.c"}},
		{"x86_64-w64-mingw32-g++", []string{"-std=c++11", "use.cpp"}},
		{"g++", []string{"-std=c++11", "use.cpp"}},
	} {
		testenv.RequireTool(t, cc.name)
		cmd := exec.Command(cc.name, append(append([]string{}, flags...), cc.args...)...)
		cmd.Dir = filepath.Join(dir, "dll")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s %s: %v\n%s", cc.name, strings.Join(cc.args, " "), err, out)
		}
	}
	// The DLL's C, the record's exports included, and the C hosts.
	compileWith(t, recordConfig(), []compiler{
		{wine.MinGWCC, []string{"-municode"}},
		{"i686-w64-mingw32-gcc", []string{"-municode"}},
		{"gcc", nil},
	})
	// The DLL is cgo: each target with its C compiler, as build.sh has it.
	for _, target := range []struct{ goos, goarch, cc, cxx string }{
		{"windows", "amd64", wine.MinGWCC, "x86_64-w64-mingw32-g++"},
		{"windows", "386", "i686-w64-mingw32-gcc", "i686-w64-mingw32-g++"},
		{"linux", "amd64", "gcc", "g++"},
	} {
		cmd := exec.Command("go", "vet", "./client", "./dll")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOOS="+target.goos, "GOARCH="+target.goarch, "CGO_ENABLED=1", "CC="+target.cc, "CXX="+target.cxx,
			"GOFLAGS=-mod=mod", "GOPROXY=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("GOOS=%s GOARCH=%s go vet ./client ./dll: %v\n%s", target.goos, target.goarch, err, out)
		}
	}
}

// TestClientNames keeps config.ClientNames, the names a record may not
// take in Go, the exported names of the client package: every system's
// files, a record's included (its own types aside).
func TestClientNames(t *testing.T) {
	c := recordConfig()
	files, err := Render(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	records := map[string]bool{}
	for _, r := range NewModel(c).Record.All() {
		records[r.Go] = true
	}
	got := map[string]bool{}
	fset := token.NewFileSet()
	for _, f := range files {
		if !strings.HasPrefix(f.Path, "client/") || !strings.HasSuffix(f.Path, ".go") || strings.HasSuffix(f.Path, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f.Path, f.Data, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() {
					got[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() && !records[s.Name.Name] {
							got[s.Name.Name] = true
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								got[n.Name] = true
							}
						}
					}
				}
			}
		}
	}
	want := map[string]bool{}
	for _, n := range config.ClientNames {
		want[n] = true
	}
	for n := range got {
		if !want[n] {
			t.Errorf("the client package exports %s, which config.ClientNames lacks: a record could take its name", n)
		}
	}
	for n := range want {
		if !got[n] {
			t.Errorf("config.ClientNames has %s, which the client package does not export", n)
		}
	}
}

// TestHostsBuildWithoutTheirSystem: the Go hosts have no build constraint
// and compile on a system the project is not built for, against the
// client's stub, a record's JSON calls included: go vet of a Windows-only
// project on Linux, with a record and without.
func TestHostsBuildWithoutTheirSystem(t *testing.T) {
	if testing.Short() {
		t.Skip("go vet of two projects: -short")
	}
	withRecord := recordConfig()
	withRecord.OS, withRecord.Arch = "windows", "amd64"
	for name, c := range map[string]config.Config{"default": config.Default("plain"), "record": withRecord} {
		t.Run(name, func(t *testing.T) {
			files, err := Render(c, Options{})
			if err != nil {
				t.Fatal(err)
			}
			dir := writeProject(t, files)
			cmd := exec.Command("go", "vet", "./client", "./hosts/...")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=amd64", "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOPROXY=off")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("GOOS=linux go vet ./client ./hosts/... of a Windows-only project: %v\n%s", err, out)
			}
		})
	}
}
