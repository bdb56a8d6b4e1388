package gen

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf16"

	"golang.org/x/mod/modfile"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/internal/testenv"
)

var hostileNames = []string{
	"dllmemfilemap",
	`Local\q"uo'te %s */ {{.Name}} ünï 😀 ?? x`,
	`Global\a"b`,
	`x41" L"y`,
	"trigraph ??= ??/ ??'",
	"hex after escape: é1234 ü0 ABC",
	"%s%n%d %%",
	"`backticks` ``",
	"/* */ // #define x",
	"😀😀😀 𝄞",
	"${HOME} $(rm -rf /) '; DROP",
}

func TestNameLiteralsGo(t *testing.T) {
	for _, name := range hostileNames {
		got, err := strconv.Unquote(NewModel(withName(t, name)).NameGo)
		if err != nil || got != name {
			t.Errorf("Go literal for %q reads back as %q, %v", name, got, err)
		}
	}
}

// TestNameLiteralsC compiles each C wide literal with the host's C compiler,
// with 16-bit wchar_t as on Windows, and checks the UTF-16 it holds.
func TestNameLiteralsC(t *testing.T) {
	cc := testenv.RequireTool(t, "gcc")
	dir := t.TempDir()
	for i, name := range hostileNames {
		lit := NewModel(withName(t, name)).NameC
		src := "#include <stdio.h>\nstatic const __WCHAR_TYPE__ s[] = " + lit + ";\n" +
			"int main(void) { fwrite(s, sizeof s[0], sizeof s / sizeof s[0] - 1, stdout); return 0; }\n"
		c := filepath.Join(dir, "lit"+strconv.Itoa(i)+".c")
		exe := strings.TrimSuffix(c, ".c")
		if err := os.WriteFile(c, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(cc, "-std=c11", "-Wall", "-Werror", "-fshort-wchar", "-o", exe, c).CombinedOutput(); err != nil {
			t.Errorf("%q: literal %s does not compile: %v\n%s", name, lit, err, out)
			continue
		}
		out, err := exec.Command(exe).Output()
		if err != nil {
			t.Fatal(err)
		}
		units := make([]uint16, len(out)/2)
		binary.Read(bytes.NewReader(out), binary.LittleEndian, units)
		if got := string(utf16.Decode(units)); got != name {
			t.Errorf("C literal %s holds %q, want %q", lit, got, name)
		}
	}
}

// TestNameLiteralsReadable: the C literals escape as a person would.
func TestNameLiteralsReadable(t *testing.T) {
	for name, want := range map[string]string{
		`Global\Fleet`: `L"Global\\Fleet"`,
		`Local\a"b`:    `L"Local\\a\"b"`,
		"what??=":      `L"what?\?="`,
		"é1":           `L"\x00e9" L"1"`,
	} {
		if got := NewModel(withName(t, name)).NameC; got != want {
			t.Errorf("%q: C literal %s, want %s", name, got, want)
		}
	}
}

func withName(t *testing.T, name string) config.Config {
	c := config.Default("x")
	c.Name = name
	if err := c.Validate(); err != nil {
		t.Fatalf("%q: %v", name, err)
	}
	return c
}

func TestSizeSplit(t *testing.T) {
	c := config.Default("x")
	c.Size = 5<<30 + 6
	m := NewModel(c)
	if m.SizeHigh != 1 || m.SizeLow != 1<<30+6 || uint64(m.SizeHigh)<<32|uint64(m.SizeLow) != c.Size {
		t.Errorf("5GiB+6: high %#x low %#x", m.SizeHigh, m.SizeLow)
	}
}

// TestExportNamesCannotClash gathers every identifier the generated DLL and
// C hosts declare or use, and checks that validation refuses each as an
// export name, but for the lowercase names of their C code: those are
// locals, parameters and struct members (file-scope names start with
// shmemgen_), which an export may share, as TestLocalsMayShareExportNames
// proves by compiling them. When this fails after a template change, the
// name belongs to the outside world: derive it (internal/cnames) or add it
// to config's lists.
func TestExportNamesCannotClash(t *testing.T) {
	files, err := Render(config.Default("x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	idents := map[string]string{}
	for _, f := range files {
		switch {
		case strings.HasPrefix(f.Path, "dll/") && strings.HasSuffix(f.Path, ".go"):
			// The DLL's Go names live in Go's namespace: a C export cannot
			// clash with them.
		case (strings.HasPrefix(f.Path, "dll/") || strings.HasPrefix(f.Path, "hosts/c/")) &&
			(strings.HasSuffix(f.Path, ".c") || strings.HasSuffix(f.Path, ".h")):
			// The generated C code defines the exports, and the hosts call
			// them through shmemgen_lib's members: what it must not share
			// is a Win32, CRT or POSIX name, or a macro of its own.
			ownIdents := map[string]string{}
			cIdentifiers(f.Data, f.Path, ownIdents)
			for id, where := range ownIdents {
				if !unicode.IsLower(rune(id[0])) || strings.HasPrefix(id, "shmemgen_") || calledByName(f.Data, id) {
					idents[id] = where
				}
			}
		case strings.HasPrefix(f.Path, "wine/"):
			// The ProcessPrng stub is a DLL of its own for Wine's system32:
			// it never sees the exports, so they cannot clash with it.
		}
	}
	if len(idents) < 20 {
		t.Fatalf("found only %d identifiers: the scan is broken", len(idents))
	}
	for id, where := range idents {
		if isDefaultExport(id) {
			continue
		}
		c := both(config.Default("x"))
		c.Set = id
		if err := c.Validate(); err == nil {
			t.Errorf("export name %q is accepted but %s uses that identifier", id, where)
		}
	}
}

func isDefaultExport(name string) bool {
	for _, e := range config.Default("x").Exports() {
		if e[1] == name {
			return true
		}
	}
	return false
}

var (
	cComment    = regexp.MustCompile(`(?s)/\*.*?\*/|//[^\n]*`)
	cString     = regexp.MustCompile(`L?"(\\.|[^"\\])*"|'(\\.|[^'\\])*'`)
	cIdentifier = regexp.MustCompile(`(\.|->)?\b[A-Za-z_][A-Za-z0-9_]*\b`)
	cDirective  = regexp.MustCompile(`(?m)^#\s*(include.*$|[a-z]+)`)
)

func cIdentifiers(src []byte, path string, into map[string]string) {
	code := cComment.ReplaceAllString(string(src), " ")
	code = cDirective.ReplaceAllString(code, " ")
	code = cString.ReplaceAllString(code, `""`)
	for _, m := range cIdentifier.FindAllString(code, -1) {
		if !strings.HasPrefix(m, ".") && !strings.HasPrefix(m, "->") && m != "L" {
			into[m] = path
		}
	}
}

// TestXSysPinned checks the generated go.mod and go.sum against this
// module's own: it requires the same golang.org/x/sys, so its go.sum holds
// hashes the go command verified against the checksum database. Offline: a
// generated project then builds with no go mod tidy and no surprise.
func TestXSysPinned(t *testing.T) {
	sum, err := os.ReadFile("../go.sum")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("golang.org/x/sys %[1]s %[2]s\ngolang.org/x/sys %[1]s/go.mod %[3]s\n", XSysVersion, XSysSum, XSysGoModSum)
	if !bytes.Contains(sum, []byte(want)) {
		t.Errorf("this module's go.sum lacks\n%sso gen.XSysSum or gen.XSysGoModSum is wrong, or go.mod requires another version (see gen/model.go)", want)
	}
	if !regexp.MustCompile(`(?m)^\s*golang.org/x/sys ` + regexp.QuoteMeta(XSysVersion) + `\b`).Match(mod) {
		t.Errorf("this module's go.mod does not require golang.org/x/sys %s, the version generated projects pin", XSysVersion)
	}
	files, err := Render(config.Default("x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	gosum, _ := files.Lookup("go.sum")
	if string(gosum.Data) != want {
		t.Errorf("generated go.sum:\n%s\nwant:\n%s", gosum.Data, want)
	}
	gomod, _ := files.Lookup("go.mod")
	if !bytes.Contains(gomod.Data, []byte("require golang.org/x/sys "+XSysVersion+"\n")) {
		t.Errorf("generated go.mod does not require golang.org/x/sys %s:\n%s", XSysVersion, gomod.Data)
	}
}

// renderOne renders one template as Render does, executing it and
// formatting Go output.
func renderOne(name string, src []byte, model Model) ([]byte, error) {
	data, err := execute(Template{Name: name, Source: string(src), Overlay: true}, model)
	if err != nil {
		return nil, err
	}
	r := result{name: name, data: data}
	if path.Ext(strings.TrimSuffix(name, ".tmpl")) == ".go" {
		r.format(nil)
	}
	return r.data, r.err
}

func TestTemplateErrorsNameTheTemplate(t *testing.T) {
	_, err := renderOne("project/broken.go.tmpl", []byte("package main\n\nfunc {{ .Set }}( {\n"), NewModel(config.Default("x")))
	if err == nil || !strings.Contains(err.Error(), "project/broken.go.tmpl") {
		t.Errorf("got %v, want an error naming the template", err)
	}
	_, err = renderOne("project/now.txt.tmpl", []byte("{{ now }}"), NewModel(config.Default("x")))
	if err == nil || !strings.Contains(err.Error(), `"now" not defined`) {
		t.Errorf("got %v, want now to be undefined: rendering must not depend on time", err)
	}
}

// BenchmarkRender renders the default project as a process does after its
// first render: the embedded templates are read, their guards matched and
// they are parsed once a process, and Go output formatted once is not
// formatted again (gofmted).
func BenchmarkRender(b *testing.B) {
	c := config.Default("basic")
	for b.Loop() {
		if _, err := Render(c, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderFirst renders the default project as a process's first
// render does, reading the embedded templates, parsing every one it uses
// and formatting every Go file.
func BenchmarkRenderFirst(b *testing.B) {
	benchmarkRenderFirst(b, nil)
}

// BenchmarkRenderFirstCached is BenchmarkRenderFirst with gofmt's verdicts
// on these sources cached, as the commands' cache holds them after their
// first render of the same project: the one Go file go/format changes is
// formatted, no other.
func BenchmarkRenderFirstCached(b *testing.B) {
	cache := &fakeGofmt{}
	resetRenderMemos()
	if _, err := Render(config.Default("basic"), Options{Gofmt: cache}); err != nil {
		b.Fatal(err)
	}
	benchmarkRenderFirst(b, cache)
}

func benchmarkRenderFirst(b *testing.B, cache GofmtCache) {
	c := config.Default("basic")
	for b.Loop() {
		resetRenderMemos()
		if _, err := Render(c, Options{Gofmt: cache}); err != nil {
			b.Fatal(err)
		}
	}
}

// resetRenderMemos forgets what a process's renders remember, as a new
// process starts without it.
func resetRenderMemos() {
	embeddedTemplates = sync.OnceValues(readEmbedded)
	guards.Clear()
	parsed.Clear()
	gofmted.Clear()
	gofmtedCount.Store(0)
}

// TestDependencyModules ties config's list of the modules the generated
// project requires, which --module may not collide with, to its go.mod.
func TestDependencyModules(t *testing.T) {
	files, err := Render(config.Default("x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, ok := files.Lookup("go.mod")
	if !ok {
		t.Fatal("no go.mod")
	}
	mod, err := modfile.Parse("go.mod", f.Data, nil)
	if err != nil {
		t.Fatal(err)
	}
	var required []string
	for _, r := range mod.Require {
		required = append(required, r.Mod.Path)
	}
	if !slices.Equal(required, config.DependencyModules) {
		t.Errorf("go.mod requires %v; config.DependencyModules says %v", required, config.DependencyModules)
	}
}

// calledByName reports whether C source calls name as a function rather
// than through a member: a function the code calls by name comes from a
// header (its own start with shmemgen_), so an export must not share it.
// GCC attributes and defined() look like calls and are not.
func calledByName(src []byte, name string) bool {
	code := cComment.ReplaceAllString(string(src), " ")
	code = cString.ReplaceAllString(code, `""`)
	code = cAttribute.ReplaceAllString(code, " ")
	code = cDefined.ReplaceAllString(code, " ")
	return regexp.MustCompile(`(^|[^.>\w])` + regexp.QuoteMeta(name) + `\s*\(`).MatchString(code)
}

var (
	cAttribute = regexp.MustCompile(`__attribute__\s*\(\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)\)`)
	cDefined   = regexp.MustCompile(`\bdefined\s*\(`)
)

// The memo of go/format gives what go/format gives, every time, and bytes
// of the caller's own; it never keeps an error.
func TestFormatMemo(t *testing.T) {
	for _, src := range []string{"package p\nvar  x=1\n", "package p\n\nvar x = 1\n"} {
		want, err := format.Source([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			r := result{name: "t", data: []byte(src)}
			r.format(nil)
			if r.err != nil || string(r.data) != string(want) {
				t.Fatalf("run %d of %q: got %q, %v; want %q", i, src, r.data, r.err, want)
			}
			r.data[0] = 'X' // the caller's to change
		}
	}
	for range 2 {
		r := result{name: "bad.go.tmpl", data: []byte("package p\nfunc {\n")}
		r.format(nil)
		if r.err == nil || !strings.Contains(r.err.Error(), "template bad.go.tmpl: output is not valid Go") {
			t.Fatalf("got %v, want the template named", r.err)
		}
	}
}
