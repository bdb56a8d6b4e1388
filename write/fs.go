package write

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// FS is the filesystem a plan reads and Apply changes: the few operations
// they need, so that a test can hand them one that fails, or stops dead, at
// any step (Faulty). OS is the real one. Paths are the system's.
type FS interface {
	Lstat(name string) (fs.FileInfo, error)
	Stat(name string) (fs.FileInfo, error)
	ReadFile(name string) ([]byte, error)
	// Open opens a file for reading.
	Open(name string) (io.ReadCloser, error)
	// ReadDir lists a directory sorted by name, as os.ReadDir does.
	ReadDir(name string) ([]fs.DirEntry, error)

	// CreateTemp creates a new file in dir, named as os.CreateTemp names
	// it from pattern, open for writing.
	CreateTemp(dir, pattern string) (File, error)
	// Create creates the file name, which must not exist yet, open for
	// writing.
	Create(name string, perm fs.FileMode) (File, error)
	Mkdir(name string, perm fs.FileMode) error
	// MkdirTemp creates a new directory in dir, named as os.MkdirTemp
	// names it from pattern, and returns its name.
	MkdirTemp(dir, pattern string) (string, error)
	Rename(oldpath, newpath string) error
	// Remove removes a file or an empty directory.
	Remove(name string) error
	// SyncDir makes the renames and removals in the directory durable,
	// where the system can: on Windows a rename is durable once made.
	SyncDir(name string) error
}

// File is a file FS.CreateTemp made.
type File interface {
	Name() string
	Write(data []byte) (int, error)
	Chmod(mode fs.FileMode) error
	// Sync commits the file's contents to disk.
	Sync() error
	Close() error
}

// OS is the operating system's filesystem.
type OS struct{}

func (OS) Lstat(name string) (fs.FileInfo, error)     { return os.Lstat(name) }
func (OS) Stat(name string) (fs.FileInfo, error)      { return os.Stat(name) }
func (OS) ReadFile(name string) ([]byte, error)       { return os.ReadFile(name) }
func (OS) Open(name string) (io.ReadCloser, error)    { return os.Open(name) }
func (OS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }
func (OS) Mkdir(name string, perm fs.FileMode) error  { return os.Mkdir(name, perm) }
func (OS) Rename(oldpath, newpath string) error       { return os.Rename(oldpath, newpath) }
func (OS) Remove(name string) error                   { return os.Remove(name) }

func (OS) CreateTemp(dir, pattern string) (File, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		// A nil *os.File is not a nil File.
		return nil, err
	}
	return f, nil
}

func (OS) Create(name string, perm fs.FileMode) (File, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func (OS) MkdirTemp(dir, pattern string) (string, error) { return os.MkdirTemp(dir, pattern) }

func (OS) SyncDir(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// walkDir is filepath.WalkDir through fsys: it calls fn for root and every
// file and directory below it, in lexical order, without following links.
func walkDir(fsys FS, root string, fn fs.WalkDirFunc) error {
	info, err := fsys.Lstat(root)
	if err != nil {
		err = fn(root, nil, err)
	} else {
		err = walkEntry(fsys, root, fs.FileInfoToDirEntry(info), fn)
	}
	if err == fs.SkipDir || err == fs.SkipAll {
		return nil
	}
	return err
}

func walkEntry(fsys FS, path string, d fs.DirEntry, fn fs.WalkDirFunc) error {
	if err := fn(path, d, nil); err != nil || !d.IsDir() {
		if err == fs.SkipDir && d.IsDir() {
			err = nil
		}
		return err
	}
	entries, err := fsys.ReadDir(path)
	if err != nil {
		if err = fn(path, d, err); err != nil {
			if err == fs.SkipDir && d.IsDir() {
				err = nil
			}
			return err
		}
	}
	for _, e := range entries {
		if err := walkEntry(fsys, filepath.Join(path, e.Name()), e, fn); err != nil {
			if err == fs.SkipDir {
				break
			}
			return err
		}
	}
	return nil
}
