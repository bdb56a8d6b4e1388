package main

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/internal/treetest"
	"github.com/shmemgen/shmemgen/project"
)

// A golden case is a directory whose shmemgen.yaml is the input and whose
// files are expected output, as in sqlc's end-to-end cases. golden/ holds
// the cases that exist to be tested; examples/ the ones worth showing,
// compared by the same runner, so each tree exists once.
//
// A whole case (wholeCases) holds the entire project, its shmemgen.yaml
// and manifest included, and must match the render exactly: every file,
// and no other. Every other case is partial: its shmemgen.yaml holds only
// the inputs the case is about (the rest take their defaults, the module
// example.com/<case>), is input alone and is never rewritten; beside it
// are only the files that show what those inputs change, each compared
// byte for byte with the render. A partial case keeps one template edit
// from becoming a dozen-way diff, and says in its files what it is for.
var goldenRoots = []string{"golden", "examples"}

// wholeCases are the cases that hold the whole project: the two examples,
// which readers browse as projects. A case is whole only by being named
// here, so deleting its manifest cannot quietly make it partial.
var wholeCases = []string{"examples/basic", "examples/custom"}

// baseCase is the project a partial case is a change from: a file a
// partial case holds must differ from this case's, or it shows nothing.
const baseCase = "examples/basic"

// notRendered are names in a case directory that are not shmemgen's
// output: what a build leaves.
var notRendered = []string{"bin"}

func goldenCases(t *testing.T) []string {
	t.Helper()
	var cases []string
	for _, root := range goldenRoots {
		entries, err := os.ReadDir(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			dir := filepath.Join(root, e.Name())
			if _, err := os.Stat(filepath.Join(dir, answers.FileName)); err != nil {
				t.Errorf("%s is not a golden case: %v", dir, err)
				continue
			}
			cases = append(cases, dir)
		}
	}
	if len(cases) == 0 {
		t.Fatal("no golden cases")
	}
	for _, whole := range wholeCases {
		if !slices.Contains(cases, filepath.FromSlash(whole)) {
			t.Errorf("whole case %s is missing", whole)
		}
	}
	return cases
}

func isWhole(dir string) bool {
	return slices.Contains(wholeCases, filepath.ToSlash(dir))
}

// renderCase renders dir from its own answers file, in process, through
// the same code shmemgen generate runs, and returns the tree it would
// write, the names in dir that are inputs rather than output (the overlay
// the case records, inside it) and the answers file as read.
func renderCase(t *testing.T, dir string) (map[string]treetest.File, []string, answers.Answers) {
	t.Helper()
	a, opts, err := project.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := project.Render(a.Inputs, opts, a.Templates)
	if err != nil {
		t.Fatal(err)
	}
	tree := map[string]treetest.File{}
	for _, f := range files {
		tree[f.Path] = treetest.File{Data: f.Data, Exec: f.Mode&0o111 != 0}
	}
	skip := slices.Clone(notRendered)
	if a.Templates != "" && !strings.Contains(a.Templates, "..") && !filepath.IsAbs(a.Templates) {
		skip = append(skip, a.Templates)
	}
	return tree, skip, a
}

func TestGolden(t *testing.T) {
	base, _, _ := renderCase(t, filepath.FromSlash(baseCase))
	for _, dir := range goldenCases(t) {
		t.Run(filepath.ToSlash(dir), func(t *testing.T) {
			got, skip, a := renderCase(t, dir)
			if isWhole(dir) {
				checkWhole(t, dir, got, skip)
				return
			}
			if len(a.Files) > 0 {
				t.Errorf("%s/%s has a manifest (files:): a partial case's answers file holds its inputs only (or name the case in wholeCases)", dir, answers.FileName)
			}
			held, err := treetest.Read(dir, append(skip, answers.FileName)...)
			if err != nil {
				t.Fatal(err)
			}
			problems, err := checkPartial(dir, held, got, base, *update)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Error(p)
			}
		})
	}
}

// checkWhole compares a whole case with its render: every file, byte and
// execute bit, none missing and none extra. With -update it makes the
// case exactly the render.
func checkWhole(t *testing.T, dir string, got map[string]treetest.File, skip []string) {
	t.Helper()
	if *update {
		if err := treetest.Replace(dir, got, skip...); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := treetest.Read(dir, skip...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := treetest.Diff(got, want); diff != "" {
		t.Errorf("rendering %s from its shmemgen.yaml differs from the tree beside it (go test . -update rewrites it; review the diff):\n%s", dir, diff)
	}
}

// checkPartial checks a partial case whose files, apart from its inputs,
// are held, against got, its render, and base, the base case's render,
// and returns what is wrong. A partial case must hold at least one file;
// each must be one the project generates, and differ from the base
// case's. With update it rewrites the files it holds from got instead of
// comparing them, and never adds one: which files a case is about is a
// choice, made by hand.
func checkPartial(dir string, held, got, base map[string]treetest.File, update bool) ([]string, error) {
	if len(held) == 0 {
		return []string{fmt.Sprintf("%s holds no file besides its inputs: a partial case holds the files it is about (create them, empty, and run go test . -update)", dir)}, nil
	}
	var problems []string
	rendered := map[string]treetest.File{}
	for _, p := range slices.Sorted(maps.Keys(held)) {
		g, ok := got[p]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s/%s: the project no longer generates it: delete it, or hold instead the file that now shows what the case is about", dir, p))
			continue
		}
		if b, ok := base[p]; ok && bytes.Equal(b.Data, g.Data) && b.Exec == g.Exec {
			problems = append(problems, fmt.Sprintf("%s/%s is rendered the same as %s's: the case shows nothing in it; delete it", dir, p, baseCase))
		}
		rendered[p] = g
	}
	if update {
		return problems, treetest.Write(dir, rendered)
	}
	want := map[string]treetest.File{}
	for p := range rendered {
		want[p] = held[p]
	}
	if diff := treetest.Diff(rendered, want); diff != "" {
		problems = append(problems, fmt.Sprintf("rendering %s from its shmemgen.yaml differs from the files beside it (go test . -update rewrites them; review the diff):\n%s", dir, diff))
	}
	return problems, nil
}

// TestGoldenDeterministic renders each case twice: the bytes must not
// depend on time, map order or anything else outside the answers.
func TestGoldenDeterministic(t *testing.T) {
	for _, dir := range goldenCases(t) {
		a, _, _ := renderCase(t, dir)
		b, _, _ := renderCase(t, dir)
		if diff := treetest.Diff(a, b); diff != "" {
			t.Errorf("%s: two renders differ:\n%s", dir, diff)
		}
	}
}

// TestExamplesShown keeps examples/ what the README promises: the defaults
// and one customised project.
func TestExamplesShown(t *testing.T) {
	for _, name := range []string{"basic", "custom"} {
		if _, err := os.Stat(filepath.Join("examples", name, "shmemgen.yaml")); err != nil {
			t.Errorf("examples/%s: %v", name, err)
		}
	}
}
