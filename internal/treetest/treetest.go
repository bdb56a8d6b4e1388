// Package treetest reads, compares and copies directory trees for golden
// and drift tests of generated projects.
package treetest

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// File is one regular file of a tree.
type File struct {
	Data []byte
	// Exec reports whether any execute bit is set.
	Exec bool
}

// Read returns every regular file below dir by slash-separated relative
// path, skipping the names in skip (relative paths of files or directories).
func Read(dir string, skip ...string) (map[string]File, error) {
	tree := map[string]File{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		for _, s := range skip {
			if rel == s {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", p)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		tree[rel] = File{Data: data, Exec: info.Mode()&0o111 != 0}
		return nil
	})
	return tree, err
}

// Diff describes how got differs from want, file list, bytes and execute
// bits, or returns "" when they are the same.
func Diff(got, want map[string]File) string {
	var b strings.Builder
	for _, p := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[p]
		switch {
		case !ok:
			fmt.Fprintf(&b, "missing %s\n", p)
		case !bytes.Equal(g.Data, want[p].Data):
			fmt.Fprintf(&b, "differs %s: %s\n", p, firstDifference(g.Data, want[p].Data))
		case g.Exec != want[p].Exec:
			fmt.Fprintf(&b, "differs %s: executable %v, want %v\n", p, g.Exec, want[p].Exec)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[p]; !ok {
			fmt.Fprintf(&b, "unexpected %s\n", p)
		}
	}
	return b.String()
}

// firstDifference shows the first line where got and want part.
func firstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl || i >= len(g) || i >= len(w) {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, gl, wl)
		}
	}
	return "same lines, different bytes"
}

// Replace makes dir hold exactly tree, keeping the names in keep (relative
// paths directly below dir).
func Replace(dir string, tree map[string]File, keep ...string) error {
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	for _, e := range entries {
		kept := false
		for _, k := range keep {
			kept = kept || e.Name() == k
		}
		if !kept {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return Write(dir, tree)
}

// Write writes every file of tree below dir, with its execute bit,
// leaving the other files in dir alone.
func Write(dir string, tree map[string]File) error {
	for _, p := range slices.Sorted(maps.Keys(tree)) {
		target := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		mode := fs.FileMode(0o644)
		if tree[p].Exec {
			mode = 0o755
		}
		if err := os.WriteFile(target, tree[p].Data, mode); err != nil {
			return err
		}
		if err := os.Chmod(target, mode); err != nil {
			return err
		}
	}
	return nil
}
