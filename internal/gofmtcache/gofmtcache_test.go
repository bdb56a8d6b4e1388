package gofmtcache

import (
	"os"
	"testing"
)

func TestCache(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	c := Open()
	if c == nil {
		t.Fatal("no cache")
	}
	src, other := []byte("package p\n"), []byte("package q\n")
	if c.Clean(src) {
		t.Fatal("clean before any record")
	}
	c.Record(src)
	if !c.Clean(src) || c.Clean(other) {
		t.Fatalf("after recording one source: Clean %v, the other %v", c.Clean(src), c.Clean(other))
	}
	// A record is an empty file: anything else there is not one.
	if err := os.WriteFile(c.name(other), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if c.Clean(other) {
		t.Error("a file with contents taken for a record")
	}
	// A second process, or Open again, finds the record.
	if !Open().Clean(src) {
		t.Error("the record is not in the directory")
	}
}

// Without a cache directory, nothing is remembered, and nothing fails.
func TestNoCache(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	c := Open()
	c.Record([]byte("package p\n"))
	if c.Clean([]byte("package p\n")) {
		t.Error("clean without a cache")
	}
}
