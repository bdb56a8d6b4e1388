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
)

var errKilledForTest = errors.New("killed")

// killAt makes Apply stop dead before its n-th filesystem step, as a kill
// would: nothing after it runs, no undo either. It reports how many steps
// ran.
func killAt(t *testing.T, n int) *int {
	t.Helper()
	calls := 0
	saved := beforeStep
	beforeStep = func(string, string) error {
		if calls++; calls == n {
			return kill(errKilledForTest)
		}
		return nil
	}
	t.Cleanup(func() { beforeStep = saved })
	return &calls
}

// regenerate is what shmemgen generate does: read the answers file on
// disk, render what it says and plan against its manifest; or, when there
// is none, what shmemgen new does, without --force: what an interrupted new
// left must not stop the next one.
func regenerate(t *testing.T, dir string, inputs config.Config) Plan {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, answers.FileName))
	if errors.Is(err, os.ErrNotExist) {
		files, err := render(inputs)
		if err != nil {
			t.Fatal(err)
		}
		p, err := PlanNew(dir, files, false)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if err != nil {
		t.Fatal(err)
	}
	a, err := answers.Parse(answers.FileName, data, config.Default("p"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := render(a.Inputs)
	if err != nil {
		t.Fatal(err)
	}
	p, err := PlanRegenerate(dir, files, a.Manifest(), false)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// rendered is keyed by the config as %#v prints it: a Config holds slices,
// so it cannot be a key itself.
var rendered = map[string]gen.FileSet{}

// render renders the project for c with its answers file, as shmemgen
// does, once for each config: the test renders the same two hundreds of
// times.
func render(c config.Config) (gen.FileSet, error) {
	key := fmt.Sprintf("%#v", c)
	if files, ok := rendered[key]; ok {
		return files, nil
	}
	files, err := gen.Render(c, gen.Options{Reserved: []string{answers.FileName}})
	if err != nil {
		return nil, err
	}
	a := answers.Answers{Version: "test", Inputs: c, Files: []answers.Entry{}}
	for _, f := range files {
		a.Files = append(a.Files, answers.Entry{Path: f.Path, SHA256: answers.Sum(f.Data)})
	}
	data, err := a.Marshal()
	if err != nil {
		return nil, err
	}
	files = files.Add(gen.File{Path: answers.FileName, Data: data, Mode: 0o644, Owner: gen.Generated})
	rendered[key] = files
	return files, nil
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
	files, err := render(old)
	if err != nil {
		t.Fatal(err)
	}
	p, err := PlanNew(dir, files, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(); err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{"docs/old.md": "old\n", "zz/old.md": "old\n"})
	if edit {
		writeTree(t, dir, map[string]string{"README.md": "edited by the user\n"})
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

// TestKillAtEveryStep kills Apply before each of its filesystem steps in
// turn, for a regeneration and for a new project, and checks that the next
// run converges to exactly the tree a clean run leaves, with no temporary
// file or backup left over, and that in between a check never calls the
// project current when it is not.
func TestKillAtEveryStep(t *testing.T) {
	// The test is about order, not durability: syncing each step of
	// hundreds of runs would only make it slow.
	durable = false
	t.Cleanup(func() { durable = true })

	old := config.Default("p")
	next := old
	next.Size = 8192
	next.Set = "PutText"

	for _, sc := range []struct {
		name        string
		fresh, edit bool
	}{{"new", true, false}, {"generate", false, false}, {"generate with a conflict", false, true}} {
		setup := func(dir string) {
			if !sc.fresh {
				oldProject(t, dir, old, next, sc.edit)
			}
		}
		// The clean run.
		cleanDir := filepath.Join(t.TempDir(), "p")
		setup(cleanDir)
		p := regenerate(t, cleanDir, next)
		if err := p.Apply(); err != nil {
			t.Fatal(err)
		}
		want := snapshot(t, cleanDir)
		// A conflict stands until the user resolves it: a project with one
		// is never current.
		if p := regenerate(t, cleanDir, next); p.Changed() != sc.edit {
			t.Fatalf("%s: after a clean run, changed=%v:\n%s", sc.name, p.Changed(), p.Format(false))
		}

		for n := 1; ; n++ {
			dir := filepath.Join(t.TempDir(), "p")
			setup(dir)
			p := regenerate(t, dir, next)
			saved := beforeStep
			calls := killAt(t, n)
			err := p.Apply()
			beforeStep = saved
			if err == nil {
				if *calls < n {
					if n == 1 {
						t.Fatal("Apply has no step to kill")
					}
					break // every step has been killed
				}
				t.Fatalf("%s, step %d: Apply went on after the kill", sc.name, n)
			}
			if !errors.Is(err, errKilledForTest) {
				t.Fatalf("%s, step %d: %v", sc.name, n, err)
			}
			name := fmt.Sprintf("%s, killed before step %d", sc.name, n)

			// --check: current only if it really is.
			check := regenerate(t, dir, next)
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
			if p := regenerate(t, dir, next); p.Changed() != sc.edit {
				t.Errorf("%s: not current after the next run:\n%s", name, p.Format(false))
			}
		}
	}
}
