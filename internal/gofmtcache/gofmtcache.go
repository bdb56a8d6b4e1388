// Package gofmtcache remembers, across processes, which Go sources
// go/format leaves as they are, for gen.Options.Gofmt. The templates write
// gofmt'ed Go, so formatting a render's Go files is, nearly always, only a
// check; it was a fifth of a new project's first render, and the same
// sources come back on every run that renders a project again.
//
// The records are one file, shmemgen/gofmt/clean in the user's cache: a
// line per source, the hex SHA-256 of the Go version that built shmemgen
// (go/format's output is that release's) and the source. A run reads it
// once, at its first question, and appends what it found in one write
// (Flush). One file, not a file per source: a first render that created
// twenty files was slower than formatting without a cache. A remembered
// source is never formatted again; a lost or garbled line costs a format,
// and a source go/format changes is never recorded.
package gofmtcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/shmemgen/shmemgen/internal/usercache"
)

// Cache is the records of one user. A nil *Cache remembers nothing.
type Cache struct {
	file string

	load    sync.Once
	clean   map[string]bool // the file's records, then this run's too
	lines   int             // the file's records, as far as this run knows
	endsCut bool            // the file's last line has no newline

	mu      sync.Mutex
	pending []string // this run's records, for Flush
}

// maxRecords bounds the file: a Flush that finds it longer keeps the
// newest half. A project's render has a few dozen Go files.
const maxRecords = 2048

// lineLen is a record's length: a hex SHA-256 and a newline.
const lineLen = 2*sha256.Size + 1

// Open returns the user's cache, or nil when there is none.
func Open() *Cache {
	dir, err := usercache.Dir("gofmt")
	if err != nil {
		return nil
	}
	return &Cache{file: filepath.Join(dir, "clean")}
}

func key(src []byte) string {
	h := sha256.New()
	h.Write([]byte(runtime.Version() + "\x00"))
	h.Write(src)
	return hex.EncodeToString(h.Sum(nil))
}

// read loads the file's records, once.
func (c *Cache) read() {
	c.load.Do(func() {
		c.clean = map[string]bool{}
		data, err := os.ReadFile(c.file)
		if err != nil {
			return
		}
		c.endsCut = len(data) > 0 && data[len(data)-1] != '\n'
		for _, k := range records(data) {
			c.clean[k] = true
			c.lines++
		}
	})
}

// records are the lines of data that are records, in order: a line that
// is not one (cut short by a crash, or written by anything else) is none.
func records(data []byte) []string {
	var out []string
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		if len(line) == lineLen-1 && isHex(line) {
			out = append(out, string(line))
		}
	}
	return out
}

func isHex(b []byte) bool {
	for _, x := range b {
		if (x < '0' || x > '9') && (x < 'a' || x > 'f') {
			return false
		}
	}
	return true
}

// Clean reports whether src is recorded as left as it was by go/format.
func (c *Cache) Clean(src []byte) bool {
	if c == nil {
		return false
	}
	c.read()
	k := key(src)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.clean[k]
}

// Record records src, which go/format left as it was, for Flush to write.
func (c *Cache) Record(src []byte) {
	if c == nil {
		return
	}
	c.read()
	k := key(src)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.clean[k] {
		c.clean[k] = true
		c.pending = append(c.pending, k)
	}
}

// Flush writes the records made since the last Flush: appended in one
// write, which concurrent runs' appends do not interleave with, or, when
// the file has grown past maxRecords, as a new file of the newest half.
// Failing to write only costs a later run its formats.
func (c *Cache) Flush() {
	if c == nil {
		return
	}
	c.mu.Lock()
	pending := c.pending
	c.pending = nil
	c.mu.Unlock()
	if len(pending) == 0 {
		return
	}
	if c.lines+len(pending) > maxRecords {
		c.rewrite(pending)
		return
	}
	var buf bytes.Buffer
	if c.endsCut {
		buf.WriteByte('\n')
	}
	for _, k := range pending {
		buf.WriteString(k + "\n")
	}
	os.MkdirAll(filepath.Dir(c.file), 0o700)
	f, err := os.OpenFile(c.file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	if _, err := f.Write(buf.Bytes()); err == nil {
		c.lines += len(pending)
		c.endsCut = false
	}
}

// rewrite replaces the file with its newest records and pending, through
// a temporary file and a rename, so that a reader sees the old file or the
// new one. Records another run appends meanwhile are lost: a format each.
func (c *Cache) rewrite(pending []string) {
	data, _ := os.ReadFile(c.file)
	keep := append(records(data), pending...)
	keep = keep[max(0, len(keep)-maxRecords/2):]
	var buf bytes.Buffer
	for _, k := range keep {
		buf.WriteString(k + "\n")
	}
	dir := filepath.Dir(c.file)
	os.MkdirAll(dir, 0o700)
	tmp, err := os.CreateTemp(dir, "clean-*.tmp")
	if err != nil {
		return
	}
	_, werr := tmp.Write(buf.Bytes())
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), c.file) != nil {
		os.Remove(tmp.Name())
		return
	}
	c.lines, c.endsCut = len(keep), false
}
