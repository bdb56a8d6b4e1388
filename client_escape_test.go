package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestClientPointersEscape checks the rule that keeps the buffers the
// generated Windows client hands the DLL alive and in place for the whole
// call (issue 17, item 3), on examples/custom's client, every file that
// builds for Windows (the record's calls included): every
// uintptr(unsafe.Pointer(x)) sits directly in the argument list of a
// method marked //go:uintptrescapes, and the compiler honours the mark,
// which go build -gcflags=-m=2 shows as a flow to the heap through
// "(//go:uintptrescapes)" at each conversion of an address (a pointer
// variable's memory is on the heap already). For amd64 and 386, whose
// byte calls pass their ULONGLONGs differently.
func TestClientPointersEscape(t *testing.T) {
	dir := filepath.Join("examples", "custom")
	src := filepath.Join(dir, "client")
	names, err := filepath.Glob(filepath.Join(src, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, "_linux.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) < 2 {
		t.Fatalf("%s: %d Windows files, want client.go and the record's", src, len(files))
	}
	escaping := map[string]bool{}
	for _, decl := range allDecls(files) {
		if fn, ok := decl.(*ast.FuncDecl); ok && fn.Doc != nil {
			for _, c := range fn.Doc.List {
				if c.Text == "//go:uintptrescapes" {
					escaping[fn.Name.Name] = true
				}
			}
		}
	}
	for _, name := range []string{"call", "callBytes"} {
		if !escaping[name] {
			t.Errorf("%s: %s is not marked //go:uintptrescapes", src, name)
		}
	}

	// Every conversion, in order, and those that are an argument of an
	// escaping call.
	var conversions []ast.Expr
	direct := map[ast.Expr]bool{}
	inspect := func(n ast.Node) bool {
		if e, ok := n.(ast.Expr); ok && pointerToUintptr(e) {
			conversions = append(conversions, e)
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || !escaping[sel.Sel.Name] {
			return true
		}
		for _, arg := range call.Args {
			if pointerToUintptr(arg) {
				direct[arg] = true
			}
		}
		return true
	}
	for _, f := range files {
		ast.Inspect(f, inspect)
	}
	if len(conversions) < 7 {
		t.Errorf("%s: %d pointer conversions, want at least 7 (set, get, the two byte calls, wait, the record's two)", src, len(conversions))
	}
	var addresses []token.Position
	for _, e := range conversions {
		pos := fset.Position(e.Pos())
		if !direct[e] {
			t.Errorf("%s: uintptr(unsafe.Pointer(...)) outside the argument list of a //go:uintptrescapes call: nothing keeps its memory alive for the call", pos)
		}
		if _, ident := e.(*ast.CallExpr).Args[0].(*ast.CallExpr).Args[0].(*ast.Ident); !ident {
			addresses = append(addresses, pos)
		}
	}

	for _, arch := range []string{"amd64", "386"} {
		t.Run(arch, func(t *testing.T) {
			build := exec.Command("go", "build", "-gcflags=-m=2", "./client")
			build.Dir = dir
			build.Env = append(os.Environ(), "GOOS=windows", "GOARCH="+arch, "CGO_ENABLED=0")
			out, err := build.CombinedOutput()
			if err != nil {
				t.Fatalf("go build -gcflags=-m=2 ./client in %s: %v\n%s", dir, err, out)
			}
			for _, pos := range addresses {
				file := filepath.Base(pos.Filename)
				want := fmt.Sprintf("(//go:uintptrescapes) at client/%s:%d:", file, pos.Line)
				if !strings.Contains(string(out), want) {
					t.Errorf("%s:%d: the compiler did not move the memory to the heap through //go:uintptrescapes (no %q)", file, pos.Line, want)
				}
			}
		})
	}
}

// pointerToUintptr reports whether e is uintptr(unsafe.Pointer(x)).
func pointerToUintptr(e ast.Expr) bool {
	outer, ok := e.(*ast.CallExpr)
	if !ok || len(outer.Args) != 1 {
		return false
	}
	if id, ok := outer.Fun.(*ast.Ident); !ok || id.Name != "uintptr" {
		return false
	}
	inner, ok := outer.Args[0].(*ast.CallExpr)
	if !ok || len(inner.Args) != 1 {
		return false
	}
	sel, ok := inner.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Pointer" {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "unsafe"
}

// allDecls lists the declarations of every file.
func allDecls(files []*ast.File) []ast.Decl {
	var decls []ast.Decl
	for _, f := range files {
		decls = append(decls, f.Decls...)
	}
	return decls
}
