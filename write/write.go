// Package write plans how a rendered file set lands in a directory and then
// applies that plan so that a failure leaves nothing half-written.
package write

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/shmemgen/shmemgen/gen"
)

// Kind is what happens to one file.
type Kind string

// The kinds of action, as printed in plans.
const (
	Create    Kind = "create"
	Update    Kind = "update"
	Unchanged Kind = "unchanged"
)

// Action is what happens to one file of the project.
type Action struct {
	Kind Kind
	File gen.File
}

// Plan is every action for one directory, in path order.
type Plan struct {
	Dir     string
	Actions []Action
}

// ErrNotEmpty is returned for an existing, non-empty directory without force.
var ErrNotEmpty = errors.New("is not empty")

// PlanNew plans writing files into dir as a new project. dir may be missing
// or empty; a non-empty dir is refused unless force, which overwrites the
// files the project has and leaves every other file alone.
func PlanNew(dir string, files gen.FileSet, force bool) (Plan, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return Plan{}, err
	case len(entries) > 0 && !force:
		return Plan{}, fmt.Errorf("%s %w (use --force to overwrite the files shmemgen generates)", dir, ErrNotEmpty)
	}
	p := Plan{Dir: dir}
	for _, f := range files {
		old, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			p.Actions = append(p.Actions, Action{Kind: Create, File: f})
		case err != nil:
			return Plan{}, err
		case bytes.Equal(old, f.Data):
			p.Actions = append(p.Actions, Action{Kind: Unchanged, File: f})
		default:
			p.Actions = append(p.Actions, Action{Kind: Update, File: f})
		}
	}
	return p, nil
}

// Apply writes every created or updated file in two phases: each new
// content goes to a temporary file beside its target, and only when all
// are written are they renamed into place. A failure in the first phase
// removes the temporary files and leaves the directory as it was.
func (p Plan) Apply() (err error) {
	type pending struct{ tmp, target string }
	var staged []pending
	defer func() {
		if err != nil {
			for _, s := range staged {
				os.Remove(s.tmp)
			}
		}
	}()
	for _, a := range p.Actions {
		if a.Kind != Create && a.Kind != Update {
			continue
		}
		target := filepath.Join(p.Dir, filepath.FromSlash(a.File.Path))
		tmp, err := stage(target, a.File)
		if err != nil {
			return err
		}
		staged = append(staged, pending{tmp, target})
	}
	for i, s := range staged {
		if err := os.Rename(s.tmp, s.target); err != nil {
			staged = staged[i:]
			return err
		}
	}
	return nil
}

// stage writes f to a temporary file in target's directory, creating the
// directory if needed, and returns the temporary file's name.
func stage(target string, f gen.File) (string, error) {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".shmemgen-*")
	if err != nil {
		return "", err
	}
	_, werr := tmp.Write(f.Data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr, os.Chmod(tmp.Name(), f.Mode)); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}

// String lists the plan, one "kind path" line a file.
func (p Plan) String() string {
	var b strings.Builder
	for _, a := range p.Actions {
		fmt.Fprintf(&b, "%-9s %s\n", a.Kind, a.File.Path)
	}
	return b.String()
}
