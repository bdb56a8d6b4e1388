package e2e

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryTestTakesItsTurn holds the package to its schedule: every test
// says first (after the checks that skip it) whether its programs share
// the default names (serial) or not (alone). One that says neither would
// run before every other test, alone in the package, which is slow but
// not wrong; one that says serial late would race the chain for the
// default names until it does.
func TestEveryTestTakesItsTurn(t *testing.T) {
	alone(t) // reads source files
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	tests := 0
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Test") || fn.Name.Name == "TestMain" {
				continue
			}
			tests++
			if !takesTurnFirst(fn.Body.List) {
				t.Errorf("%s: %s must call serial(t) or alone(t) before anything but the checks that skip it (see main_test.go)",
					fset.Position(fn.Pos()), fn.Name.Name)
			}
		}
	}
	if tests < 50 {
		t.Errorf("found %d tests in %q: the check is not reading the package", tests, files)
	}
}

// takesTurnFirst reports whether body calls serial(t) or alone(t) (or
// branches between them) before anything but calls of require functions.
func takesTurnFirst(body []ast.Stmt) bool {
	for _, stmt := range body {
		if turn(stmt) {
			return true
		}
		if !strings.HasPrefix(calledName(stmt), "require") {
			return false
		}
	}
	return false
}

// turn reports whether stmt is serial(t), alone(t), or an if whose every
// branch begins with one of them.
func turn(stmt ast.Stmt) bool {
	if s, ok := stmt.(*ast.IfStmt); ok {
		if s.Else == nil || len(s.Body.List) == 0 || !turn(s.Body.List[0]) {
			return false
		}
		if e, ok := s.Else.(*ast.BlockStmt); ok {
			return len(e.List) > 0 && turn(e.List[0])
		}
		return turn(s.Else)
	}
	name := calledName(stmt)
	return name == "serial" || name == "alone"
}

// calledName is the name of the function stmt calls (f for f(...) and
// x.f(...)), or "".
func calledName(stmt ast.Stmt) string {
	e, ok := stmt.(*ast.ExprStmt)
	if !ok {
		return ""
	}
	call, ok := e.X.(*ast.CallExpr)
	if !ok {
		return ""
	}
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}
