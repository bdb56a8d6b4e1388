package gen

import (
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"

	"github.com/shmemgen/shmemgen/config"
)

// lintWorkflow runs actionlint over one workflow and reports every finding.
func lintWorkflow(t *testing.T, path string, content []byte) {
	t.Helper()
	linter, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	findings, err := linter.Lint(path, content, nil)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, f := range findings {
		t.Errorf("%s:%d:%d: %s [%s]", path, f.Line, f.Column, f.Message, f.Kind)
	}
}

func TestGeneratedWorkflowLints(t *testing.T) {
	for i, name := range []string{config.DefaultName, `Global\q"uo'te */ {{x}}`, config.DefaultName, config.DefaultName} {
		c := config.Default("x")
		c.Name = name
		c.Arch = []string{"amd64", "amd64", "386", "amd64,386"}[i]
		files, err := Render(c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range files {
			if strings.HasPrefix(f.Path, ".github/workflows/") {
				lintWorkflow(t, f.Path, f.Data)
				n++
				// The round trips run for every architecture built, and
				// only those.
				for arch, want := range map[string]string{"amd64": "& bin/parent.exe", "386": "& bin/386/parent.exe"} {
					if strings.Contains(string(f.Data), want) != c.HasArch(arch) {
						t.Errorf("--arch %s: %s runs %q: %v", c.Arch, f.Path, want, !c.HasArch(arch))
					}
				}
				if strings.Contains(string(f.Data), "mingw-w64-i686-gcc") != c.HasArch("386") {
					t.Errorf("--arch %s: %s installs a 32-bit MinGW-w64 when it should not, or not when it should", c.Arch, f.Path)
				}
			}
		}
		if n == 0 {
			t.Fatal("the project has no workflow")
		}
	}
}

func TestRepoWorkflowsLint(t *testing.T) {
	entries, err := os.ReadDir("../.github/workflows")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		path := "../.github/workflows/" + e.Name()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lintWorkflow(t, path, data)
	}
	if len(entries) == 0 {
		t.Fatal("the repo has no workflow")
	}
}

// checkBounded fails unless every job of the workflow sets timeout-minutes
// (a parent whose child hangs waits forever, and a hosted job would run for
// six hours) and prints the Go and C toolchains it builds with: a runner
// image that moves to another gcc must show in the log.
func checkBounded(t *testing.T, path string, content []byte) {
	t.Helper()
	w, errs := actionlint.Parse(content)
	if len(errs) > 0 {
		t.Fatalf("%s: %v", path, errs[0])
	}
	if len(w.Jobs) == 0 {
		t.Fatalf("%s: no jobs", path)
	}
	for id, job := range w.Jobs {
		if job.TimeoutMinutes == nil {
			t.Errorf("%s: job %s sets no timeout-minutes", path, id)
		}
		var scripts strings.Builder
		for _, step := range job.Steps {
			if run, ok := step.Exec.(*actionlint.ExecRun); ok && run.Run != nil {
				scripts.WriteString(run.Run.Value + "\n")
			}
		}
		for _, want := range []string{"go version", "gcc --version", "(Get-Command gcc).Source"} {
			if !strings.Contains(scripts.String(), want) {
				t.Errorf("%s: job %s never runs %q", path, id, want)
			}
		}
	}
	checkPinned(t, path, content)
}

// pinned is a step's uses: an action at a full commit SHA, with the tag it
// was released as in a comment: a tag can be moved to other code, a commit
// cannot.
var pinned = regexp.MustCompile(`^[\w.-]+/[\w.-]+@[0-9a-f]{40} # v[0-9]+(\.[0-9]+)*$`)

// checkPinned fails unless every action the workflow uses is pinned.
func checkPinned(t *testing.T, path string, content []byte) {
	t.Helper()
	n := 0
	for i, line := range strings.Split(string(content), "\n") {
		_, uses, ok := strings.Cut(line, "uses: ")
		if !ok {
			continue
		}
		n++
		if !pinned.MatchString(strings.TrimSpace(uses)) {
			t.Errorf("%s:%d: %s is not pinned by commit with its tag in a comment (owner/repo@SHA # vX.Y.Z)", path, i+1, strings.TrimSpace(uses))
		}
	}
	if n == 0 {
		t.Errorf("%s: uses no action", path)
	}
}

func TestWorkflowsAreBounded(t *testing.T) {
	files, err := Render(config.Default("x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if strings.HasPrefix(f.Path, ".github/workflows/") {
			checkBounded(t, f.Path, f.Data)
			n++
		}
	}
	entries, err := os.ReadDir("../.github/workflows")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		path := "../.github/workflows/" + e.Name()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		checkBounded(t, path, data)
		n++
	}
	if n < 2 {
		t.Fatal("found no workflows")
	}
}
