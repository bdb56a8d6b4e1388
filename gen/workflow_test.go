package gen

import (
	"io"
	"os"
	"regexp"
	"slices"
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
				// The workflow is yours (scaffolded) and names no
				// architecture: the round trips run for every
				// architecture built, and only those, as build.env names
				// them.
				checkWorkflowArches(t, c, files, f.Data)
			}
		}
		if n == 0 {
			t.Fatal("the project has no workflow")
		}
	}
}

// archMatch is the pattern with which the workflow's Architectures step
// reads build.env's arches.
var archMatch = regexp.MustCompile(`-match '([^']+)'`)

// checkWorkflowArches checks that the workflow runs the round trips of
// every architecture c builds, and only those, and installs a 32-bit
// MinGW-w64 only for 386: each step is conditioned on its architecture's
// output of the Architectures step, and that step, reading build.env as
// the workflow does (its pattern, applied here), finds c's architectures.
func checkWorkflowArches(t *testing.T, c config.Config, files FileSet, workflow []byte) {
	t.Helper()
	w, errs := actionlint.Parse(workflow)
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	conditions := map[string]string{"amd64": "steps.arch.outputs.amd64 == 'true'", "386": "steps.arch.outputs.i386 == 'true'"}
	wants := []struct{ arch, runs string }{
		{"amd64", "& bin/parent.exe"}, {"amd64", "& bin/parent-go.exe"},
		{"386", "& bin/386/parent.exe"}, {"386", "& bin/386/parent-go.exe"}, {"386", "mingw-w64-i686-gcc"},
	}
	var reads string
	found := make([]bool, len(wants))
	for _, job := range w.Jobs {
		for _, step := range job.Steps {
			run, ok := step.Exec.(*actionlint.ExecRun)
			if !ok || run.Run == nil {
				continue
			}
			if step.ID != nil && step.ID.Value == "arch" {
				reads = run.Run.Value
			}
			for i, want := range wants {
				if !strings.Contains(run.Run.Value, want.runs) {
					continue
				}
				found[i] = true
				if step.If == nil || step.If.Value != conditions[want.arch] {
					t.Errorf("the step that runs %q is not conditioned on %s being built (if: %s)", want.runs, want.arch, conditions[want.arch])
				}
			}
		}
	}
	for i, want := range wants {
		if !found[i] {
			t.Errorf("no step runs %q", want.runs)
		}
	}
	m := archMatch.FindStringSubmatch(reads)
	if m == nil {
		t.Fatalf("the Architectures step (id: arch) does not read build.env's arches with -match:\n%s", reads)
	}
	pattern := regexp.MustCompile(m[1])
	env, _ := files.Lookup("build.env")
	var arches []string
	for _, line := range strings.Split(string(env.Data), "\n") {
		if a := pattern.FindStringSubmatch(line); a != nil {
			arches = strings.Fields(a[1])
		}
	}
	for _, arch := range []string{"amd64", "386"} {
		if slices.Contains(arches, arch) != c.HasArch(arch) {
			t.Errorf("--arch %s: the workflow reads arches %q from build.env", c.Arch, arches)
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
