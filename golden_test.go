package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/internal/treetest"
	"github.com/shmemgen/shmemgen/project"
)

// A golden case is a project directory: its shmemgen.yaml is the input,
// the tree around it the expected output, as in sqlc's end-to-end cases.
// golden/ holds the cases that exist to be tested; examples/ holds the ones
// worth showing, compared by the same runner, so each tree exists once.
// Adding a case is adding a directory with a shmemgen.yaml and running
// go test . -update.
var goldenRoots = []string{"golden", "examples"}

// notRendered are names in a case directory that are not shmemgen's
// output: what a build leaves, and an overlay kept inside the case.
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
			if _, err := os.Stat(filepath.Join(dir, "shmemgen.yaml")); err != nil {
				t.Errorf("%s is not a golden case: %v", dir, err)
				continue
			}
			cases = append(cases, dir)
		}
	}
	if len(cases) == 0 {
		t.Fatal("no golden cases")
	}
	return cases
}

// renderCase renders dir from its own answers file, in process, through
// the same code shmemgen generate runs, and returns the tree it would
// write and the names in dir that are inputs rather than output.
func renderCase(t *testing.T, dir string) (map[string]treetest.File, []string) {
	t.Helper()
	a, opts, err := loadAnswers(dir)
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
	return tree, skip
}

func TestGolden(t *testing.T) {
	for _, dir := range goldenCases(t) {
		t.Run(filepath.ToSlash(dir), func(t *testing.T) {
			got, skip := renderCase(t, dir)
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
		})
	}
}

// TestGoldenDeterministic renders each case twice: the bytes must not
// depend on time, map order or anything else outside the answers.
func TestGoldenDeterministic(t *testing.T) {
	for _, dir := range goldenCases(t) {
		a, _ := renderCase(t, dir)
		b, _ := renderCase(t, dir)
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
