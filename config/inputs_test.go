package config

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestInputsBindFields keeps Inputs and Config one declaration: every field
// is bound by exactly one row, whose flag is the field's key in the answers
// file, so that an input cannot be recorded without a flag or the other way
// round.
func TestInputsBindFields(t *testing.T) {
	var c Config
	v := reflect.ValueOf(&c).Elem()
	bound := map[uintptr]string{}
	for _, in := range Inputs {
		p := reflect.ValueOf(in.field(&c)).Pointer()
		if other, ok := bound[p]; ok {
			t.Errorf("--%s and --%s bind the same field", other, in.Flag)
		}
		bound[p] = in.Flag
	}
	// The record's fields have no row: RecordFlags set inputs.record, and
	// only shmemgen.yaml declares inputs.types.
	recordKeys := map[string]bool{"record": true, "types": true}
	if RecordFlags[0].Flag != "record" {
		t.Errorf("RecordFlags start with --%s, not --record, the key of Config.Record", RecordFlags[0].Flag)
	}
	for i := range v.NumField() {
		f := v.Type().Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		flag, ok := bound[v.Field(i).Addr().Pointer()]
		switch {
		case recordKeys[key]:
			if ok {
				t.Errorf("Config.%s is the record's, set by no row, but --%s binds it", f.Name, flag)
			}
		case !ok:
			t.Errorf("Config.%s has no row in Inputs", f.Name)
		case flag != key:
			t.Errorf("Config.%s is recorded as %s but set by --%s: the answers key is the flag's name", f.Name, key, flag)
		}
	}
	if len(bound) != v.NumField()-len(recordKeys) {
		t.Errorf("%d inputs bind %d fields: a row binds something else", len(bound), v.NumField())
	}
}

// TestInputsDeclared checks what every row must say: a flag of its own,
// help that names its value, and docs.
func TestInputsDeclared(t *testing.T) {
	seen := map[string]bool{}
	for _, in := range Inputs {
		for _, name := range append([]string{in.Flag}, in.Aliases...) {
			if seen[name] {
				t.Errorf("--%s is declared twice", name)
			}
			seen[name] = true
		}
		if strings.Count(in.Usage, "`") != 2 {
			t.Errorf("--%s: the usage names no `VALUE`: %s", in.Flag, in.Usage)
		}
		if in.Doc == "" {
			t.Errorf("--%s has no docs", in.Flag)
		}
		if in.Derived && (in.Default != "" || in.DefaultDoc == "") {
			t.Errorf("--%s: a derived default has no value of its own, and docs that say how it is derived", in.Flag)
		}
	}
}

// TestInputValuesRoundTrip reads every input back as its flag writes it.
func TestInputValuesRoundTrip(t *testing.T) {
	c := Default("rt")
	for _, in := range Inputs {
		var got Config
		if err := in.Set(&got, in.Value(c)); err != nil {
			t.Errorf("--%s %s: %v", in.Flag, in.Value(c), err)
		}
		if in.Value(got) != in.Value(c) {
			t.Errorf("--%s: %s reads back as %s", in.Flag, in.Value(c), in.Value(got))
		}
	}
}

// TestReadersNameTheRow: a value an input's reader refuses is an error
// naming that input's flag, whichever row reads it: Duration, which any
// duration input would use, names none of its own (it named lock-timeout,
// and so would have blamed any other duration input's value on it).
func TestReadersNameTheRow(t *testing.T) {
	other := Input{Flag: "other-timeout", value: duration(func(c *Config) *Duration { return &c.LockTimeout })}
	for _, in := range append(slices.Clone(Inputs), other) {
		var c Config
		err := in.Set(&c, "5")
		if err == nil {
			continue // a value this input takes
		}
		var ce *Error
		if !errors.As(err, &ce) || ce.Flag != in.Flag {
			t.Errorf("--%s 5: %v, want an error naming --%s", in.Flag, err, in.Flag)
		}
	}
	var d Duration
	var ce *Error
	if err := d.UnmarshalText([]byte("5")); !errors.As(err, &ce) || ce.Flag != "" {
		t.Errorf("Duration names the flag %q: only the row reading it knows which", ce.Flag)
	}
}

// literalKeyAllowed are the string literals outside config and gen that
// spell an input's key but mean something else.
var literalKeyAllowed = map[string][]string{
	// A record's own name key, inside inputs.record and inputs.types.
	"answers/answers.go": {"name"},
	// The project's dll/ directory, where api.h is.
	"generate/layoutnote.go": {"dll"},
	// git status, run to say whether the measured tree has changes.
	"internal/speedbench/main.go": {"status"},
}

// TestNoInputKeyLiterals keeps each input in one place: no Go file outside
// config and gen (its rows, its rules; the model) spells an input's key,
// its flag and answers key, as a string literal. The answers file, the
// commands and the plan reach an input through its row of Inputs, so that
// adding one is a row, its rule and the templates that read it.
func TestNoInputKeyLiterals(t *testing.T) {
	keys := map[string]bool{}
	for _, in := range Inputs {
		keys[in.Flag] = true
	}
	root := ".."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			switch {
			case rel == ".":
			case rel == "config", rel == "gen", rel == "golden", rel == "examples", rel == "templates",
				strings.HasPrefix(d.Name(), "."), d.Name() == "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		imports := map[*ast.BasicLit]bool{}
		for _, spec := range f.Imports {
			imports[spec.Path] = true
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING || imports[lit] {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil && keys[s] && !slices.Contains(literalKeyAllowed[rel], s) {
				t.Errorf("%s: the input key %q as a literal: reach the input through its row of config.Inputs (or say in literalKeyAllowed why it means something else)", fset.Position(lit.Pos()), s)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
