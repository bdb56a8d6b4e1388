// Package gofmtcache remembers, across processes, which Go sources
// go/format leaves as they are, for gen.Options.Gofmt. The templates write
// gofmt'ed Go, so formatting a render's Go files is, nearly always, only a
// check; it was a fifth of a new project's first render, and the same
// sources come back on every run that renders a project again.
//
// A source is remembered by an empty file named by the SHA-256 of the Go
// version that built shmemgen (go/format's output is that release's) and
// the source. A remembered source is never formatted again; a lost record
// is formatted, and a source go/format changes is never recorded.
package gofmtcache

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/shmemgen/shmemgen/internal/usercache"
)

// Cache is one directory of records. A nil *Cache remembers nothing.
type Cache struct {
	dir     string
	prepare sync.Once // makes dir and prunes it, before the first record
}

// maxRecords bounds the directory (usercache.Prune): a project's render
// has a few dozen Go files.
const maxRecords = 4096

// Open returns the user's cache, or nil when there is none.
func Open() *Cache {
	dir, err := usercache.Dir("gofmt")
	if err != nil {
		return nil
	}
	return &Cache{dir: dir}
}

func (c *Cache) name(src []byte) string {
	h := sha256.New()
	h.Write([]byte(runtime.Version() + "\x00"))
	h.Write(src)
	return filepath.Join(c.dir, hex.EncodeToString(h.Sum(nil)))
}

// Clean reports whether src is recorded as left as it was by go/format.
func (c *Cache) Clean(src []byte) bool {
	if c == nil {
		return false
	}
	info, err := os.Lstat(c.name(src))
	return err == nil && info.Mode().IsRegular() && info.Size() == 0
}

// Record records src, which go/format left as it was.
func (c *Cache) Record(src []byte) {
	if c == nil {
		return
	}
	c.prepare.Do(func() {
		os.MkdirAll(c.dir, 0o700)
		usercache.Prune(c.dir, maxRecords)
	})
	f, err := os.OpenFile(c.name(src), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		f.Close()
	}
}
