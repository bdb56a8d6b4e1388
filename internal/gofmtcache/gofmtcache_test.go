package gofmtcache

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// userCache points the user's cache at a new directory.
func userCache(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
}

func source(i int) []byte { return fmt.Appendf(nil, "package p%d\n", i) }

func TestCache(t *testing.T) {
	userCache(t)
	c := Open()
	if c == nil {
		t.Fatal("no cache")
	}
	src, other := source(1), source(2)
	if c.Clean(src) {
		t.Fatal("clean before any record")
	}
	c.Record(src)
	if !c.Clean(src) || c.Clean(other) {
		t.Fatalf("after recording one source: Clean %v, the other %v", c.Clean(src), c.Clean(other))
	}
	if Open().Clean(src) {
		t.Error("another process finds the record before Flush")
	}
	c.Flush()
	if !Open().Clean(src) {
		t.Error("another process does not find the record after Flush")
	}
	c.Flush() // nothing new: nothing written twice
	if data, _ := os.ReadFile(c.file); strings.Count(string(data), "\n") != 1 {
		t.Errorf("the file holds %q, want one record", data)
	}
}

// A line that is not a record (cut short by a crash, anything else) is
// none, and a cut last line does not swallow the next run's first record.
func TestGarbledLines(t *testing.T) {
	userCache(t)
	c := Open()
	k := key(source(1))
	if err := os.MkdirAll(filepath.Dir(c.file), 0o700); err != nil {
		t.Fatal(err)
	}
	garbled := "x" + k[1:] + "\n" + strings.ToUpper(k) + "\n" + k + "0\n" + k[:20]
	if err := os.WriteFile(c.file, []byte(garbled), 0o600); err != nil {
		t.Fatal(err)
	}
	if c.Clean(source(1)) {
		t.Fatal("a garbled line taken for a record")
	}
	c.Record(source(1))
	c.Flush()
	if !Open().Clean(source(1)) {
		t.Errorf("a record appended after a cut line is lost: %q", must(os.ReadFile(c.file)))
	}
}

// A Flush that finds the file past maxRecords keeps the newest half, this
// run's records among them.
func TestBounded(t *testing.T) {
	userCache(t)
	c := Open()
	var lines strings.Builder
	for i := range maxRecords {
		lines.WriteString(key(source(i)) + "\n")
	}
	if err := os.MkdirAll(filepath.Dir(c.file), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.file, []byte(lines.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	c.Record(source(-1))
	c.Flush()
	if n := strings.Count(string(must(os.ReadFile(c.file))), "\n"); n != maxRecords/2 {
		t.Errorf("%d records after the Flush, want %d", n, maxRecords/2)
	}
	after := Open()
	if !after.Clean(source(-1)) || !after.Clean(source(maxRecords-1)) || after.Clean(source(0)) {
		t.Errorf("kept this run's %v, the newest %v, the oldest %v: want true, true, false",
			after.Clean(source(-1)), after.Clean(source(maxRecords-1)), after.Clean(source(0)))
	}
}

// Runs that flush at once lose none of each other's records.
func TestConcurrentFlushes(t *testing.T) {
	userCache(t)
	const runs, each = 8, 50
	var wg sync.WaitGroup
	for r := range runs {
		wg.Go(func() {
			c := Open()
			for i := range each {
				c.Record(source(r*each + i))
			}
			c.Flush()
		})
	}
	wg.Wait()
	c := Open()
	for i := range runs * each {
		if !c.Clean(source(i)) {
			t.Fatalf("source %d lost", i)
		}
	}
}

// Without a cache directory, nothing is remembered, and nothing fails.
func TestNoCache(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	c := Open()
	c.Record(source(1))
	c.Flush()
	if c.Clean(source(1)) {
		t.Error("clean without a cache")
	}
}

func must(data []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return data
}
