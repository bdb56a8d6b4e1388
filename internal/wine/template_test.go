package wine

import (
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shmemgen/shmemgen/internal/ci"
)

// TestRemoveOldTemplates keeps the current template and a build that may
// still be running, and removes another installation's template and an
// abandoned build.
func TestRemoveOldTemplates(t *testing.T) {
	parent := t.TempDir()
	for _, name := range []string{"current", "other", "new-running", "new-abandoned"} {
		if err := os.MkdirAll(filepath.Join(parent, name, "drive_c"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-staleBuild - time.Minute)
	if err := os.Chtimes(filepath.Join(parent, "new-abandoned"), old, old); err != nil {
		t.Fatal(err)
	}
	removeOldTemplates(parent, "current")
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if want := []string{"current", "new-running"}; !slices.Equal(left, want) {
		t.Errorf("left %v, want %v", left, want)
	}
}

// TestClonePrefix links what Wine only reads and copies the rest, keeping
// symbolic links as they are and the times wineboot compares.
func TestClonePrefix(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	write := func(rel, text string) {
		path := filepath.Join(src, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("system.reg", "WINE REGISTRY Version 2\n")
	write("drive_c/windows/system32/kernel32.dll", "MZ")
	write("drive_c/windows/system32/NOTEPAD.EXE", "MZ")
	write("drive_c/windows/win.ini", "[windows]\n")
	write("drive_c/windows/system32/c_1252.nls", "")
	if err := os.MkdirAll(filepath.Join(src, "dosdevices"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../drive_c", filepath.Join(src, "dosdevices", "c:")); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(src, "system.reg"), old, old); err != nil {
		t.Fatal(err)
	}

	if err := clonePrefix(src, dst); err != nil {
		t.Fatal(err)
	}
	for rel, linked := range map[string]bool{
		"system.reg":                            false,
		"drive_c/windows/win.ini":               false,
		"drive_c/windows/system32/kernel32.dll": true,
		"drive_c/windows/system32/NOTEPAD.EXE":  true,
		"drive_c/windows/system32/c_1252.nls":   true,
	} {
		a, errA := os.Stat(filepath.Join(src, rel))
		b, errB := os.Stat(filepath.Join(dst, rel))
		if errA != nil || errB != nil {
			t.Fatalf("%s: %v; %v", rel, errA, errB)
		}
		if os.SameFile(a, b) != linked {
			t.Errorf("%s: linked %v, want %v", rel, !linked, linked)
		}
		if !a.ModTime().Equal(b.ModTime()) {
			t.Errorf("%s: modified %v, want the template's %v", rel, b.ModTime(), a.ModTime())
		}
	}
	if link, err := os.Readlink(filepath.Join(dst, "dosdevices", "c:")); err != nil || link != "../drive_c" {
		t.Errorf("dosdevices/c: links to %q (%v), want ../drive_c", link, err)
	}
}

// TestNewPrefixNamesABrokenTemplate: a template that cannot be cloned fails
// NewPrefix with an error that names it and says how to recover.
func TestNewPrefixNamesABrokenTemplate(t *testing.T) {
	if err := Available(); err != nil {
		ci.SkipOrFail(t, err) // only the template's key needs Wine; the test makes no prefix
	}
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	wine, err := wineBinary()
	if err != nil {
		t.Fatal(err)
	}
	key, err := templateKey(wine)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := filepath.Join(cache, "shmemgen", "wineprefix", key)
	if err := os.MkdirAll(tmpl, 0o755); err != nil {
		t.Fatal(err)
	}
	socket, err := net.Listen("unix", filepath.Join(tmpl, "socket"))
	if err != nil {
		t.Fatal(err)
	}
	defer socket.Close()
	p, err := NewPrefix(filepath.Join(t.TempDir(), "prefix"))
	if err == nil {
		p.Close()
		t.Fatal("NewPrefix cloned a template holding a socket")
	}
	if want := "cloning the prefix template " + tmpl + " (remove it, and the next prefix makes it again)"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
}
