package usercache

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// Beyond max files, Prune keeps the newest half of max.
func TestPrune(t *testing.T) {
	dir := t.TempDir()
	base := time.Now().Add(-time.Hour)
	for i := range 10 {
		name := filepath.Join(dir, fmt.Sprint(i))
		if err := os.WriteFile(name, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		at := base.Add(time.Duration(i) * time.Minute)
		if err := os.Chtimes(name, at, at); err != nil {
			t.Fatal(err)
		}
	}
	Prune(dir, 10)
	if names := list(t, dir); len(names) != 10 {
		t.Fatalf("pruned at the bound: %v", names)
	}
	Prune(dir, 8)
	if names, want := list(t, dir), []string{"6", "7", "8", "9"}; !slices.Equal(names, want) {
		t.Errorf("left %v, want the newest %v", names, want)
	}
}

func list(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
