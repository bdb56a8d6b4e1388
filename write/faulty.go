package write

import (
	"io"
	"io/fs"
	"path/filepath"
	"sync"
)

// Op names a change Faulty makes to the filesystem.
type Op string

// The changes Faulty can fail.
const (
	OpCreate Op = "create" // a file; for a temporary one the path is dir/pattern
	OpWrite  Op = "write"  // into a temporary file, halfway through
	OpMkdir  Op = "mkdir"  // for a temporary directory the path is dir/pattern
	OpRename Op = "rename" // the path is the target
	OpRemove Op = "remove" // a file or a directory
	OpSync   Op = "sync"   // a file's contents, or a directory's entries
)

// Faulty is an FS for tests: it passes everything to FS, but before each
// change calls Before, which may make that change fail. shmemgen never uses
// it; its tests give it to the commands (runOn) to kill them at a chosen step.
type Faulty struct {
	FS FS
	// Before, when not nil, is called before each change with what it is
	// and its path, one call at a time; an error from it is returned
	// instead of making the change. A write that fails is torn: half its
	// bytes are written first, as a crash could leave them.
	Before func(op Op, path string) error
	// Crash makes the first error from Before stop the filesystem dead:
	// every operation after it fails with that error, the undo's
	// included, as when the process dies there.
	Crash bool
	// NoSync makes syncs do nothing, and not call Before, for tests that
	// apply hundreds of times and are about order, not durability.
	NoSync bool

	mu   sync.Mutex
	dead error
}

// before reports whether op may go ahead.
func (f *Faulty) before(op Op, path string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.dead != nil {
		return f.dead
	}
	if f.Before == nil {
		return nil
	}
	err := f.Before(op, path)
	if err != nil && f.Crash {
		f.dead = err
	}
	return err
}

// crashed returns the crash once the filesystem is dead, nil before.
func (f *Faulty) crashed() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dead
}

// Dead reports whether a crash stopped the filesystem.
func (f *Faulty) Dead() bool { return f.crashed() != nil }

func (f *Faulty) Lstat(name string) (fs.FileInfo, error) {
	if err := f.crashed(); err != nil {
		return nil, err
	}
	return f.FS.Lstat(name)
}

func (f *Faulty) Stat(name string) (fs.FileInfo, error) {
	if err := f.crashed(); err != nil {
		return nil, err
	}
	return f.FS.Stat(name)
}

func (f *Faulty) ReadFile(name string) ([]byte, error) {
	if err := f.crashed(); err != nil {
		return nil, err
	}
	return f.FS.ReadFile(name)
}

func (f *Faulty) Open(name string) (io.ReadCloser, error) {
	if err := f.crashed(); err != nil {
		return nil, err
	}
	return f.FS.Open(name)
}

func (f *Faulty) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := f.crashed(); err != nil {
		return nil, err
	}
	return f.FS.ReadDir(name)
}

func (f *Faulty) CreateTemp(dir, pattern string) (File, error) {
	if err := f.before(OpCreate, filepath.Join(dir, pattern)); err != nil {
		return nil, err
	}
	file, err := f.FS.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &faultyFile{File: file, fs: f}, nil
}

func (f *Faulty) Create(name string, perm fs.FileMode) (File, error) {
	if err := f.before(OpCreate, name); err != nil {
		return nil, err
	}
	file, err := f.FS.Create(name, perm)
	if err != nil {
		return nil, err
	}
	return &faultyFile{File: file, fs: f}, nil
}

func (f *Faulty) MkdirTemp(dir, pattern string) (string, error) {
	if err := f.before(OpMkdir, filepath.Join(dir, pattern)); err != nil {
		return "", err
	}
	return f.FS.MkdirTemp(dir, pattern)
}

func (f *Faulty) Mkdir(name string, perm fs.FileMode) error {
	if err := f.before(OpMkdir, name); err != nil {
		return err
	}
	return f.FS.Mkdir(name, perm)
}

func (f *Faulty) Rename(oldpath, newpath string) error {
	if err := f.before(OpRename, newpath); err != nil {
		return err
	}
	return f.FS.Rename(oldpath, newpath)
}

func (f *Faulty) Remove(name string) error {
	if err := f.before(OpRemove, name); err != nil {
		return err
	}
	return f.FS.Remove(name)
}

func (f *Faulty) SyncDir(name string) error {
	if f.NoSync {
		return f.crashed()
	}
	if err := f.before(OpSync, name); err != nil {
		return err
	}
	return f.FS.SyncDir(name)
}

type faultyFile struct {
	File
	fs *Faulty
}

func (f *faultyFile) Write(data []byte) (int, error) {
	if err := f.fs.crashed(); err != nil {
		return 0, err
	}
	half := len(data) / 2
	n, err := f.File.Write(data[:half])
	if err != nil {
		return n, err
	}
	if err := f.fs.before(OpWrite, f.Name()); err != nil {
		return n, err
	}
	m, err := f.File.Write(data[half:])
	return n + m, err
}

func (f *faultyFile) Chmod(mode fs.FileMode) error {
	if err := f.fs.crashed(); err != nil {
		return err
	}
	return f.File.Chmod(mode)
}

func (f *faultyFile) Sync() error {
	if f.fs.NoSync {
		return f.fs.crashed()
	}
	if err := f.fs.before(OpSync, f.Name()); err != nil {
		return err
	}
	return f.File.Sync()
}

// Close always closes, so that a test leaks no descriptor: closing changes
// nothing on disk.
func (f *faultyFile) Close() error { return f.File.Close() }
