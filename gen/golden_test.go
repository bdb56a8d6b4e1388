package gen_test

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/internal/treetest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// shmemgen is the command under test, built once by TestMain: golden cases
// run it from the outside, exactly as a user would.
var shmemgen string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "shmemgen-gen-test-")
	if err != nil {
		panic(err)
	}
	shmemgen = filepath.Join(dir, "shmemgen")
	// Without VCS stamping the version is "(devel)" however the tests are
	// run, so the answers files in the goldens never depend on the commit.
	build := exec.Command("go", "build", "-buildvcs=false", "-o", shmemgen, "github.com/shmemgen/shmemgen")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("building shmemgen: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// goldenCases lists the folders under golden/: each holds args, the
// arguments given to "shmemgen new" one a line, and want/, the whole tree
// it must write; and, optionally, templates/, given as --templates.
func goldenCases(t *testing.T) []string {
	entries, err := os.ReadDir("../golden")
	if err != nil {
		t.Fatal(err)
	}
	var cases []string
	for _, e := range entries {
		if e.IsDir() {
			cases = append(cases, e.Name())
		}
	}
	if len(cases) == 0 {
		t.Fatal("no golden cases")
	}
	return cases
}

func readArgs(t *testing.T, name string) []string {
	data, err := os.ReadFile(filepath.Join("../golden", name, "args"))
	if err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, line := range strings.Split(string(data), "\n") {
		if line != "" {
			args = append(args, line)
		}
	}
	return args
}

// generate runs "shmemgen new" with the case's args into a fresh directory
// named after the case, so that the default module path is
// example.com/<case>.
func generate(t *testing.T, name string) map[string]treetest.File {
	t.Helper()
	tmp := t.TempDir()
	out := filepath.Join(tmp, name)
	args := append([]string{"new"}, readArgs(t, name)...)
	args = append(args, "--out", out)
	// A copy beside the output, so that the answers file records the
	// overlay as ../templates wherever the test runs.
	if tmpls, err := treetest.Read(filepath.Join("../golden", name, "templates")); err == nil {
		if err := treetest.Replace(filepath.Join(tmp, "templates"), tmpls); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--templates", filepath.Join(tmp, "templates"))
	} else if !os.IsNotExist(err) {
		t.Fatal(err)
	}
	cmd := exec.Command(shmemgen, args...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("shmemgen %s: %v\n%s", strings.Join(args, " "), err, msg)
	}
	tree, err := treetest.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func TestGolden(t *testing.T) {
	for _, name := range goldenCases(t) {
		t.Run(name, func(t *testing.T) {
			got := generate(t, name)
			wantDir := filepath.Join("../golden", name, "want")
			if *update {
				if err := treetest.Replace(wantDir, got); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := treetest.Read(wantDir)
			if err != nil {
				t.Fatalf("%v (run go test ./gen -update)", err)
			}
			if diff := treetest.Diff(got, want); diff != "" {
				t.Errorf("shmemgen new differs from golden/%s/want (go test ./gen -update rewrites it; review the diff):\n%s", name, diff)
			}
		})
	}
}

// TestGoldenDeterministic renders each case twice: the bytes must not
// depend on time, map order or anything else outside the arguments.
func TestGoldenDeterministic(t *testing.T) {
	for _, name := range goldenCases(t) {
		if diff := treetest.Diff(generate(t, name), generate(t, name)); diff != "" {
			t.Errorf("%s: two runs differ:\n%s", name, diff)
		}
	}
}

// TestExamplesCurrent fails when a checked-in example has drifted from
// what the generator writes; go generate ./... at the root rewrites them.
func TestExamplesCurrent(t *testing.T) {
	entries, err := os.ReadDir("../examples")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 2 {
		t.Fatalf("want at least two examples, have %d", len(entries))
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			if _, err := os.Stat(filepath.Join("../golden", e.Name(), "args")); err != nil {
				t.Fatalf("examples/%s has no golden case of the same name to say how it is generated", e.Name())
			}
			got, err := treetest.Read(filepath.Join("../examples", e.Name()), "bin")
			if err != nil {
				t.Fatal(err)
			}
			if diff := treetest.Diff(got, generate(t, e.Name())); diff != "" {
				t.Errorf("examples/%s is stale (go generate ./... rewrites it):\n%s", e.Name(), diff)
			}
		})
	}
}
