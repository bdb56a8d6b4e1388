// Package write plans how a rendered file set lands in a directory
// (plan.go) and then applies that plan so that a failure leaves nothing
// half-written (apply.go). Both go through the FS they are given (fs.go):
// OS, or in tests Faulty, which fails or stops dead at any change.
//
// A crash (a kill, a power cut) is survived in one of two ways.
//
// Into a directory that does not exist, as shmemgen new most often writes,
// the whole tree is built in a staging directory beside it, every file and
// directory of it synced to disk, and then renamed into place in one
// atomic step, after which the parent is synced. The rename is the only
// change anyone can see: before it there is no project, after it there is
// all of it, on disk, since nothing was renamed before all of it was
// synced. A crash before it leaves a staging directory that nothing
// reads, which the next new into the same directory removes.
//
// Into an existing directory, file by file: every new content is written
// to a temporary file beside its target and synced before any is renamed
// into place, and the answers file, whose manifest says what shmemgen
// wrote, last, after the directories changed are synced; until then it
// describes the files as they were, so the next run plans from the truth
// and rolls forward, removing the temporary files a crash left.
//
// TestKillAtEveryStep stops Apply dead before each of its changes, in both
// ways, and TestSyncOrder and TestSyncOrderFresh check the order of syncs
// and renames that durability rests on.
package write

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/internal/lazyregexp"
)

// Kind is what happens to one file.
type Kind string

// The kinds of action, as printed in plans.
const (
	// Create writes a file that does not exist.
	Create Kind = "create"
	// Update rewrites a file with new bytes.
	Update Kind = "update"
	// Unchanged leaves a file alone: it has the rendered bytes already, or
	// it is the user's and shmemgen has nothing new for it.
	Unchanged Kind = "unchanged"
	// Conflict leaves a file the user edited alone although shmemgen has
	// something new for it; the new version goes beside it in New.
	Conflict Kind = "conflict"
	// Delete removes a file shmemgen wrote and no longer generates.
	Delete Kind = "delete"
)

// NewSuffix names the file beside a conflicting one that holds shmemgen's
// new version of it.
const NewSuffix = ".shmemgen-new"

// Action is what happens to one file of the project.
type Action struct {
	Kind Kind
	// Path is the file's slash-separated path relative to the plan's Dir.
	Path string
	// File is the rendered file; it is zero for Delete.
	File gen.File
	// New, for a Conflict, is the path the rendered version is written to,
	// or empty when there is none (a file shmemgen no longer generates).
	New string
	// Reason explains a Conflict, or an Update that overwrites an edit.
	Reason string
	// Edited, for an Update of a generated file, reports that the file is
	// not what shmemgen last wrote (per the manifest): someone edited it,
	// and the update overwrites the edit.
	Edited bool

	// writeNew is set when New does not already hold File's bytes.
	writeNew bool
	// note is the short form of Reason that the text plan prints.
	note string
	// stray is set for a Delete of a temporary file that an interrupted
	// run left behind: it is removed once the rest is done, not undone.
	stray bool
}

// Plan is every action for one directory, in path order.
type Plan struct {
	Dir     string
	Actions []Action

	// fs is the filesystem the plan was made from, and Apply changes.
	fs FS

	// gone are the manifest's files that are gone already, whose
	// directories Apply removes if empty: an interrupted run may have
	// deleted the file and not yet its directory.
	gone []string

	// fresh is set when Dir does not exist: Apply builds the whole tree
	// in a staging directory beside it and renames that into place
	// (apply.go). stale are the staging directories of Dir that an
	// interrupted run left beside it, which Apply removes once done.
	fresh bool
	stale []string
}

// Changed reports whether applying the plan would change anything.
func (p Plan) Changed() bool {
	for _, a := range p.Actions {
		if a.Kind != Unchanged {
			return true
		}
	}
	return false
}

// Conflicts counts the plan's conflicts.
func (p Plan) Conflicts() int {
	n := 0
	for _, a := range p.Actions {
		if a.Kind == Conflict {
			n++
		}
	}
	return n
}

// EditedGeneratedReason is the Reason of an Update that overwrites an
// edited generated file.
const EditedGeneratedReason = "edited since shmemgen wrote it: overwritten, as generated files (DO NOT EDIT) are rewritten on every run; " +
	"change its template in an overlay instead (see shmemgen templates export), or add your own exports to dll/user.go"

// Overwritten lists the paths of the edited generated files the plan
// overwrites.
func (p Plan) Overwritten() []string {
	var paths []string
	for _, a := range p.Actions {
		if a.Edited {
			paths = append(paths, a.Path)
		}
	}
	return paths
}

// ErrNotEmpty is returned for an existing, non-empty directory without force.
var ErrNotEmpty = errors.New("is not empty")

// PlanNew plans writing files into dir, on fsys, as a new project. dir may be missing
// or empty; a non-empty dir is refused unless force, which overwrites the
// files the project has and leaves every other file alone. Leftovers of an
// interrupted run do not count, and are deleted; nor, when files is a
// project (it holds the answers file), do files with exactly the bytes
// files has for them.
func PlanNew(fsys FS, dir string, files gen.FileSet, force bool) (Plan, error) {
	p := Plan{Dir: dir, fs: fsys}
	if info, err := fsys.Lstat(dir); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		if _, err := fsys.Stat(dir); err != nil {
			return Plan{}, fmt.Errorf("%s is a symbolic link to a directory that does not exist: create it, or give another directory", dir)
		}
	}
	if _, err := fsys.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return planFresh(fsys, dir, files)
	}
	// What an interrupted run left does not make the directory non-empty:
	// its temporary files, which are deleted, and, for a project (a set
	// with the answers file, which is written last), files that already
	// hold exactly what this run writes.
	if err := p.addStrays(); err != nil {
		return Plan{}, err
	}
	ours := gen.FileSet{}
	if _, ok := files.Lookup(answers.FileName); ok {
		ours = files
	}
	empty, err := onlyOurs(fsys, dir, p.Actions, ours)
	switch {
	case err != nil:
		return Plan{}, err
	case !empty && !force:
		return Plan{}, fmt.Errorf("%s %w (use --force to overwrite the files shmemgen generates)", dir, ErrNotEmpty)
	}
	for _, f := range files {
		if err := p.checkNoSymlink(f.Path); err != nil {
			return Plan{}, err
		}
		old, err := fsys.ReadFile(p.abs(f.Path))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			p.Actions = append(p.Actions, Action{Kind: Create, Path: f.Path, File: f})
		case err != nil:
			return Plan{}, err
		case bytes.Equal(old, f.Data):
			p.Actions = append(p.Actions, Action{Kind: Unchanged, Path: f.Path, File: f})
		default:
			p.Actions = append(p.Actions, Action{Kind: Update, Path: f.Path, File: f})
		}
	}
	slices.SortStableFunc(p.Actions, func(a, b Action) int { return strings.Compare(a.Path, b.Path) })
	return p, nil
}

// planFresh plans writing files into dir, which does not exist: every
// file is created, and nothing below dir needs looking at, neither for
// links nor for what an interrupted run left there, since there is no
// below. What an interrupted run left is beside dir, its staging
// directory, which is removed.
func planFresh(fsys FS, dir string, files gen.FileSet) (Plan, error) {
	p := Plan{Dir: dir, fs: fsys, fresh: true}
	for _, f := range files {
		p.Actions = append(p.Actions, Action{Kind: Create, Path: f.Path, File: f})
	}
	slices.SortStableFunc(p.Actions, func(a, b Action) int { return strings.Compare(a.Path, b.Path) })
	var err error
	p.stale, err = staleStages(fsys, dir)
	if err != nil {
		return Plan{}, err
	}
	return p, nil
}

// stagePrefix starts the name of the staging directory of dir, beside it;
// os.MkdirTemp ends it with a number.
func stagePrefix(dir string) string {
	return "." + filepath.Base(filepath.Clean(dir)) + ".shmemgen-stage-"
}

// staleStages lists the staging directories of dir that interrupted runs
// left beside it: directories (not links) named .DIR.shmemgen-stage-N.
func staleStages(fsys FS, dir string) ([]string, error) {
	parent := filepath.Dir(filepath.Clean(dir))
	entries, err := fsys.ReadDir(parent)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	prefix := stagePrefix(dir)
	var stale []string
	for _, e := range entries {
		n, ok := strings.CutPrefix(e.Name(), prefix)
		if ok && e.IsDir() && n != "" && strings.Trim(n, "0123456789") == "" {
			stale = append(stale, filepath.Join(parent, e.Name()))
		}
	}
	return stale, nil
}

// onlyOurs reports whether dir is missing or holds nothing but directories,
// the strays planned for deletion in actions, and files with exactly the
// bytes files has for them: nothing of the user's.
func onlyOurs(fsys FS, dir string, actions []Action, files gen.FileSet) (bool, error) {
	stray := map[string]bool{}
	for _, a := range actions {
		stray[a.Path] = a.stray
	}
	empty := true
	root := throughLink(dir)
	err := walkDir(fsys, root, func(path string, d fs.DirEntry, err error) error {
		switch {
		case errors.Is(err, fs.ErrNotExist) && path == root:
			return fs.SkipAll
		case err != nil:
			return err
		case d.IsDir():
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if stray[rel] {
			return nil
		}
		if f, ok := files.Lookup(rel); ok && d.Type().IsRegular() {
			if data, err := fsys.ReadFile(path); err == nil && bytes.Equal(data, f.Data) {
				return nil
			}
		}
		empty = false
		return fs.SkipAll
	})
	return empty, err
}

// PlanRegenerate plans regenerating the project in dir, on fsys, in place. manifest
// maps each path shmemgen last wrote to the hash (answers.Sum) of what it
// wrote. Rendered files are created when missing and left alone when they
// already hold the rendered bytes. Otherwise a Generated file is updated,
// and so is a Scaffolded one that still matches the manifest; an edited
// Scaffolded file is kept, and is a Conflict when shmemgen has something new
// for it since it last wrote it, or when the new version from an earlier
// conflict is still waiting beside it. Files in the manifest that are no
// longer rendered are deleted when unmodified and are a Conflict otherwise.
// force turns every conflict into an update (removing a waiting new
// version) or a deletion; an edited file shmemgen has nothing new for stays
// the user's even then.
func PlanRegenerate(fsys FS, dir string, files gen.FileSet, manifest map[string]string, force bool) (Plan, error) {
	p := Plan{Dir: dir, fs: fsys}
	rendered := map[string]bool{}
	for _, f := range files {
		rendered[f.Path] = true
		newPath := f.Path + NewSuffix
		for _, path := range []string{f.Path, newPath} {
			if err := p.checkNoSymlink(path); err != nil {
				return Plan{}, err
			}
		}
		disk, err := fsys.ReadFile(p.abs(f.Path))
		if errors.Is(err, fs.ErrNotExist) {
			p.Actions = append(p.Actions, Action{Kind: Create, Path: f.Path, File: f})
			continue
		}
		if err != nil {
			return Plan{}, err
		}
		pending, err := fsys.ReadFile(p.abs(newPath))
		pendingExists := err == nil
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return Plan{}, err
		}
		last, inManifest := manifest[f.Path]
		switch {
		case bytes.Equal(disk, f.Data):
			p.Actions = append(p.Actions, Action{Kind: Unchanged, Path: f.Path, File: f})
		case f.Owner == gen.Generated && inManifest && last != answers.Sum(disk):
			// Generated files are shmemgen's, so it still overwrites
			// one, but never quietly: the edit is lost.
			p.Actions = append(p.Actions, Action{Kind: Update, Path: f.Path, File: f, Edited: true,
				Reason: EditedGeneratedReason, note: "edited since shmemgen wrote it: the edit is overwritten"})
		case f.Owner == gen.Generated:
			p.Actions = append(p.Actions, Action{Kind: Update, Path: f.Path, File: f})
		case inManifest && last == answers.Sum(disk):
			p.Actions = append(p.Actions, Action{Kind: Update, Path: f.Path, File: f})
		case inManifest && last == answers.Sum(f.Data) && !pendingExists:
			// Edited, and shmemgen has nothing new for it: the user's,
			// even with force.
			p.Actions = append(p.Actions, Action{Kind: Unchanged, Path: f.Path, File: f})
		case force:
			p.Actions = append(p.Actions, Action{Kind: Update, Path: f.Path, File: f})
			if pendingExists {
				p.Actions = append(p.Actions, Action{Kind: Delete, Path: newPath})
			}
		default:
			p.Actions = append(p.Actions, Action{
				Kind: Conflict, Path: f.Path, File: f, New: newPath,
				Reason:   "edited since shmemgen wrote it: kept, with the new version beside it",
				writeNew: !pendingExists || !bytes.Equal(pending, f.Data),
			})
		}
	}
	for _, path := range slices.Sorted(maps.Keys(manifest)) {
		if rendered[path] || !answers.ValidPath(path) {
			continue
		}
		if link := p.symlinkIn(path); link != "" {
			// Never read or delete through a link, and never unlink
			// one: it is the user's, whatever the manifest says.
			p.Actions = append(p.Actions, Action{Kind: Conflict, Path: path,
				Reason: fmt.Sprintf("reached through the symbolic link %s, which shmemgen never follows: kept, and no longer in the manifest", link),
				note:   fmt.Sprintf("reached through the symbolic link %s: kept", link)})
			continue
		}
		disk, err := fsys.ReadFile(p.abs(path))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// Gone already.
			p.gone = append(p.gone, path)
		case err != nil:
			return Plan{}, err
		case force || answers.Sum(disk) == manifest[path]:
			p.Actions = append(p.Actions, Action{Kind: Delete, Path: path})
		default:
			p.Actions = append(p.Actions, Action{Kind: Conflict, Path: path,
				Reason: "edited since shmemgen wrote it, and no longer generated: kept, and no longer in the manifest"})
		}
	}
	if err := p.addStrays(); err != nil {
		return Plan{}, err
	}
	slices.SortStableFunc(p.Actions, func(a, b Action) int { return strings.Compare(a.Path, b.Path) })
	return p, nil
}

func (p Plan) abs(path string) string {
	return filepath.Join(p.Dir, filepath.FromSlash(path))
}

// symlinkIn returns the first element of path, relative to the project,
// that is a symbolic link ("dll" for dll/x.go when dll is one, or the path
// itself), or "" when there is none. Elements past a missing one are not
// looked at: they do not exist either. The project directory itself may be
// a link; nothing below it is followed.
func (p Plan) symlinkIn(path string) string {
	parts := strings.Split(path, "/")
	for i := range parts {
		rel := strings.Join(parts[:i+1], "/")
		info, err := p.fs.Lstat(p.abs(rel))
		if err != nil {
			return ""
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return rel
		}
	}
	return ""
}

// checkNoSymlink refuses a path that a symbolic link leads through: writing
// there would write, or rename over, whatever the link points to, which may
// be outside the project.
func (p Plan) checkNoSymlink(path string) error {
	if link := p.symlinkIn(path); link != "" {
		return fmt.Errorf("%s: %s is a symbolic link, and shmemgen never reads or writes through one: replace it with a real %s", filepath.Join(p.Dir, filepath.FromSlash(path)), link, map[bool]string{true: "file", false: "directory"}[link == path])
	}
	return nil
}

// strayName matches the temporary files and backups of Apply, and those of
// shmemgen versions that named both .FILE.shmemgen-N; never a conflict's
// FILE.shmemgen-new.
var strayName = lazyregexp.New(`^\..+\.shmemgen-(tmp-|bak-)?[0-9]+$`)

// strays lists, as slash-separated paths relative to dir, the temporary
// files and backups that an interrupted run left below dir. It does not
// follow links nor look inside .git.
func strays(fsys FS, dir string) ([]string, error) {
	var found []string
	root := throughLink(dir)
	err := walkDir(fsys, root, func(path string, d fs.DirEntry, err error) error {
		switch {
		case errors.Is(err, fs.ErrNotExist) && path == root:
			return fs.SkipAll
		case err != nil:
			return err
		case d.IsDir() && d.Name() == ".git" && path != root:
			return fs.SkipDir
		case d.Type().IsRegular() && strayName().MatchString(d.Name()):
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			found = append(found, filepath.ToSlash(rel))
		}
		return nil
	})
	return found, err
}

// throughLink names dir so that a walk starting there follows it if it is
// a symbolic link: the project directory may be one, though nothing below
// it is followed.
func throughLink(dir string) string {
	return filepath.Clean(dir) + string(filepath.Separator) + "."
}

// addStrays plans the deletion of the temporary files an interrupted run
// left behind.
func (p *Plan) addStrays() error {
	found, err := strays(p.fs, p.Dir)
	if err != nil {
		return err
	}
	for _, path := range found {
		p.Actions = append(p.Actions, Action{Kind: Delete, Path: path, stray: true,
			Reason: "a temporary file left by an interrupted run"})
	}
	return nil
}

// String lists the plan, one "kind path" line a file, with the reason for
// a conflict.
func (p Plan) String() string { return p.Format(true) }

// Format lists the plan like String, leaving out the unchanged files unless
// all.
func (p Plan) Format(all bool) string {
	var b strings.Builder
	for _, a := range p.Actions {
		if a.Kind == Unchanged && !all {
			continue
		}
		fmt.Fprintf(&b, "%-9s %s", a.Kind, a.Path)
		switch {
		case a.Kind == Conflict && a.New != "":
			fmt.Fprintf(&b, " (edited: kept; new version in %s)", a.New)
		case a.Kind == Conflict && a.note != "":
			fmt.Fprintf(&b, " (%s)", a.note)
		case a.Kind == Conflict:
			fmt.Fprintf(&b, " (edited and no longer generated: kept)")
		case a.Edited:
			fmt.Fprintf(&b, " (%s)", a.note)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// JSON is the plan as JSON, the shape README.md documents:
//
//	{"dir": "jobs", "changed": true, "conflicts": 1, "files": [
//	  {"path": "dll/exports.go", "action": "update", "owner": "generated"},
//	  {"path": "hosts/c/parent.c", "action": "conflict", "owner": "scaffolded",
//	   "new": "hosts/c/parent.c.shmemgen-new", "reason": "…"}]}
func (p Plan) JSON() ([]byte, error) {
	type file struct {
		Path   string    `json:"path"`
		Action Kind      `json:"action"`
		Owner  gen.Owner `json:"owner,omitempty"`
		New    string    `json:"new,omitempty"`
		Reason string    `json:"reason,omitempty"`
		Edited bool      `json:"edited,omitempty"`
	}
	out := struct {
		Dir       string `json:"dir"`
		Changed   bool   `json:"changed"`
		Conflicts int    `json:"conflicts"`
		Files     []file `json:"files"`
	}{Dir: filepath.ToSlash(p.Dir), Changed: p.Changed(), Conflicts: p.Conflicts(), Files: []file{}}
	for _, a := range p.Actions {
		out.Files = append(out.Files, file{Path: a.Path, Action: a.Kind, Owner: a.File.Owner, New: a.New, Reason: a.Reason, Edited: a.Edited})
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
