package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An answers file over the cap is refused as a usage error (exit 2),
// naming the cap (project's TestLoadTooBig: and never read whole).
func TestGenerateAnswersTooBig(t *testing.T) {
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
	var stderr bytes.Buffer
	code := run([]string{"shmemgen", "generate", "--dir", dir}, &bytes.Buffer{}, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "shmemgen.yaml: is larger than 1048576 bytes (1 MiB), the most an answers file may be") {
		t.Errorf("got exit %d, %s; want a usage error (exit %d) about the size", code, stderr.String(), exitUsage)
	}
}
