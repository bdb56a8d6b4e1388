package gen

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/config"
)

// TestBuildScriptReportsSteps runs the generated build.sh with stand-ins
// for go and the C compiler: each step must print a line as it starts and
// one with its time as it ends, and the script one line with the total.
func TestBuildScriptReportsSteps(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	files, err := Render(config.Default("x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script, _ := files.Lookup("build.sh")
	if err := os.WriteFile(filepath.Join(dir, "build.sh"), script.Data, 0o755); err != nil {
		t.Fatal(err)
	}
	fakes := filepath.Join(dir, "fakes")
	if err := os.Mkdir(fakes, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"go", "cc"} {
		if err := os.WriteFile(filepath.Join(fakes, name), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bash, "build.sh")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+fakes+string(os.PathListSeparator)+os.Getenv("PATH"), "CC="+filepath.Join(fakes, "cc"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("build.sh: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	steps := []string{"bin/shmem.dll, bin/shmem.h", "bin/parent.exe", "bin/child.exe", "bin/parent-go.exe", "bin/child-go.exe"}
	if len(lines) != 2*len(steps)+1 {
		t.Fatalf("build.sh printed %d lines, want %d:\n%s", len(lines), 2*len(steps)+1, out)
	}
	for i, step := range steps {
		if lines[2*i] != "building "+step {
			t.Errorf("line %d = %q, want %q", 2*i+1, lines[2*i], "building "+step)
		}
		if !regexp.MustCompile(`^built    ` + regexp.QuoteMeta(step) + ` in \d+\.\ds$`).MatchString(lines[2*i+1]) {
			t.Errorf("line %d = %q, want built %s in its time", 2*i+2, lines[2*i+1], step)
		}
	}
	if !regexp.MustCompile(`^built bin/shmem.dll .* in \d+\.\ds$`).MatchString(lines[len(lines)-1]) {
		t.Errorf("last line = %q, want the total", lines[len(lines)-1])
	}
}
