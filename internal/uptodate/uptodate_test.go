package uptodate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/project"
	"github.com/shmemgen/shmemgen/write"
)

// newProject writes the default project into a new directory, with an
// overlay of one template of its own at overlay/, and points the cache at
// a new directory; the executable is "exe-1" until a test changes it.
func newProject(t *testing.T) string {
	t.Helper()
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir()) // where the system takes the cache from HOME
	exe := "exe-1"
	old := executableID
	executableID = func() (string, error) { return exe, nil }
	t.Cleanup(func() { executableID = old })

	dir := filepath.Join(t.TempDir(), "p")
	overlay := filepath.Join(dir, "overlay")
	if err := os.MkdirAll(overlay, 0o755); err != nil {
		t.Fatal(err)
	}
	write1(t, filepath.Join(overlay, "extra.txt.tmpl"), "extra for {{ .Name }}\n")
	files, err := project.Render(config.Default("p"), gen.Options{Overlay: os.DirFS(overlay), OverlayName: overlay}, "overlay")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := write.PlanNew(write.OS{}, dir, files, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := plan.Apply(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func write1(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fullRun is generate's full path: it loads and renders the project and
// plans it, and records when nothing changes, as generate.Regenerate does.
func fullRun(t *testing.T, dir string) (changed bool) {
	t.Helper()
	probe := Start(dir)
	a, opts, err := project.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	probe.BeforeRender(opts.OverlayName)
	files, err := project.Render(a.Inputs, opts, a.Templates)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := write.PlanRegenerate(write.OS{}, dir, files, a.Manifest(), false)
	if err != nil {
		t.Fatal(err)
	}
	if !plan.Changed() {
		probe.Record(files)
	}
	return plan.Changed()
}

// fresh is generate's fast path, which loads nothing.
func fresh(t *testing.T, dir string) bool {
	t.Helper()
	return Start(dir).Fresh(write.OS{})
}

// primed is a project a full run found up to date, which the fast path
// then finds fresh.
func primed(t *testing.T) string {
	t.Helper()
	dir := newProject(t)
	if fresh(t, dir) {
		t.Fatal("fresh before any run recorded it")
	}
	if fullRun(t, dir) {
		t.Fatal("a new project is not up to date")
	}
	if !fresh(t, dir) {
		t.Fatal("not fresh after a full run that changed nothing")
	}
	return dir
}

// Each change a full run would act on makes the project not fresh; each
// case fails if the fast path wrongly says it is up to date.
func TestInvalidation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, dir string)
	}{
		{"edited generated file", func(t *testing.T, dir string) {
			appendTo(t, filepath.Join(dir, "dll", "layout.go"), "// edit\n")
		}},
		{"edited scaffolded file", func(t *testing.T, dir string) {
			appendTo(t, filepath.Join(dir, "hosts", "c", "parent.c"), "/* edit */\n")
		}},
		{"deleted file", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "build.sh")); err != nil {
				t.Fatal(err)
			}
		}},
		{"changed answers", func(t *testing.T, dir string) {
			replaceIn(t, filepath.Join(dir, answers.FileName), "size: 4096", "size: 8192")
		}},
		{"changed overlay template", func(t *testing.T, dir string) {
			write1(t, filepath.Join(dir, "overlay", "extra.txt.tmpl"), "more for {{ .Name }}\n")
		}},
		{"new overlay template", func(t *testing.T, dir string) {
			write1(t, filepath.Join(dir, "overlay", "more.txt.tmpl"), "more\n")
		}},
		{"overlay gone", func(t *testing.T, dir string) {
			if err := os.RemoveAll(filepath.Join(dir, "overlay")); err != nil {
				t.Fatal(err)
			}
		}},
		{"overlay moved, answers changed to name it", func(t *testing.T, dir string) {
			if err := os.Rename(filepath.Join(dir, "overlay"), filepath.Join(dir, "overlay2")); err != nil {
				t.Fatal(err)
			}
			replaceIn(t, filepath.Join(dir, answers.FileName), "templates: overlay", "templates: overlay2")
		}},
		{"different executable", func(t *testing.T, dir string) {
			executableID = func() (string, error) { return "exe-2", nil }
		}},
		{"stray temporary file", func(t *testing.T, dir string) {
			write1(t, filepath.Join(dir, "dll", ".exports.go.shmemgen-tmp-123"), "half")
		}},
		{"file replaced by a symbolic link", func(t *testing.T, dir string) {
			name := filepath.Join(dir, "build.sh")
			if err := os.Rename(name, name+".real"); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("build.sh.real", name); err != nil {
				t.Fatal(err)
			}
		}},
		{"garbled cache entry", func(t *testing.T, dir string) {
			p := Start(dir)
			data, err := os.ReadFile(p.entry)
			if err != nil {
				t.Fatal(err)
			}
			data[len(data)-2] ^= 1
			write1(t, p.entry, string(data))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := primed(t)
			tc.change(t, dir)
			if fresh(t, dir) {
				t.Errorf("%s: fresh, but a full run would act", tc.name)
			}
		})
	}
}

// Two executables run by turns on one project each keep their entry.
func TestTwoExecutables(t *testing.T) {
	dir := primed(t)
	executableID = func() (string, error) { return "exe-2", nil }
	if fresh(t, dir) {
		t.Fatal("fresh for another executable")
	}
	if fullRun(t, dir) || !fresh(t, dir) {
		t.Fatal("not fresh after exe-2's full run")
	}
	executableID = func() (string, error) { return "exe-1", nil }
	if !fresh(t, dir) {
		t.Error("exe-1's entry is gone after exe-2's run")
	}
}

// A project moved into a directory of another name renders with that
// name, when its answers file has none of its own: a project is known by
// its path.
func TestMoved(t *testing.T) {
	dir := primed(t)
	moved := filepath.Join(filepath.Dir(dir), "q")
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	if fresh(t, moved) {
		t.Error("fresh after moving to another directory")
	}
}

// A run records nothing when the answers file changed after Start read it.
func TestRecordNeedsTheAnswersStartRead(t *testing.T) {
	dir := newProject(t)
	probe := Start(dir)
	replaceIn(t, filepath.Join(dir, answers.FileName), "size: 4096", "size: 8192")
	replaceIn(t, filepath.Join(dir, answers.FileName), "size: 8192", "size: 4096")
	probe.BeforeRender(filepath.Join(dir, "overlay"))
	probe.Record(render(t, dir))
	// The same bytes again: recorded.
	if !fresh(t, dir) {
		t.Fatal("not fresh after recording the answers Start read")
	}
	// Other bytes than Start read: not recorded.
	dir2 := newProject(t)
	probe = Start(dir2)
	probe.BeforeRender(filepath.Join(dir2, "overlay"))
	replaceIn(t, filepath.Join(dir2, answers.FileName), "size: 4096", "size: 8192")
	probe.Record(render(t, dir2))
	if _, err := os.Stat(probe.entry); err == nil {
		t.Fatal("recorded a render of other answers than Start read")
	}
}

// The key is made before the render: an overlay changed during the render
// does not make the next run fresh on a render of the one before.
func TestOverlayChangedDuringRender(t *testing.T) {
	dir := newProject(t)
	overlay := filepath.Join(dir, "overlay")
	probe := Start(dir)
	probe.BeforeRender(overlay)
	files := render(t, dir)
	write1(t, filepath.Join(overlay, "extra.txt.tmpl"), "changed meanwhile\n")
	probe.Record(files)
	if fresh(t, dir) {
		t.Fatal("fresh on a render of the overlay before it changed")
	}
	// And a run that never made the key records nothing.
	dir2 := newProject(t)
	probe = Start(dir2)
	probe.Record(render(t, dir2))
	if _, err := os.Stat(probe.entry); err == nil {
		t.Fatal("recorded without a key made before the render")
	}
}

// render loads and renders the project in dir.
func render(t *testing.T, dir string) gen.FileSet {
	t.Helper()
	a, opts, err := project.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := project.Render(a.Inputs, opts, a.Templates)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// No cache, no fast path, and no error.
func TestNoCache(t *testing.T) {
	dir := primed(t)
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	if fresh(t, dir) {
		t.Fatal("fresh without a cache")
	}
}

func appendTo(t *testing.T, name, data string) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func replaceIn(t *testing.T, name, old, new string) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s has no %q", name, old)
	}
	write1(t, name, strings.Replace(string(data), old, new, 1))
}
