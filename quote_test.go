package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestOneQuoting keeps messages quoting values one way, config.Quote, which
// shows a value as it was typed (Local\Telemetry, not Local\\Telemetry):
// no message format in shmemgen's own code may use %q.
func TestOneQuoting(t *testing.T) {
	var dirs = []string{".", "answers", "config", "gen", "write", "templates", "internal/wine", "verify"}
	// Formats of other packages' messages that shmemgen parses, not its own.
	theirs := map[string]bool{"malformed module path %q: ": true}
	fset := token.NewFileSet()
	for _, dir := range dirs {
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(fset, name, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				if s, err := strconv.Unquote(lit.Value); err == nil && strings.Contains(s, "%q") && !theirs[s] {
					t.Errorf("%s: %s quotes with %%q; use %%s and config.Quote", fset.Position(lit.Pos()), lit.Value)
				}
				return true
			})
		}
	}
}
