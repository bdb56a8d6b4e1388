package project

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/gen"
)

// TestAnswersManifest checks that the answers file Render adds lists
// every other file with the hash of its bytes, and records the version,
// overlay and vars.
func TestAnswersManifest(t *testing.T) {
	c := config.Default("x")
	opts := gen.Options{Overlay: fstest.MapFS{}, OverlayName: "tpl", Vars: map[string]string{"team": "ops"}}
	files, err := Render(c, opts, "../tpl")
	if err != nil {
		t.Fatal(err)
	}
	f, ok := files.Lookup(answers.FileName)
	if !ok {
		t.Fatal("no answers file")
	}
	if f.Owner != gen.Generated || f.Mode != 0o644 {
		t.Errorf("answers file is %s, %v; want generated, 0644", f.Owner, f.Mode)
	}
	a, err := answers.Parse(answers.FileName, f.Data, config.Default("y"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Version != Version() || a.Templates != "../tpl" || a.Vars["team"] != "ops" || !reflect.DeepEqual(a.Inputs, c) {
		t.Errorf("answers do not record the render's inputs: %+v", a)
	}
	if len(a.Files) != len(files)-1 {
		t.Errorf("manifest has %d files, want %d", len(a.Files), len(files)-1)
	}
	for _, e := range a.Files {
		g, ok := files.Lookup(e.Path)
		if !ok || answers.Sum(g.Data) != e.SHA256 {
			t.Errorf("manifest entry %s does not match the rendered file", e.Path)
		}
	}
	// The version is in the answers file and nowhere else.
	for _, f := range files {
		if f.Path != answers.FileName && strings.Contains(string(f.Data), "version: "+Version()) {
			t.Errorf("%s mentions the generator version", f.Path)
		}
	}
}

// TestAnswersFileReserved checks that no template can produce the answers
// file: the command writes it.
func TestAnswersFileReserved(t *testing.T) {
	overlay := fstest.MapFS{answers.FileName + ".tmpl": {Data: []byte("x")}}
	_, err := Render(config.Default("x"), gen.Options{Overlay: overlay, OverlayName: "tpl"}, "")
	if err == nil || !strings.Contains(err.Error(), "would overwrite shmemgen.yaml") {
		t.Errorf("got %v, want an error saying it would overwrite shmemgen.yaml", err)
	}
}

// TestLoadErrors checks which failures to load a project are the user's
// to fix (an Error, which the commands report as a usage error).
func TestLoadErrors(t *testing.T) {
	valid := func(t *testing.T, dir string) {
		files, err := Render(config.Default("p"), gen.Options{}, "")
		if err != nil {
			t.Fatal(err)
		}
		f, _ := files.Lookup(answers.FileName)
		if err := os.WriteFile(filepath.Join(dir, answers.FileName), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  string
	}{
		{"missing", func(*testing.T, string) {}, "has no shmemgen.yaml"},
		{"a symbolic link", func(t *testing.T, dir string) {
			valid(t, filepath.Join(dir, ".."))
			if err := os.Symlink(filepath.Join(dir, "..", answers.FileName), filepath.Join(dir, answers.FileName)); err != nil {
				t.Skip(err)
			}
		}, "is a symbolic link"},
		{"invalid", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, answers.FileName), []byte("inputs: {size: big}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "size"},
		{"a missing overlay", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, answers.FileName), []byte("templates: tpl\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, `templates: "tpl" (`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "p")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			tc.setup(t, dir)
			_, _, err := Load(dir)
			var invalid *Error
			if !errors.As(err, &invalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an Error mentioning %q", err, tc.want)
			}
		})
	}

	// A valid project loads, with its overlay and vars.
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "tpl"), 0o755); err != nil {
		t.Fatal(err)
	}
	files, err := Render(config.Default("p"), gen.Options{Vars: map[string]string{"team": "ops"}}, "tpl")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := files.Lookup(answers.FileName)
	if err := os.WriteFile(filepath.Join(dir, answers.FileName), f.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	a, opts, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if a.Templates != "tpl" || opts.OverlayName != filepath.Join(dir, "tpl") || opts.Overlay == nil || opts.Vars["team"] != "ops" {
		t.Errorf("loaded %+v, %+v", a, opts)
	}
}

// An answers file over the cap is refused, naming the cap, and never read
// whole: an *Error, the user's to fix (a usage error to the command).
func TestLoadTooBig(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "shmemgen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: 30 MB that take no room.
	if err := f.Truncate(30 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, _, err = Load(dir)
	var invalid *Error
	if err == nil || !errors.As(err, &invalid) || !strings.Contains(err.Error(), "shmemgen.yaml: is larger than 1048576 bytes (1 MiB), the most an answers file may be") {
		t.Errorf("got %v, want an *Error about the size", err)
	}
}
