package project

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/config"
)

// Find is the project directory a command that reads one works on: given,
// the directory the user named (as --dir or the argument), which must
// exist and be a directory, or else the working directory; from there, as
// git does, the nearest directory upward that holds an answers file.
// Without one, it is the directory given itself, and the caller says what
// is missing. A directory that cannot be used is an *Error.
func Find(given string) (string, error) {
	start := given
	if given != "" {
		info, err := os.Stat(given)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return "", errorf("--dir %s does not exist", config.Quote(given))
		case err != nil:
			return "", err
		case !info.IsDir():
			return "", errorf("--dir %s is a file, not a directory: give the project's directory, the one holding %s", config.Quote(given), answers.FileName)
		}
	} else {
		start = "."
	}
	abs, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for d := abs; ; {
		if _, err := os.Lstat(filepath.Join(d, answers.FileName)); err == nil {
			if d == abs {
				return start, nil
			}
			// Shown as the user would reach it from where they are.
			if wd, err := os.Getwd(); err == nil {
				if rel, err := filepath.Rel(wd, d); err == nil {
					return rel, nil
				}
			}
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			if given == "" {
				return "", errorf("no %s in the working directory or any directory above it: create a project with shmemgen new, or give its directory", answers.FileName)
			}
			return start, nil
		}
		d = parent
	}
}

// ReadExisting reads the answers file of the project in dir, if dir holds
// one, and reports whether it does. A project whose answers file cannot be
// read is an error: without its manifest, shmemgen cannot tell the user's
// edits from its own output.
func ReadExisting(dir string) (answers.Answers, bool, error) {
	file := filepath.Join(dir, answers.FileName)
	if _, err := os.Lstat(file); errors.Is(err, fs.ErrNotExist) {
		return answers.Answers{}, false, nil
	}
	a, _, err := Load(dir)
	if err != nil {
		return answers.Answers{}, false, err
	}
	return a, true, nil
}
