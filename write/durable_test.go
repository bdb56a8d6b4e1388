package write

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/config"
)

// TestSyncOrder checks the order Apply's durability rests on, for a new
// project in an empty directory and for a regeneration that replaces,
// deletes and conflicts (a new project in a directory that does not exist
// is TestSyncOrderFresh's):
// every temporary file and backup is synced before anything is renamed
// into place or removed; every directory a rename or removal changed is
// synced before the answers file is renamed; and the project's directory
// after it.
func TestSyncOrder(t *testing.T) {
	old := config.Default("p")
	next := old
	next.Size = 8192
	next.Set = "PutText"
	for _, sc := range []struct {
		name        string
		fresh, edit bool
	}{{"new in an empty directory", true, false}, {"generate", false, false}, {"generate with a conflict", false, true}} {
		t.Run(sc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "p")
			if sc.fresh {
				if err := os.Mkdir(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			} else {
				oldProject(t, dir, old, next, sc.edit)
			}
			// Faulty calls Before one call at a time.
			var events []string // "sync PATH", "rename PATH", "remove PATH"
			fsys := &Faulty{FS: OS{}, Before: func(op Op, path string) error {
				if op == OpSync || op == OpRename || op == OpRemove {
					events = append(events, string(op)+" "+path)
				}
				return nil
			}}
			p := regenerate(t, fsys, dir, next)
			if err := p.Apply(); err != nil {
				t.Fatal(err)
			}

			first := slices.IndexFunc(events, func(e string) bool { return !strings.HasPrefix(e, "sync ") })
			answersFile := filepath.Join(dir, answers.FileName)
			last := slices.Index(events, "rename "+answersFile)
			if first < 0 || last < 0 {
				t.Fatalf("no rename, or none of the answers file:\n%s", strings.Join(events, "\n"))
			}
			synced := map[string]bool{}
			for _, e := range events[:first] {
				synced[strings.TrimPrefix(e, "sync ")] = true
			}
			for i, e := range events {
				op, path, _ := strings.Cut(e, " ")
				switch {
				case op == "sync" && i > first && i < last && !isDir(path):
					t.Errorf("%s synced after the first rename or removal", path)
				case op == "rename" && i < last && !synced[tmpFor(t, dir, path, events[:first])]:
					t.Errorf("%s renamed into place before its new content was synced", path)
				case (op == "rename" || op == "remove") && i < last:
					// The directory that changed is synced before the
					// answers file is renamed, or the one that held it if
					// the change emptied it and it went too.
					d := filepath.Dir(path)
					for !isDir(d) {
						d = filepath.Dir(d)
					}
					if !slices.Contains(events[i:last], "sync "+d) {
						t.Errorf("%s %s: %s not synced before the answers file is renamed", op, path, d)
					}
				}
			}
			if !slices.Contains(events[last:], "sync "+dir) {
				t.Errorf("the project's directory is not synced after the answers file is renamed:\n%s", strings.Join(events, "\n"))
			}
		})
	}
}

// TestSyncOrderFresh checks the order that the durability of a new project
// in a directory that does not exist rests on: it is written into a
// staging directory beside it, every file and directory of which is
// synced before the one rename that publishes it, and the directory
// holding it is synced after that rename. Nothing else is renamed, and
// nothing is written into the project's directory itself.
func TestSyncOrderFresh(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "p")
	var events []string // "OP PATH"
	fsys := &Faulty{FS: OS{}, Before: func(op Op, path string) error {
		events = append(events, string(op)+" "+path)
		return nil
	}}
	p := regenerate(t, fsys, dir, config.Default("p"))
	if err := p.Apply(); err != nil {
		t.Fatal(err)
	}
	var renames []int
	for i, e := range events {
		if strings.HasPrefix(e, "rename ") {
			renames = append(renames, i)
		}
	}
	if len(renames) != 1 || events[renames[0]] != "rename "+dir {
		t.Fatalf("want one rename, to %s:\n%s", dir, strings.Join(events, "\n"))
	}
	rename := renames[0]
	// The staging directory is the one made in parent.
	var stage string
	for _, e := range events[:rename] {
		if op, path, _ := strings.Cut(e, " "); op == "mkdir" && filepath.Dir(path) == parent {
			stage = path
		}
	}
	if stage == "" || !strings.HasPrefix(filepath.Base(stage), ".p.shmemgen-stage-") {
		t.Fatalf("no staging directory .p.shmemgen-stage-* made in %s:\n%s", parent, strings.Join(events, "\n"))
	}
	// MkdirTemp reports its pattern; the directory it made is the one
	// renamed, which the tree below stands for.
	synced := map[string]bool{}
	for _, e := range events[:rename] {
		if path, ok := strings.CutPrefix(e, "sync "); ok {
			rel, err := filepath.Rel(filepath.Dir(stage), path)
			if err != nil {
				t.Fatal(err)
			}
			// The staging directory's name, with its number, to "p".
			_, below, _ := strings.Cut(filepath.ToSlash(rel), "/")
			synced[below] = true
		}
		if op, path, _ := strings.Cut(e, " "); (op == "create" || op == "mkdir") && !strings.HasPrefix(path, filepath.Join(parent, ".p.shmemgen-stage-")) {
			t.Errorf("%s outside the staging directory", e)
		}
	}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if rel == "." {
			rel = ""
		}
		if !synced[filepath.ToSlash(rel)] {
			t.Errorf("%s not synced before the staging directory was renamed into place", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(events[rename:], "sync "+parent) {
		t.Errorf("%s not synced after the rename:\n%s", parent, strings.Join(events, "\n"))
	}
	if entries, err := os.ReadDir(parent); err != nil || len(entries) != 1 {
		t.Errorf("%s holds %v (%v), want p alone", parent, entries, err)
	}
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// tmpFor returns the temporary file, among those synced, that Apply renamed
// to target: .BASE.shmemgen-tmp-N beside it.
func tmpFor(t *testing.T, dir, target string, synced []string) string {
	t.Helper()
	prefix := filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".shmemgen-tmp-")
	for _, e := range synced {
		if path := strings.TrimPrefix(e, "sync "); strings.HasPrefix(path, prefix) {
			return path
		}
	}
	return "no temporary file for " + target
}

// TestFreshRelativeDir writes a new project into a directory named
// relative to the working directory, as shmemgen new --out p does, and in
// one below a directory that does not exist either.
func TestFreshRelativeDir(t *testing.T) {
	for _, dir := range []string{"p", "a/b/p"} {
		t.Run(dir, func(t *testing.T) {
			t.Chdir(t.TempDir())
			p := regenerate(t, noSync(), dir, config.Default("p"))
			if err := p.Apply(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(dir, answers.FileName)); err != nil {
				t.Fatal(err)
			}
			if entries, err := os.ReadDir(filepath.Dir(dir)); err != nil || len(entries) != 1 {
				t.Errorf("beside %s: %v (%v), want it alone", dir, entries, err)
			}
		})
	}
}
