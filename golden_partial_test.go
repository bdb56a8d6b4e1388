package main

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/internal/treetest"
)

// TestCheckPartial holds the rules that keep a partial golden case from
// passing by holding nothing, or something stale or beside the point.
func TestCheckPartial(t *testing.T) {
	file := func(s string) treetest.File { return treetest.File{Data: []byte(s)} }
	got := map[string]treetest.File{
		"dll/layout.go": file("size 5GiB\n"),
		"build.sh":      {Data: []byte("build 386\n"), Exec: true},
		"go.sum":        file("same\n"),
		"README.md":     file("readme\n"),
	}
	base := map[string]treetest.File{
		"dll/layout.go": file("size 4KiB\n"),
		"build.sh":      {Data: []byte("build amd64\n"), Exec: true},
		"go.sum":        file("same\n"),
		"README.md":     file("basic readme\n"),
	}
	for _, tc := range []struct {
		name string
		held map[string]treetest.File
		want []string // a fragment of each problem, in order
	}{
		{"empty", map[string]treetest.File{}, []string{"holds no file"}},
		{"current", map[string]treetest.File{"dll/layout.go": got["dll/layout.go"], "build.sh": got["build.sh"]}, nil},
		{"stale", map[string]treetest.File{"dll/layout.go": file("size 4GiB\n")}, []string{"differs dll/layout.go"}},
		{"execute bit", map[string]treetest.File{"build.sh": file("build 386\n")}, []string{"differs build.sh: executable true"}},
		{"not generated", map[string]treetest.File{"dll/gone.go": file("x\n"), "dll/layout.go": got["dll/layout.go"]}, []string{"dll/gone.go: the project no longer generates it"}},
		{"same as base", map[string]treetest.File{"go.sum": file("same\n")}, []string{"go.sum is rendered the same as examples/basic's"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			problems, err := checkPartial("golden/case", tc.held, got, base, false)
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) != len(tc.want) {
				t.Fatalf("problems %q, want %d matching %q", problems, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if !strings.Contains(problems[i], w) {
					t.Errorf("problem %q, want it to say %q", problems[i], w)
				}
			}
		})
	}

	// -update rewrites the files a case holds, and only those: it adds
	// none, deletes none, and still fails on one the project no longer
	// generates or one that shows nothing.
	dir := t.TempDir()
	stale := map[string]treetest.File{"dll/layout.go": file("size 4GiB\n"), "dll/gone.go": file("x\n"), "go.sum": file("old\n")}
	if err := treetest.Write(dir, stale); err != nil {
		t.Fatal(err)
	}
	problems, err := checkPartial(dir, stale, got, base, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 2 || !strings.Contains(problems[0], "gone.go") || !strings.Contains(problems[1], "go.sum") {
		t.Errorf("-update: problems %q, want gone.go's and go.sum's", problems)
	}
	after, err := treetest.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if names := slices.Sorted(maps.Keys(after)); !slices.Equal(names, []string{"dll/gone.go", "dll/layout.go", "go.sum"}) {
		t.Errorf("-update left %q, want the files the case held", names)
	}
	if string(after["dll/layout.go"].Data) != "size 5GiB\n" || string(after["go.sum"].Data) != "same\n" {
		t.Errorf("-update did not rewrite the held files from the render: layout.go %q, go.sum %q", after["dll/layout.go"].Data, after["go.sum"].Data)
	}
}
