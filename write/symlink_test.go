package write

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/gen"
)

// outside makes a directory beside the project holding victim.txt, and a
// symbolic link to it inside the project, at link.
func outside(t *testing.T, dir, link string) (victimDir string) {
	t.Helper()
	victimDir = t.TempDir()
	writeTree(t, victimDir, map[string]string{"victim.txt": "precious\n"})
	writeTree(t, dir, map[string]string{"a": "a\n"})
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, link)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victimDir, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
		t.Fatal(err)
	}
	return victimDir
}

func checkUntouched(t *testing.T, dir, link, victimDir string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(victimDir, "victim.txt"))
	if err != nil || string(data) != "precious\n" {
		t.Errorf("the file outside the project: %q, %v", data, err)
	}
	info, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(link)))
	if err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symbolic link %s is gone or replaced: %v", link, err)
	}
}

// A manifest entry reached through a symbolic link to elsewhere is never
// deleted, even with force, and the link is not removed as an emptied
// directory: it is kept and reported once, as an edited file no longer
// generated is.
func TestRegenerateNeverDeletesThroughSymlink(t *testing.T) {
	for _, force := range []bool{false, true} {
		dir := t.TempDir()
		victimDir := outside(t, dir, "evil")
		files := gen.FileSet{file("a", "a\n", gen.Scaffolded)}
		manifest := map[string]string{"a": answers.Sum([]byte("a\n")), "evil/victim.txt": answers.Sum([]byte("precious\n"))}
		p, err := PlanRegenerate(OS{}, dir, files, manifest, force)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := summary(p), "unchanged a\nconflict evil/victim.txt"; got != want {
			t.Errorf("force=%v: plan:\n%s\nwant:\n%s", force, got, want)
		}
		if err := p.Apply(); err != nil {
			t.Fatal(err)
		}
		checkUntouched(t, dir, "evil", victimDir)
	}
}

// A rendered file whose path passes through a symbolic link, or is one, is
// refused before anything is read or written through it.
func TestNeverWritesThroughSymlink(t *testing.T) {
	for _, tc := range []struct{ link, path string }{
		{"dll", "dll/victim.txt"},
		{"dll", "dll/x.go"},
		{"sub/deeper", "sub/deeper/victim.txt"},
	} {
		for _, mode := range []string{"regenerate", "regenerate --force", "new --force"} {
			dir := t.TempDir()
			victimDir := outside(t, dir, tc.link)
			files := gen.FileSet{file("a", "a\n", gen.Scaffolded), file(tc.path, "overwritten\n", gen.Generated)}
			var err error
			switch mode {
			case "regenerate":
				_, err = PlanRegenerate(OS{}, dir, files, nil, false)
			case "regenerate --force":
				_, err = PlanRegenerate(OS{}, dir, files, nil, true)
			default:
				_, err = PlanNew(OS{}, dir, files, true)
			}
			if err == nil || !strings.Contains(err.Error(), "symbolic link") {
				t.Errorf("%s, %s through %s: got %v, want an error about the symbolic link", mode, tc.path, tc.link, err)
			}
			checkUntouched(t, dir, tc.link, victimDir)
		}
	}
}

// A file that is itself a symbolic link to elsewhere is neither read nor
// replaced.
func TestNeverReplacesSymlinkedFile(t *testing.T) {
	dir := t.TempDir()
	victimDir := t.TempDir()
	writeTree(t, victimDir, map[string]string{"victim.txt": "precious\n"})
	if err := os.Symlink(filepath.Join(victimDir, "victim.txt"), filepath.Join(dir, "a")); err != nil {
		t.Fatal(err)
	}
	files := gen.FileSet{file("a", "overwritten\n", gen.Generated)}
	if _, err := PlanRegenerate(OS{}, dir, files, nil, true); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("got %v, want an error about the symbolic link", err)
	}
	checkUntouched(t, dir, "a", victimDir)
}

// Regeneration keeps the mode of a file it replaces: a user's chmod 600
// stays, and so does an executable build script's.
func TestUpdateKeepsMode(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"secret.txt": "old\n", "build.sh": "old\n"})
	for name, mode := range map[string]os.FileMode{"secret.txt": 0o600, "build.sh": 0o750} {
		if err := os.Chmod(filepath.Join(dir, name), mode); err != nil {
			t.Fatal(err)
		}
	}
	files := gen.FileSet{file("build.sh", "new\n", gen.Generated), file("secret.txt", "new\n", gen.Generated)}
	p, err := PlanRegenerate(OS{}, dir, files, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]os.FileMode{"secret.txt": 0o600, "build.sh": 0o750} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o after an update, want %o as before", name, got, want)
		}
	}
}

// A failed new whose directory is a symbolic link to nowhere leaves the link
// as it was: the undo removes only what the run made.
func TestFailedNewKeepsDanglingOut(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	if err := os.Symlink(filepath.Join(parent, "missing"), out); err != nil {
		t.Fatal(err)
	}
	files := gen.FileSet{file("a", "a\n", gen.Scaffolded), file("d/b", "b\n", gen.Scaffolded)}
	if _, err := PlanNew(OS{}, out, files, false); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("PlanNew: got %v, want an error about the dangling link", err)
	}
	// The link appears between plan and apply.
	if err := os.Remove(out); err != nil {
		t.Fatal(err)
	}
	p, err := PlanNew(OS{}, out, files, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(parent, "missing"), out); err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(); err == nil {
		t.Fatal("Apply into a dangling link succeeded")
	}
	if info, err := os.Lstat(out); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the dangling link is gone: %v", err)
	}
}

// The project directory itself may be a link to a directory: new writes
// through it, and finds an interrupted run's leftovers there.
func TestOutMayBeALink(t *testing.T) {
	parent := t.TempDir()
	real := filepath.Join(parent, "real")
	writeTree(t, real, map[string]string{".a.shmemgen-tmp-1": "half"})
	out := filepath.Join(parent, "out")
	if err := os.Symlink(real, out); err != nil {
		t.Fatal(err)
	}
	p, err := PlanNew(OS{}, out, gen.FileSet{file("a", "a\n", gen.Scaffolded)}, false)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := summary(p), "delete .a.shmemgen-tmp-1\ncreate a"; got != want {
		t.Errorf("plan:\n%s\nwant:\n%s", got, want)
	}
	if err := p.Apply(); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, real); len(got) != 1 || got["a"] != "a\n" {
		t.Errorf("the linked directory holds %v", got)
	}
}
