package write

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/internal/treetest"
	"github.com/shmemgen/shmemgen/project"
)

var errKilledForTest = errors.New("killed")

// killAt returns a filesystem that stops dead before its n-th change, as a
// kill would: nothing after it happens, the undo included. It syncs
// nothing: the test is about order, not durability, and syncing each step
// of hundreds of runs would only make it slow.
func killAt(n int) *Faulty {
	calls := 0
	return &Faulty{FS: OS{}, Crash: true, NoSync: true, Before: func(Op, string) error {
		if calls++; calls == n {
			return errKilledForTest
		}
		return nil
	}}
}

// noSync is the real filesystem, without the syncs, for a test's setup and
// for the runs it is not about.
func noSync() FS { return &Faulty{FS: OS{}, NoSync: true} }

// regenerate is what shmemgen generate does: load the project in dir,
// render what its answers file says and plan against its manifest, on
// fsys; or, when there is none, what shmemgen new does, without --force:
// what an interrupted new left must not stop the next one.
func regenerate(t *testing.T, fsys FS, dir string, inputs config.Config) Plan {
	t.Helper()
	if _, err := os.Lstat(filepath.Join(dir, answers.FileName)); errors.Is(err, os.ErrNotExist) {
		p, err := PlanNew(fsys, dir, render(t, inputs), false)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, opts, err := project.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Overlay != nil || opts.Vars != nil {
		t.Fatal("the test renders without an overlay or vars")
	}
	p, err := PlanRegenerate(fsys, dir, render(t, a.Inputs), a.Manifest(), false)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// rendered is keyed by the config as %#v prints it, which holds for a
// Config that holds slices too.
var rendered = map[string]gen.FileSet{}

// render renders the project for c, as shmemgen does, once for each
// config: the test renders the same two hundreds of times.
func render(t *testing.T, c config.Config) gen.FileSet {
	t.Helper()
	key := fmt.Sprintf("%#v", c)
	if files, ok := rendered[key]; ok {
		return files
	}
	files, err := project.Render(c, gen.Options{}, "")
	if err != nil {
		t.Fatal(err)
	}
	rendered[key] = files
	return files
}

// snapshot reads dir's files, and its directories as entries with the
// data "(directory)", so that a directory left empty shows.
func snapshot(t *testing.T, dir string) map[string]treetest.File {
	t.Helper()
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return map[string]treetest.File{}
	}
	tree, err := treetest.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() || path == dir {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		tree[filepath.ToSlash(rel)+"/"] = treetest.File{Data: []byte("(directory)")}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// oldProject writes, into dir, a project as new wrote it from old, whose
// answers file the user then edited to ask for next; with edit, one
// scaffolded file is edited, so that the run has a conflict to write; one
// file before the answers file's path and one after it are in
// the manifest that the templates no longer make, so that it has a
// deletion to make.
func oldProject(t *testing.T, dir string, old, next config.Config, edit bool) {
	t.Helper()
	p, err := PlanNew(noSync(), dir, render(t, old), false)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(); err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{"docs/old.md": "old\n", "zz/old.md": "old\n"})
	if edit {
		writeTree(t, dir, map[string]string{"go.mod": "edited by the user\n"})
	}
	a, err := answers.Parse(answers.FileName, must(os.ReadFile(filepath.Join(dir, answers.FileName))), config.Default("p"))
	if err != nil {
		t.Fatal(err)
	}
	a.Inputs = next
	a.Files = append(a.Files,
		answers.Entry{Path: "docs/old.md", SHA256: answers.Sum([]byte("old\n"))},
		answers.Entry{Path: "zz/old.md", SHA256: answers.Sum([]byte("old\n"))})
	data, err := a.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{answers.FileName: string(data)})
}

func must(data []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return data
}

// TestKillAtEveryStep kills Apply before each of its filesystem changes in
// turn, for a regeneration and for a new project, in a directory that does
// not exist and in an empty one, and checks that the next run converges to
// exactly the tree a clean run leaves, with no temporary file, backup or
// staging directory left over, in the project or beside it, and that in between a check never calls the
// project current when it is not.
func TestKillAtEveryStep(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: renders, applies and kills a project a few hundred times (~20 s); the full suite runs it")
	}
	old := config.Default("p")
	next := old
	next.Size = 8192
	next.Set = "PutText"
	// go.mod names the module: the scaffolded file an edit conflicts on.
	next.Module = "example.com/next"

	for _, sc := range []struct {
		name        string
		fresh, edit bool
		empty       bool // new, in an empty directory
	}{{"new", true, false, false}, {"new in an empty directory", true, false, true},
		{"generate", false, false, false}, {"generate with a conflict", false, true, false}} {
		setup := func(dir string) {
			if sc.empty {
				if err := os.Mkdir(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if !sc.fresh {
				oldProject(t, dir, old, next, sc.edit)
			}
		}
		// The clean run.
		cleanDir := filepath.Join(t.TempDir(), "p")
		setup(cleanDir)
		p := regenerate(t, noSync(), cleanDir, next)
		if err := p.Apply(); err != nil {
			t.Fatal(err)
		}
		want := snapshot(t, cleanDir)
		// A conflict stands until the user resolves it: a project with one
		// is never current.
		if p := regenerate(t, noSync(), cleanDir, next); p.Changed() != sc.edit {
			t.Fatalf("%s: after a clean run, changed=%v:\n%s", sc.name, p.Changed(), p.Format(false))
		}

		for n := 1; ; n++ {
			dir := filepath.Join(t.TempDir(), "p")
			setup(dir)
			fsys := killAt(n)
			err := regenerate(t, fsys, dir, next).Apply()
			if !fsys.Dead() {
				if err != nil {
					t.Fatalf("%s, step %d: not killed, and failed: %v", sc.name, n, err)
				}
				if n == 1 {
					t.Fatal("Apply has no step to kill")
				}
				break // every step has been killed
			}
			// Whatever Apply went on to do, the dead filesystem did none
			// of it; an error it returned is the kill's.
			if err != nil && !errors.Is(err, errKilledForTest) {
				t.Fatalf("%s, step %d: %v", sc.name, n, err)
			}
			name := fmt.Sprintf("%s, killed before step %d", sc.name, n)

			// --check: current only if it really is.
			check := regenerate(t, noSync(), dir, next)
			if diff := treetest.Diff(snapshot(t, dir), want); diff != "" && !check.Changed() {
				t.Errorf("%s: the plan says current, but the tree differs:\n%s", name, diff)
			}
			// The next run converges.
			if err := check.Apply(); err != nil {
				t.Fatalf("%s: the next run: %v", name, err)
			}
			if diff := treetest.Diff(snapshot(t, dir), want); diff != "" {
				t.Errorf("%s: the next run left:\n%s", name, diff)
			}
			// Nor anything beside the project: a new project is staged
			// in a directory beside it, which the next run removes.
			if entries, err := os.ReadDir(filepath.Dir(dir)); err != nil || len(entries) != 1 {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("%s: beside the project the next run left %v (%v)", name, names, err)
			}
			if p := regenerate(t, noSync(), dir, next); p.Changed() != sc.edit {
				t.Errorf("%s: not current after the next run:\n%s", name, p.Format(false))
			}
		}
	}
}
