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
// project and for a regeneration that replaces, deletes and conflicts:
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
	}{{"new", true, false}, {"generate", false, false}, {"generate with a conflict", false, true}} {
		t.Run(sc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "p")
			if !sc.fresh {
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
