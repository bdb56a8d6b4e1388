// Package project is a shmemgen project as the commands, the golden tests
// and write's tests see it: its answers file read back (Load), and the
// project rendered with its answers file added (Render), which write then
// plans onto the directory.
package project

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/gen"
)

// Version is shmemgen's version as the build info has it: the module
// version for "go install …@version", and "(devel)" for a build from a
// checkout without VCS stamping, as the golden tests and go:generate use,
// so that the answers files they write never depend on how shmemgen was
// built. A variable, so that a test can be a released version.
var Version = func() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// Error is a project that cannot be loaded as it stands (no answers file,
// an invalid one, an overlay that is not there): the user's to fix. Other
// failures, reading a file, come as they are.
type Error struct{ Err error }

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

func errorf(format string, args ...any) error {
	return &Error{fmt.Errorf(format, args...)}
}

// Load reads dir's answers file and the render options it records: the
// overlay, found relative to dir, and the vars.
func Load(dir string) (answers.Answers, gen.Options, error) {
	file := filepath.Join(dir, answers.FileName)
	if info, err := os.Lstat(file); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		return answers.Answers{}, gen.Options{}, errorf("%s is a symbolic link, and shmemgen never reads or writes through one: replace it with the file", file)
	}
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return answers.Answers{}, gen.Options{}, errorf("--dir %s has no %s: create a project with shmemgen new", config.Quote(dir), answers.FileName)
	}
	if err != nil {
		return answers.Answers{}, gen.Options{}, err
	}
	// One byte past the cap is enough for Parse to refuse it, without
	// reading a file of any size into memory.
	data, err := io.ReadAll(io.LimitReader(f, answers.MaxFileSize+1))
	f.Close()
	if err != nil {
		return answers.Answers{}, gen.Options{}, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return answers.Answers{}, gen.Options{}, err
	}
	a, err := answers.Parse(file, data, config.Default(filepath.Base(abs)))
	if err != nil {
		return answers.Answers{}, gen.Options{}, &Error{err}
	}
	opts := gen.Options{Vars: a.Vars}
	if a.Templates != "" {
		tdir := filepath.FromSlash(a.Templates)
		if !filepath.IsAbs(tdir) {
			tdir = filepath.Join(dir, tdir)
		}
		if err := CheckTemplateDir(tdir); err != nil {
			return answers.Answers{}, gen.Options{}, errorf("%s: templates: %s (%s) %w", file, config.Quote(a.Templates), tdir, err)
		}
		opts.Overlay, opts.OverlayName = os.DirFS(tdir), tdir
	}
	return a, opts, nil
}

// CheckTemplateDir checks an overlay directory.
func CheckTemplateDir(dir string) error {
	info, err := os.Stat(dir)
	switch {
	case os.IsNotExist(err):
		return fmt.Errorf("does not exist")
	case err != nil:
		return err
	case !info.IsDir():
		return fmt.Errorf("is not a directory")
	}
	return nil
}

// Render renders the project for cfg and adds its answers file: the
// version of shmemgen, the inputs, the overlay as recorded (templates,
// relative to the project), the vars and a manifest of every other file.
// Rendering knows nothing of the answers file; this is where it is made.
func Render(cfg config.Config, opts gen.Options, templates string) (gen.FileSet, error) {
	opts.Reserved = append(opts.Reserved, answers.FileName)
	files, err := gen.Render(cfg, opts)
	if err != nil {
		return nil, err
	}
	a := answers.Answers{Version: Version(), Inputs: cfg, Templates: templates, Files: []answers.Entry{}}
	if len(opts.Vars) > 0 {
		a.Vars = opts.Vars
	}
	for _, f := range files {
		a.Files = append(a.Files, answers.Entry{Path: f.Path, SHA256: answers.Sum(f.Data)})
	}
	data, err := a.Marshal()
	if err != nil {
		return nil, err
	}
	return files.Add(gen.File{Path: answers.FileName, Data: data, Mode: 0o644, Owner: gen.Generated}), nil
}
