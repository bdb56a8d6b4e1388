package gen

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRenderingKnowsNoAnswers keeps gen to rendering: the answers file is
// its callers' business, so gen's own code imports no answers package (its
// tests may, to check that nothing renders over the answers file).
func TestRenderingKnowsNoAnswers(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == "github.com/shmemgen/shmemgen/answers" {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}
