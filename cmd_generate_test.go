package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An answers file over the cap is refused, naming the cap, and never read
// whole.
func TestLoadAnswersTooBig(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "shmemgen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: 30 MB that take no room.
	if err := f.Truncate(30 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, _, err = loadAnswers(dir)
	var usage usageError
	if err == nil || !errors.As(err, &usage) || !strings.Contains(err.Error(), "shmemgen.yaml: is larger than 1048576 bytes (1 MiB), the most an answers file may be") {
		t.Errorf("got %v, want a usage error about the size", err)
	}
}
