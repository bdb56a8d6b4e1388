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
		p, err := PlanRegenerate(dir, files, manifest, force)
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
				_, err = PlanRegenerate(dir, files, nil, false)
			case "regenerate --force":
				_, err = PlanRegenerate(dir, files, nil, true)
			default:
				_, err = PlanNew(dir, files, true)
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
	if _, err := PlanRegenerate(dir, files, nil, true); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("got %v, want an error about the symbolic link", err)
	}
	checkUntouched(t, dir, "a", victimDir)
}
