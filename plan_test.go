package main

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/gen"
)

// TestAnswersManifest checks that the answers file renderProject adds lists
// every other file with the hash of its bytes, and records the version,
// overlay and vars.
func TestAnswersManifest(t *testing.T) {
	c := config.Default("x")
	opts := gen.Options{Overlay: fstest.MapFS{}, OverlayName: "tpl", Vars: map[string]string{"team": "ops"}}
	files, err := renderProject(c, opts, "../tpl")
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
	if a.Version != generatorVersion() || a.Templates != "../tpl" || a.Vars["team"] != "ops" || !reflect.DeepEqual(a.Inputs, c) {
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
		if f.Path != answers.FileName && strings.Contains(string(f.Data), "version: "+generatorVersion()) {
			t.Errorf("%s mentions the generator version", f.Path)
		}
	}
}

// TestAnswersFileReserved checks that no template can produce the answers
// file: the command writes it.
func TestAnswersFileReserved(t *testing.T) {
	overlay := fstest.MapFS{answers.FileName + ".tmpl": {Data: []byte("x")}}
	_, err := renderProject(config.Default("x"), gen.Options{Overlay: overlay, OverlayName: "tpl"}, "")
	if err == nil || !strings.Contains(err.Error(), "would overwrite shmemgen.yaml") {
		t.Errorf("got %v, want an error saying it would overwrite shmemgen.yaml", err)
	}
}
