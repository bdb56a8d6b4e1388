//go:build unix

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/internal/treetest"
)

// killAtEnv is read by killfs_test.go: the tests' shmemgen SIGKILLs
// itself before the filesystem step it numbers.
const killAtEnv = "SHMEMGEN_TEST_KILL_AT"

// TestKillGenerateForReal runs shmemgen generate as a real process and
// SIGKILLs it before each filesystem step in turn; after each kill, check
// must not call the project current unless it is, and the next generate
// must leave exactly the tree an uninterrupted run leaves. (write's
// TestKillAtEveryStep does the same in process, for new as well.)
func TestKillGenerateForReal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs shmemgen a few hundred times")
	}
	prepared := t.TempDir()
	mustRun(t, "new", "--out", prepared, "--module", "example.com/p")
	// The user asks for other inputs, and the manifest holds a file the
	// templates no longer make, after the answers file in path order.
	file := filepath.Join(prepared, answers.FileName)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	a, err := answers.Parse(file, data, config.Default("p"))
	if err != nil {
		t.Fatal(err)
	}
	a.Inputs.Size, a.Inputs.Set = 8192, "PutText"
	a.Files = append(a.Files, answers.Entry{Path: "zz/old.md", SHA256: answers.Sum([]byte("old\n"))})
	if data, err = a.Marshal(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(prepared, "zz"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(prepared, "zz", "old.md"), []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, prepared)

	fresh := func() string {
		dir := filepath.Join(t.TempDir(), "p")
		if err := treetest.Replace(dir, before); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	clean := fresh()
	mustRun(t, "generate", "--dir", clean)
	want := readTree(t, clean)

	for n := 1; ; n++ {
		dir := fresh()
		cmd := exec.Command(shmemgen, "generate", "--dir", dir)
		cmd.Env = append(os.Environ(), killAtEnv+"="+strconv.Itoa(n))
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		switch {
		case err == nil:
			if n == 1 {
				t.Fatal("generate made no step to kill")
			}
			if diff := treetest.Diff(readTree(t, dir), want); diff != "" {
				t.Fatalf("generate, not killed, left:\n%s", diff)
			}
			t.Logf("killed shmemgen generate before each of its %d steps", n-1)
			return
		case !errors.As(err, &exit) || !exit.Sys().(syscall.WaitStatus).Signaled():
			t.Fatalf("step %d: generate failed without being killed: %v\n%s", n, err, out)
		}
		name := fmt.Sprintf("killed before step %d", n)
		stale := run([]string{"shmemgen", "generate", "--check", "--dir", dir}, io.Discard, io.Discard) != 0
		if diff := treetest.Diff(readTree(t, dir), want); diff != "" && !stale {
			t.Errorf("%s: --check says current, but the tree differs:\n%s", name, diff)
		}
		var stderr bytes.Buffer
		if code := run([]string{"shmemgen", "generate", "--dir", dir}, io.Discard, &stderr); code != 0 {
			t.Fatalf("%s: the next generate: exit %d\n%s", name, code, stderr.Bytes())
		}
		if diff := treetest.Diff(readTree(t, dir), want); diff != "" {
			t.Errorf("%s: the next generate left:\n%s", name, diff)
		}
		if code := run([]string{"shmemgen", "generate", "--check", "--dir", dir}, io.Discard, io.Discard); code != 0 {
			t.Errorf("%s: not current after the next generate", name)
		}
	}
}

func mustRun(t *testing.T, args ...string) {
	t.Helper()
	var stderr bytes.Buffer
	if code := run(append([]string{"shmemgen"}, args...), io.Discard, &stderr); code != 0 {
		t.Fatalf("shmemgen %v: exit %d\n%s", args, code, stderr.Bytes())
	}
}

func readTree(t *testing.T, dir string) map[string]treetest.File {
	t.Helper()
	tree, err := treetest.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}
