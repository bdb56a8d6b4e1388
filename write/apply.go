package write

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/shmemgen/shmemgen/answers"
)

// Apply carries out the plan, through the filesystem it was made with, so
// that, short of a crash, either all of it happens or none of it does.
// First every new content is written to a temporary file beside its target
// and every file about to be replaced or deleted is copied aside, and all
// of them are synced to disk; only then are the targets renamed into place
// and the deletions made, each a single atomic step that is undone, with
// the others before it, if a later one fails. Files whose bytes do not
// change are never touched, so their modification times stay put.
//
// A crash is survived by rolling forward rather than back. The answers
// file, whose manifest says what shmemgen wrote, is renamed into place
// last, after every other file and the directories holding them are
// synced to disk: until then it still describes the files as they were, so
// the next run plans from the truth and finishes the job. Temporary files
// and backups have names no user file has (.FILE.shmemgen-tmp-N,
// .FILE.shmemgen-bak-N), so that the next run finds and deletes any that a
// crash left behind.
func (p Plan) Apply() (err error) {
	if p.fresh {
		return p.applyFresh()
	}
	a := &applier{fs: p.fs}
	defer func() {
		// Every file is closed before any is removed or renamed back,
		// which Windows requires.
		a.synced.wait()
		if err != nil {
			a.rollBack()
		}
	}()
	steps, answersStep, strays, err := a.stage(p)
	if err != nil {
		return err
	}
	// Nothing is renamed into place before every new content and every
	// backup is on disk.
	if err := a.synced.wait(); err != nil {
		return err
	}
	changed := map[string]bool{} // directories whose entries changed
	for _, s := range steps {
		if err := a.commit(s); err != nil {
			return err
		}
		changed[filepath.Dir(s.target)] = true
	}
	// The directories that deletions emptied, or that an interrupted run
	// emptied, go before the manifest forgets their files.
	var emptied []string
	for _, path := range p.gone {
		emptied = append(emptied, filepath.Dir(p.abs(path)))
	}
	for _, s := range steps {
		if s.del {
			emptied = append(emptied, filepath.Dir(s.target))
		}
	}
	for _, dir := range emptied {
		for _, d := range removeEmptyDirs(a.fs, dir, p.Dir) {
			a.undo = append(a.undo, func() { a.fs.Mkdir(d, 0o755) })
			delete(changed, d)
			changed[filepath.Dir(d)] = true
		}
	}
	// Every file is in place, durably, before the manifest says so.
	syncDirs(a.fs, slices.Sorted(maps.Keys(changed)))
	if answersStep != nil {
		if err := a.commit(*answersStep); err != nil {
			return err
		}
		syncDirs(a.fs, []string{p.Dir})
	}
	a.cleanUp(strays, p.Dir)
	return nil
}

// applyFresh writes a project into a directory that does not exist, as
// one change that a crash cannot interrupt halfway: the whole tree is
// written into a staging directory beside it, .DIR.shmemgen-stage-N,
// every file and directory of which is synced to disk, all at once; only
// then is the staging directory renamed to DIR, a single atomic step, and
// the directory holding it synced, which makes the rename durable. Before
// the rename DIR does not exist; after it DIR holds every file, durably.
// A crash before it leaves only the staging directory, which no one
// mistakes for the project and which the next run into DIR removes
// (staleStages). Per file, this is one create, one write and one sync,
// and no rename: what a copy does, and the syncs.
func (p Plan) applyFresh() (err error) {
	a := &applier{fs: p.fs}
	var stage string
	defer func() {
		a.synced.wait()
		if err != nil {
			if stage != "" {
				removeTree(a.fs, stage)
			}
			a.rollBack()
		}
	}()
	dir := filepath.Clean(p.Dir)
	parent := filepath.Dir(dir)
	if err := a.mkdirAll(parent); err != nil {
		return err
	}
	if stage, err = a.fs.MkdirTemp(parent, stagePrefix(dir)+"*"); err != nil {
		return err
	}
	// os.MkdirTemp joins without cleaning ("./.p.shmemgen-stage-1"), and
	// the paths below are compared with it as filepath.Join cleans them.
	stage = filepath.Clean(stage)
	dirs := []string{stage}
	made := map[string]bool{stage: true}
	for _, act := range p.Actions {
		if act.Kind != Create {
			continue
		}
		target := filepath.Join(stage, filepath.FromSlash(act.Path))
		var missing []string
		for d := filepath.Dir(target); !made[d]; d = filepath.Dir(d) {
			if d == filepath.Dir(d) {
				return fmt.Errorf("%s is not below %s", target, stage)
			}
			missing = append(missing, d)
		}
		for _, d := range slices.Backward(missing) {
			if err := a.fs.Mkdir(d, 0o755); err != nil {
				return err
			}
			made[d] = true
			dirs = append(dirs, d)
		}
		f, err := a.fs.Create(target, act.File.Mode)
		if err != nil {
			return err
		}
		_, err = f.Write(act.File.Data)
		if err == nil {
			// As for a temporary file: the mode is the file's, whatever
			// the umask.
			err = f.Chmod(act.File.Mode)
		}
		if err != nil {
			f.Close()
			return err
		}
		a.synced.add(f)
	}
	// Every entry of every directory is made: the directories' syncs go
	// beside the files'.
	for _, d := range dirs {
		a.synced.do(func() error { return a.fs.SyncDir(d) })
	}
	if err := a.synced.wait(); err != nil {
		return err
	}
	if err := a.fs.Rename(stage, dir); err != nil {
		return err
	}
	stage = ""
	syncDirs(a.fs, []string{parent})
	for _, d := range p.stale {
		removeTree(a.fs, d)
	}
	return nil
}

// removeTree removes root and everything below it, without following
// links, as far as it can.
func removeTree(fsys FS, root string) {
	var paths []string
	walkDir(fsys, root, func(path string, d fs.DirEntry, err error) error {
		if err == nil {
			paths = append(paths, path)
		}
		return nil
	})
	// A directory's entries come after it in walk order: removing
	// backwards empties each directory before removing it.
	for _, path := range slices.Backward(paths) {
		fsys.Remove(path)
	}
}

// applier is one run of Apply: what it has done so far, so that a failure
// can undo it.
type applier struct {
	fs      FS
	staged  []string // temporary files still to be renamed or removed
	backups []string // copies of replaced or deleted files
	madeDir []string // directories created, deepest last
	undo    []func() // reversals of the steps done, in order
	synced  syncer   // the temporary files and backups
}

// A step is one change Apply commits: a temporary file renamed over target,
// or target deleted; backup is the copy of what target held, if anything.
type step struct {
	target, tmp, backup string
	del                 bool
}

// stage writes every new content to a temporary file and copies aside every
// file about to be replaced or deleted, and returns the steps that put them
// in place, the answers file's apart, and the strays to remove once done.
func (a *applier) stage(p Plan) (steps []step, answersStep *step, strays []string, err error) {
	for _, act := range p.Actions {
		var path string
		switch {
		case act.stray:
			strays = append(strays, p.abs(act.Path))
			continue
		case act.Kind == Create || act.Kind == Update:
			path = act.Path
		case act.Kind == Conflict && act.writeNew:
			path = act.New
		case act.Kind == Delete:
			// The copy goes to the project's root, not beside the file,
			// so that the directory the deletion empties can go too
			// before the answers file is renamed.
			target := p.abs(act.Path)
			backup, err := a.backUp(target, p.Dir)
			if err != nil {
				return nil, nil, nil, err
			}
			steps = append(steps, step{target: target, backup: backup, del: true})
			continue
		default:
			continue
		}
		target := p.abs(path)
		if err := a.mkdirAll(filepath.Dir(target)); err != nil {
			return nil, nil, nil, err
		}
		s := step{target: target}
		mode := act.File.Mode
		if info, err := a.fs.Lstat(target); err == nil {
			// A replaced file keeps its mode: the user's chmod stands.
			mode = info.Mode().Perm()
			if s.backup, err = a.backUp(target, filepath.Dir(target)); err != nil {
				return nil, nil, nil, err
			}
		}
		if s.tmp, err = a.writeTemp(target, "tmp", act.File.Data, mode); err != nil {
			return nil, nil, nil, err
		}
		a.staged = append(a.staged, s.tmp)
		if path == answers.FileName {
			answersStep = &s
		} else {
			steps = append(steps, s)
		}
	}
	return steps, answersStep, strays, nil
}

// commit makes one step, a single atomic change, and records its undo.
func (a *applier) commit(s step) error {
	if s.del {
		if err := a.fs.Remove(s.target); err != nil {
			return err
		}
	} else {
		if err := a.fs.Rename(s.tmp, s.target); err != nil {
			return err
		}
		a.staged = slices.DeleteFunc(a.staged, func(t string) bool { return t == s.tmp })
	}
	if s.backup != "" {
		a.undo = append(a.undo, func() { a.fs.Rename(s.backup, s.target) })
	} else {
		a.undo = append(a.undo, func() { a.fs.Remove(s.target) })
	}
	return nil
}

// rollBack undoes the steps done, newest first, and removes the temporary
// files, the backups and the directories made.
func (a *applier) rollBack() {
	for i := len(a.undo) - 1; i >= 0; i-- {
		a.undo[i]()
	}
	for _, tmp := range append(a.staged, a.backups...) {
		a.fs.Remove(tmp)
	}
	for i := len(a.madeDir) - 1; i >= 0; i-- {
		a.fs.Remove(a.madeDir[i]) // only if empty
	}
}

// cleanUp, once everything is in place, removes the backups, which are no
// longer needed, the temporary files an earlier, interrupted run left, and
// the directories that held nothing else. What it fails to remove, the
// next run finds and removes.
func (a *applier) cleanUp(strays []string, root string) {
	for _, f := range a.backups {
		a.fs.Remove(f)
	}
	for _, f := range strays {
		a.fs.Remove(f)
		removeEmptyDirs(a.fs, filepath.Dir(f), root)
	}
}

// backUp copies target to a temporary file in dir, keeping its mode, and
// returns the copy's name.
func (a *applier) backUp(target, dir string) (string, error) {
	info, err := a.fs.Stat(target)
	if err != nil {
		return "", err
	}
	data, err := a.fs.ReadFile(target)
	if err != nil {
		return "", err
	}
	backup, err := a.writeTemp(filepath.Join(dir, filepath.Base(target)), "bak", data, info.Mode().Perm())
	if err != nil {
		return "", err
	}
	a.backups = append(a.backups, backup)
	return backup, nil
}

// writeTemp writes data to a temporary file beside target named
// .BASE.shmemgen-KIND-N, where KIND is tmp or bak, and hands it to the
// syncer, which syncs it to disk and closes it.
func (a *applier) writeTemp(target, kind string, data []byte, mode fs.FileMode) (string, error) {
	tmp, err := a.fs.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".shmemgen-"+kind+"-*")
	if err != nil {
		return "", err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if err != nil {
		tmp.Close()
		a.fs.Remove(tmp.Name())
		return "", err
	}
	a.synced.add(tmp)
	return tmp.Name(), nil
}

// mkdirAll creates dir and its missing parents, recording those it created,
// outermost first, even on failure.
func (a *applier) mkdirAll(dir string) error {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := a.fs.Lstat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		missing = append(missing, d)
	}
	slices.Reverse(missing)
	for _, d := range missing {
		// Only a directory made here is recorded, so that an undo
		// removes nothing else (a dangling link, a directory made by
		// someone else meanwhile).
		if err := a.fs.Mkdir(d, 0o755); err != nil {
			return err
		}
		a.madeDir = append(a.madeDir, d)
	}
	return nil
}

// removeEmptyDirs removes dir and its parents below root while they are
// empty, and returns those it removed, deepest first.
func removeEmptyDirs(fsys FS, dir, root string) []string {
	var removed []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		rel, err := filepath.Rel(root, d)
		if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return removed
		}
		// A link is never removed as if it were a directory.
		if info, err := fsys.Lstat(d); err != nil || !info.IsDir() {
			return removed
		}
		if entries, err := fsys.ReadDir(d); err != nil || len(entries) > 0 {
			return removed
		}
		if fsys.Remove(d) != nil {
			return removed
		}
		removed = append(removed, d)
	}
}

// syncDirs makes the renames in dirs durable, where the system can, all at
// once.
func syncDirs(fsys FS, dirs []string) {
	var wg sync.WaitGroup
	for _, d := range dirs {
		wg.Go(func() { fsys.SyncDir(d) })
	}
	wg.Wait()
}

// maxSyncs bounds the files a syncer syncs at once, each on a thread of
// its own while it waits for the disk.
const maxSyncs = 16

// syncer syncs files to disk in the background, many at once, and closes
// them. An fsync mostly waits for the disk: one after another, the syncs of
// a project's thirty files took 9–29 ms on the machine BENCHMARKS.md
// describes, side by side 3–7 ms. The zero syncer is ready to use.
type syncer struct {
	wg   sync.WaitGroup
	sem  chan struct{}
	once sync.Once
	mu   sync.Mutex
	err  error
}

// add syncs f and closes it.
func (s *syncer) add(f File) {
	s.do(func() error { return errors.Join(f.Sync(), f.Close()) })
}

// do runs sync, which syncs something to disk, beside the others.
func (s *syncer) do(sync func() error) {
	s.once.Do(func() { s.sem = make(chan struct{}, maxSyncs) })
	s.wg.Go(func() {
		s.sem <- struct{}{}
		err := sync()
		<-s.sem
		s.fail(err)
	})
}

func (s *syncer) fail(err error) {
	if err != nil {
		s.mu.Lock()
		s.err = errors.Join(s.err, err)
		s.mu.Unlock()
	}
}

// wait waits until every file added is synced and closed, and returns
// what failed.
func (s *syncer) wait() error {
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}
