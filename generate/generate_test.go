package generate

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

// render renders c as new would, without an overlay.
func render(t *testing.T, c config.Config) gen.FileSet {
	t.Helper()
	files, err := project.Render(c, gen.Options{}, "")
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestRecordLayoutNote compares the header on disk with the one about to
// be written: a record gained, a field added (named with its offset), a
// record lost, and nothing to say when the layout stays or there is no
// header on disk.
func TestRecordLayoutNote(t *testing.T) {
	plain := config.Default("p")
	one := plain
	one.Record = &config.Record{Name: "Sample", Fields: []config.Field{{Name: "count", Type: "u64"}}}
	two := plain
	two.Record = &config.Record{Name: "Sample", Fields: []config.Field{{Name: "count", Type: "u64"}, {Name: "flag", Type: "u8"}}}

	dir := t.TempDir()
	if note := recordLayoutNote(dir, render(t, one)); note != "" {
		t.Errorf("no header on disk: %q, want none", note)
	}
	onDisk := func(c config.Config) {
		t.Helper()
		api, _ := render(t, c).Lookup("dll/api.h")
		if err := os.MkdirAll(filepath.Join(dir, "dll"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "dll", "api.h"), api.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	onDisk(plain)
	if note := recordLayoutNote(dir, render(t, plain)); note != "" {
		t.Errorf("the same layout: %q, want none", note)
	}
	for _, tc := range []struct {
		from, to config.Config
		want     []string
	}{
		{plain, one, []string{"the mapping gains a typed record", "  + Sample.count u64 at 0\n"}},
		{one, two, []string{"the typed record's layout changes", "  + Sample.flag u8 at 8\n", "one built for the old layout finds BAD_LAYOUT"}},
		{one, plain, []string{"the mapping loses its typed record", "  - Sample.count u64 at 0\n"}},
	} {
		onDisk(tc.from)
		note := recordLayoutNote(dir, render(t, tc.to))
		for _, w := range tc.want {
			if !strings.Contains(note, w) {
				t.Errorf("note lacks %q:\n%s", w, note)
			}
		}
	}
}

// TestInputChanges lists what new's flags would change in a project's
// answers file, each with whether its flag was given and the flag that
// keeps it, quoted for a shell.
func TestInputChanges(t *testing.T) {
	prev := answers.Answers{Inputs: config.Default("p"), Templates: "tpl", Vars: map[string]string{"team": "ops"}}
	prev.Inputs.Name = `Local\Jobs`
	next := config.Default("p")
	next.Size = 8192
	req := NewRequest{Config: next, Out: "out", Options: gen.Options{Vars: map[string]string{"team": "dev"}},
		Given: func(flag string) bool { return flag == "size" }}
	got := map[string]inputChange{}
	for _, ch := range inputChanges(req, prev) {
		got[ch.flag] = ch
	}
	want := map[string]inputChange{
		"--name":      {flag: "--name", recorded: `Local\Jobs`, next: config.DefaultName, keep: `--name 'Local\Jobs'`},
		"--size":      {flag: "--size", recorded: "4096", next: "8192", given: true, keep: "--size 4096"},
		"--templates": {flag: "--templates", recorded: "tpl", next: `""`, keep: "--templates " + gen.ShellQuote(filepath.Join("out", "tpl"))},
		"--var team":  {flag: "--var team", recorded: "ops", next: "dev", given: true, keep: "--var team=ops"},
	}
	if len(got) != len(want) {
		t.Errorf("changes %+v, want %+v", got, want)
	}
	for flag, w := range want {
		if got[flag] != w {
			t.Errorf("%s: %+v, want %+v", flag, got[flag], w)
		}
	}
}

// TestNewerAnswersWarn: an answers file a newer shmemgen wrote is warned
// of, by the run that finds it. That run writes this version's answers
// file, so no run before it could have recorded the project for the fast
// path: the fast path never keeps a warning back.
func TestNewerAnswersWarn(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	old := project.Version
	project.Version = func() string { return "v1.0.0" }
	t.Cleanup(func() { project.Version = old })

	dir := filepath.Join(t.TempDir(), "p")
	var stdout, stderr strings.Builder
	out := Output{Stdout: &stdout, Stderr: &stderr}
	if err := New(write.OS{}, NewRequest{Config: config.Default("p"), Out: dir}, out); err != nil {
		t.Fatal(err)
	}
	regenerate := func() string {
		t.Helper()
		stdout.Reset()
		stderr.Reset()
		if err := Regenerate(write.OS{}, dir, false, out); err != nil {
			t.Fatal(err)
		}
		return stdout.String() + stderr.String()
	}
	// Twice: the second run takes the fast path.
	for run := 1; run <= 2; run++ {
		if said := regenerate(); said != "" {
			t.Fatalf("run %d of an up-to-date project said %q", run, said)
		}
	}
	name := filepath.Join(dir, answers.FileName)
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\nversion: v1.0.0\n") {
		t.Fatalf("%s does not say version: v1.0.0", name)
	}
	if err := os.WriteFile(name, []byte(strings.Replace(string(data), "\nversion: v1.0.0\n", "\nversion: v2.0.0\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if said := regenerate(); !strings.Contains(said, "written by shmemgen v2.0.0, newer than this v1.0.0") || !strings.Contains(said, "update    shmemgen.yaml") {
		t.Errorf("the run after a newer shmemgen's: no warning, or no update of the answers file: %q", said)
	}
	if said := regenerate(); said != "" {
		t.Errorf("the run after that said %q", said)
	}
}
