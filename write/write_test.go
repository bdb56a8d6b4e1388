package write

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/internal/treetest"
)

// writeTree creates files (path → content) below dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, data := range files {
		target := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(target, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	tree, err := treetest.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for p, f := range tree {
		out[p] = string(f.Data)
	}
	return out
}

func file(path, data string, owner gen.Owner) gen.File {
	return gen.File{Path: path, Data: []byte(data), Mode: 0o644, Owner: owner}
}

// summary is the plan as "kind path" lines, "(edited)" after an update
// that overwrites an edit.
func summary(p Plan) string {
	var lines []string
	for _, a := range p.Actions {
		line := string(a.Kind) + " " + a.Path
		if a.Edited {
			line += " (edited)"
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func TestPlanRegenerate(t *testing.T) {
	const (
		old  = "old\n"
		next = "new\n"
		edit = "edited by the user\n"
	)
	sum := answers.Sum
	cases := []struct {
		name     string
		disk     map[string]string
		manifest map[string]string
		files    gen.FileSet
		force    bool
		want     string
		// after is the tree Apply must leave.
		after map[string]string
	}{{
		name:  "missing file is created",
		files: gen.FileSet{file("a", next, gen.Scaffolded)},
		want:  "create a",
		after: map[string]string{"a": next},
	}, {
		name:     "same bytes are unchanged",
		disk:     map[string]string{"a": next},
		manifest: map[string]string{"a": sum([]byte(next))},
		files:    gen.FileSet{file("a", next, gen.Scaffolded)},
		want:     "unchanged a",
		after:    map[string]string{"a": next},
	}, {
		name:     "unmodified scaffolded file is updated",
		disk:     map[string]string{"a": old},
		manifest: map[string]string{"a": sum([]byte(old))},
		files:    gen.FileSet{file("a", next, gen.Scaffolded)},
		want:     "update a",
		after:    map[string]string{"a": next},
	}, {
		name:     "edited generated file is overwritten, and said to be",
		disk:     map[string]string{"a": edit},
		manifest: map[string]string{"a": sum([]byte(old))},
		files:    gen.FileSet{file("a", next, gen.Generated)},
		want:     "update a (edited)",
		after:    map[string]string{"a": next},
	}, {
		name:     "edited generated file shmemgen has nothing new for is put back, and said to be",
		disk:     map[string]string{"a": edit},
		manifest: map[string]string{"a": sum([]byte(next))},
		files:    gen.FileSet{file("a", next, gen.Generated)},
		want:     "update a (edited)",
		after:    map[string]string{"a": next},
	}, {
		name:     "generated file as shmemgen wrote it is updated",
		disk:     map[string]string{"a": old},
		manifest: map[string]string{"a": sum([]byte(old))},
		files:    gen.FileSet{file("a", next, gen.Generated)},
		want:     "update a",
		after:    map[string]string{"a": next},
	}, {
		name:     "edited scaffolded file with news is a conflict",
		disk:     map[string]string{"a": edit},
		manifest: map[string]string{"a": sum([]byte(old))},
		files:    gen.FileSet{file("a", next, gen.Scaffolded)},
		want:     "conflict a",
		after:    map[string]string{"a": edit, "a" + NewSuffix: next},
	}, {
		name:     "edited scaffolded file without news is the user's",
		disk:     map[string]string{"a": edit},
		manifest: map[string]string{"a": sum([]byte(next))},
		files:    gen.FileSet{file("a", next, gen.Scaffolded)},
		want:     "unchanged a",
		after:    map[string]string{"a": edit},
	}, {
		name:     "a waiting new version keeps the conflict",
		disk:     map[string]string{"a": edit, "a" + NewSuffix: next},
		manifest: map[string]string{"a": sum([]byte(next))},
		files:    gen.FileSet{file("a", next, gen.Scaffolded)},
		want:     "conflict a",
		after:    map[string]string{"a": edit, "a" + NewSuffix: next},
	}, {
		name:  "edited file not in the manifest is a conflict",
		disk:  map[string]string{"a": edit},
		files: gen.FileSet{file("a", next, gen.Scaffolded)},
		want:  "conflict a",
		after: map[string]string{"a": edit, "a" + NewSuffix: next},
	}, {
		name:     "force overwrites and drops the waiting version",
		disk:     map[string]string{"a": edit, "a" + NewSuffix: old},
		manifest: map[string]string{"a": sum([]byte(old))},
		files:    gen.FileSet{file("a", next, gen.Scaffolded)},
		force:    true,
		want:     "update a\ndelete a" + NewSuffix,
		after:    map[string]string{"a": next},
	}, {
		name:     "force leaves an edited file without news alone",
		disk:     map[string]string{"a": edit},
		manifest: map[string]string{"a": sum([]byte(next))},
		files:    gen.FileSet{file("a", next, gen.Scaffolded)},
		force:    true,
		want:     "unchanged a",
		after:    map[string]string{"a": edit},
	}, {
		name:     "unmodified file no longer generated is deleted",
		disk:     map[string]string{"a": next, "gone/b": old},
		manifest: map[string]string{"a": sum([]byte(next)), "gone/b": sum([]byte(old))},
		files:    gen.FileSet{file("a", next, gen.Scaffolded)},
		want:     "unchanged a\ndelete gone/b",
		after:    map[string]string{"a": next},
	}, {
		name:     "edited file no longer generated is kept",
		disk:     map[string]string{"b": edit},
		manifest: map[string]string{"b": sum([]byte(old))},
		want:     "conflict b",
		after:    map[string]string{"b": edit},
	}, {
		name:     "force deletes an edited file no longer generated",
		disk:     map[string]string{"b": edit},
		manifest: map[string]string{"b": sum([]byte(old))},
		force:    true,
		want:     "delete b",
		after:    map[string]string{},
	}, {
		name:     "a file already gone is forgotten",
		manifest: map[string]string{"b": sum([]byte(old))},
		want:     "",
		after:    map[string]string{},
	}, {
		name:     "a manifest path outside the project is never touched",
		disk:     map[string]string{"b": old},
		manifest: map[string]string{"../b": sum([]byte(old))},
		want:     "",
		after:    map[string]string{"b": old},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, tc.disk)
			p, err := PlanRegenerate(OS{}, dir, tc.files, tc.manifest, tc.force)
			if err != nil {
				t.Fatal(err)
			}
			if got := summary(p); got != tc.want {
				t.Fatalf("plan:\n%s\nwant:\n%s", got, tc.want)
			}
			if err := p.Apply(); err != nil {
				t.Fatal(err)
			}
			if diff := treetest.Diff(tree(readTree(t, dir)), tree(tc.after)); diff != "" {
				t.Errorf("after Apply:\n%s", diff)
			}
		})
	}
}

func tree(m map[string]string) map[string]treetest.File {
	out := map[string]treetest.File{}
	for p, d := range m {
		out[p] = treetest.File{Data: []byte(d)}
	}
	return out
}

func TestPlanNew(t *testing.T) {
	files := gen.FileSet{file("a", "a\n", gen.Scaffolded), file("d/b", "b\n", gen.Generated)}

	dir := filepath.Join(t.TempDir(), "p")
	p, err := PlanNew(OS{}, dir, files, false)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := summary(p), "create a\ncreate d/b"; got != want {
		t.Errorf("missing dir: plan:\n%s\nwant:\n%s", got, want)
	}

	writeTree(t, dir, map[string]string{"a": "a\n", "other": "x"})
	if _, err := PlanNew(OS{}, dir, files, false); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("non-empty dir without force: got %v, want ErrNotEmpty", err)
	}
	p, err = PlanNew(OS{}, dir, files, true)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := summary(p), "unchanged a\ncreate d/b"; got != want {
		t.Errorf("force: plan:\n%s\nwant:\n%s", got, want)
	}
}

// TestApplyAtomic makes every change Apply makes before the answers file
// is in place fail in turn (creating, writing, making a directory,
// renaming, removing) and checks that the directory is then exactly as it
// was: no file half-written, none missing, no temporary file or new
// directory left behind.
func TestApplyAtomic(t *testing.T) {
	before := map[string]string{"update": "old\n", "gone": "old\n", "kept": "edited\n", "sub/deep/gone": "old\n"}
	files := gen.FileSet{
		file("create", "new\n", gen.Scaffolded),
		file("deep/er/create", "new\n", gen.Scaffolded),
		file("kept", "new\n", gen.Scaffolded),
		file("update", "new\n", gen.Generated),
		// Renamed last, after the deletions and the directories they
		// empty: a failure there undoes those too.
		file(answers.FileName, "answers\n", gen.Generated),
	}
	manifest := map[string]string{"gone": answers.Sum([]byte("old\n")), "kept": answers.Sum([]byte("old\n")), "sub/deep/gone": answers.Sum([]byte("old\n"))}
	after := map[string]string{"create": "new\n", "deep/er/create": "new\n", "kept": "edited\n", "kept" + NewSuffix: "new\n", "update": "new\n", answers.FileName: "answers\n"}

	for failAt := 1; ; failAt++ {
		dir := t.TempDir()
		writeTree(t, dir, before)
		calls, committed := 0, false
		fail := errors.New("injected failure")
		fsys := &Faulty{FS: OS{}, Before: func(op Op, path string) error {
			// Syncs run side by side, in no set order: TestApplySyncFailure
			// fails them. Once the answers file is in place, Apply is done
			// and only tidies up.
			if op == OpSync || committed {
				return nil
			}
			if calls++; calls == failAt {
				return fail
			}
			committed = op == OpRename && path == filepath.Join(dir, answers.FileName)
			return nil
		}}
		p, err := PlanRegenerate(fsys, dir, files, manifest, false)
		if err != nil {
			t.Fatal(err)
		}
		err = p.Apply()
		switch {
		case calls < failAt && err != nil:
			t.Fatalf("Apply failed with no failure injected: %v", err)
		case calls < failAt && failAt == 1:
			t.Fatal("Apply made no change that could fail")
		case calls < failAt || err == nil:
			// Every change has failed in turn; or this one may: a
			// directory left empty that could not be removed stays.
			if diff := treetest.Diff(tree(readTree(t, dir)), tree(after)); diff != "" {
				t.Errorf("step %d: after a successful Apply:\n%s", failAt, diff)
			}
			if calls < failAt {
				return
			}
			continue
		case !errors.Is(err, fail):
			t.Fatalf("step %d: got %v, want the injected failure", failAt, err)
		}
		if diff := treetest.Diff(tree(readTree(t, dir)), tree(before)); diff != "" {
			t.Errorf("step %d failed and left the directory changed:\n%s", failAt, diff)
		}
		if _, err := os.Stat(filepath.Join(dir, "deep")); !os.IsNotExist(err) {
			t.Errorf("step %d failed and left a directory it created", failAt)
		}
		if _, err := os.Stat(filepath.Join(dir, "sub", "deep")); err != nil {
			t.Errorf("step %d failed and did not restore a directory it removed: %v", failAt, err)
		}
	}
}

// TestApplySyncFailure fails syncing a new content or a backup to disk:
// nothing may change, as nothing is renamed into place before all of them
// are synced.
func TestApplySyncFailure(t *testing.T) {
	before := map[string]string{"update": "old\n", "gone": "old\n"}
	files := gen.FileSet{file("create", "new\n", gen.Scaffolded), file("deep/create", "new\n", gen.Scaffolded), file("update", "new\n", gen.Generated)}
	manifest := map[string]string{"gone": answers.Sum([]byte("old\n"))}
	for _, failing := range []string{"create", "update", "gone"} {
		dir := t.TempDir()
		writeTree(t, dir, before)
		fail := errors.New("injected failure")
		fsys := &Faulty{FS: OS{}, Before: func(op Op, path string) error {
			// The new content of create or update, or the backup of gone.
			if op == OpSync && strings.HasPrefix(filepath.Base(path), "."+failing+".shmemgen-") {
				return fail
			}
			return nil
		}}
		p, err := PlanRegenerate(fsys, dir, files, manifest, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Apply(); !errors.Is(err, fail) {
			t.Fatalf("%s: got %v, want the injected failure", failing, err)
		}
		if diff := treetest.Diff(tree(readTree(t, dir)), tree(before)); diff != "" {
			t.Errorf("syncing %s failed and left the directory changed:\n%s", failing, diff)
		}
		if _, err := os.Stat(filepath.Join(dir, "deep")); !os.IsNotExist(err) {
			t.Errorf("syncing %s failed and left a directory it created", failing)
		}
	}
}

// TestApplyStageFailure fails while writing the new contents, before
// anything is renamed: nothing may change.
func TestApplyStageFailure(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a": "old\n"})
	files := gen.FileSet{file("a", "new\n", gen.Generated), file("blocker/b", "new\n", gen.Scaffolded), file("c", "new\n", gen.Scaffolded)}
	p, err := PlanRegenerate(OS{}, dir, files, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	// The directory changes between plan and apply.
	before := map[string]string{"a": "old\n", "blocker": "a file where a directory must go\n"}
	writeTree(t, dir, before)
	if err := p.Apply(); err == nil {
		t.Fatal("Apply succeeded although blocker/ cannot be created")
	}
	if diff := treetest.Diff(tree(readTree(t, dir)), tree(before)); diff != "" {
		t.Errorf("a failed Apply changed the directory:\n%s", diff)
	}
}

func TestApplyLeavesUnchangedFilesAlone(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"same": "same\n", "edited": "mine\n"})
	const stamp = 1000000000 // 2001-09-09, long before any test runs
	for _, name := range []string{"same", "edited"} {
		setOld(t, filepath.Join(dir, name), stamp)
	}
	files := gen.FileSet{file("same", "same\n", gen.Generated), file("edited", "theirs\n", gen.Scaffolded)}
	manifest := map[string]string{"edited": answers.Sum([]byte("theirs\n"))}
	p, err := PlanRegenerate(OS{}, dir, files, manifest, false)
	if err != nil {
		t.Fatal(err)
	}
	if p.Changed() {
		t.Fatalf("plan changes something:\n%s", p)
	}
	if err := p.Apply(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"same", "edited"} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if info.ModTime().Unix() != stamp {
			t.Errorf("%s: modification time changed", name)
		}
	}
}

func TestJSONShape(t *testing.T) {
	p := Plan{Dir: "proj", Actions: []Action{
		{Kind: Update, Path: "dll/exports.go", File: file("dll/exports.go", "", gen.Generated)},
		{Kind: Update, Path: "dll/core.c", File: file("dll/core.c", "", gen.Generated), Edited: true, Reason: "overwritten"},
		{Kind: Conflict, Path: "hosts/c/parent.c", File: file("hosts/c/parent.c", "", gen.Scaffolded), New: "hosts/c/parent.c" + NewSuffix, Reason: "edited"},
		{Kind: Delete, Path: "old.txt"},
	}}
	got, err := p.JSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "dir": "proj",
  "changed": true,
  "conflicts": 1,
  "files": [
    {
      "path": "dll/exports.go",
      "action": "update",
      "owner": "generated"
    },
    {
      "path": "dll/core.c",
      "action": "update",
      "owner": "generated",
      "reason": "overwritten",
      "edited": true
    },
    {
      "path": "hosts/c/parent.c",
      "action": "conflict",
      "owner": "scaffolded",
      "new": "hosts/c/parent.c.shmemgen-new",
      "reason": "edited"
    },
    {
      "path": "old.txt",
      "action": "delete"
    }
  ]
}
`
	if string(got) != want {
		t.Errorf("JSON:\n%s\nwant:\n%s", got, want)
	}
}

func setOld(t *testing.T, name string, unix int64) {
	t.Helper()
	old := time.Unix(unix, 0)
	if err := os.Chtimes(name, old, old); err != nil {
		t.Fatal(err)
	}
}

// TestFaultyCrash checks what the kill tests rest on: after a crash, the
// filesystem makes no change, not even the undo's.
func TestFaultyCrash(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a": "a\n"})
	crash := errors.New("crash")
	fsys := &Faulty{FS: OS{}, Crash: true, Before: func(op Op, path string) error {
		if op == OpWrite {
			return crash
		}
		return nil
	}}
	tmp, err := fsys.CreateTemp(dir, ".b-*")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := tmp.Write([]byte("bbbb")); n != 2 || !errors.Is(err, crash) {
		t.Errorf("a write at the crash: %d bytes, %v; want a torn write of 2 and the crash", n, err)
	}
	tmp.Close()
	if !fsys.Dead() {
		t.Fatal("not dead after the crash")
	}
	for name, err := range map[string]error{
		"remove": fsys.Remove(tmp.Name()),
		"rename": fsys.Rename(filepath.Join(dir, "a"), filepath.Join(dir, "c")),
		"mkdir":  fsys.Mkdir(filepath.Join(dir, "d"), 0o755),
	} {
		if !errors.Is(err, crash) {
			t.Errorf("%s after the crash: %v, want the crash", name, err)
		}
	}
	if _, err := fsys.CreateTemp(dir, ".e-*"); !errors.Is(err, crash) {
		t.Errorf("create after the crash: %v, want the crash", err)
	}
	want := map[string]string{"a": "a\n", filepath.Base(tmp.Name()): "bb"}
	if diff := treetest.Diff(tree(readTree(t, dir)), tree(want)); diff != "" {
		t.Errorf("after the crash:\n%s", diff)
	}
}
