package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// readmeBlocks returns the indented code blocks of the repository's
// README.md under the heading ## title, each as its lines with the
// indentation removed, and the README line each starts on.
func readmeBlocks(tb testing.TB, title string) (blocks [][]string, starts []int) {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		tb.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	in := false
	var block []string
	flush := func(i int) {
		if block != nil {
			blocks = append(blocks, block)
			starts = append(starts, i-len(block)+1)
			block = nil
		}
	}
	for i, line := range lines {
		if strings.HasPrefix(line, "## ") {
			flush(i)
			in = line == "## "+title
			continue
		}
		if !in {
			continue
		}
		if code, ok := strings.CutPrefix(line, "    "); ok {
			block = append(block, code)
		} else if strings.TrimSpace(line) != "" {
			flush(i)
		}
	}
	flush(len(lines))
	if len(blocks) == 0 {
		tb.Fatalf("README.md has no code block under ## %s", title)
	}
	return blocks, starts
}

// TestReadmeFirstHour is a newcomer's first hour on Linux as the README's
// first screen tells it: the install line, run from this clone, then the
// first round trip's commands as printed — shmemgen new, ./build.sh linux,
// bin/parent — with nothing but the installed command on PATH. It then
// proves the generated generate.go works for a command installed that way.
func TestReadmeFirstHour(t *testing.T) {
	serial(t)
	lin.require(t)
	install, installAt := readmeBlocks(t, "Install")
	trip, tripAt := readmeBlocks(t, "First round trip")
	// The first screen: a newcomer sees both without scrolling.
	if last := tripAt[0] + len(trip[0]); last > 45 {
		t.Errorf("the first round trip ends on README line %d; it belongs on the first screen (45 lines)", last)
	}
	if got := strings.Join(install[0], "\n"); got != "go install ." {
		t.Errorf("README's install block = %q, want the one that works from a clone: go install .", got)
	}
	if installAt[0] > tripAt[0] {
		t.Error("README gives the round trip before the install")
	}
	for _, block := range install {
		for _, line := range block {
			if strings.Contains(line, "@latest") {
				t.Errorf("README's install block runs %q: the module is not published, so the proxy refuses it", line)
			}
		}
	}

	gobin := t.TempDir()
	cmd := exec.Command("sh", "-c", strings.Join(install[0], "\n"))
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "GOBIN="+gobin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("README's install, from the clone: %v\n%s", err, out)
	}
	path := gobin + string(os.PathListSeparator) + os.Getenv("PATH")

	// The round trip makes the segment /dev/shm/NAME, NAME as the README
	// gives it; clear one a previous run left, and this run's.
	script := strings.Join(trip[0], "\n")
	name := readmeSegment(t, trip[0][0])

	work := t.TempDir()
	cmd = exec.Command(bash(), "-e", "-c", script)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "PATH="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("README's first round trip:\n%s\n: %v\n%s", script, err, out)
	}
	if want := "Child process read from shared memory: This is a test string"; !strings.Contains(string(out), want) {
		t.Errorf("README's first round trip printed\n%s\nwant a line %q", out, want)
	}

	// generate.go's directive runs the command the README installed.
	gen := exec.Command("go", "generate", "./...")
	gen.Dir = filepath.Join(work, name)
	gen.Env = append(os.Environ(), "PATH="+path)
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("go generate ./... in the project, shmemgen installed from the clone: %v\n%s", err, out)
	}
}

// readmeSegment returns the mapping name the README's first round trip
// gives new (its --name) and clears its segment, /dev/shm/NAME, which a
// previous run may have left, now and when the test ends.
func readmeSegment(t *testing.T, newLine string) string {
	t.Helper()
	var name string
	if fields := strings.Fields(newLine); len(fields) > 0 {
		for i, f := range fields[:len(fields)-1] {
			if f == "--name" {
				name = fields[i+1]
			}
		}
	}
	if name == "" {
		t.Fatalf("README's first round trip gives no --name: %q", newLine)
	}
	segment := "/dev/shm/" + name
	os.Remove(segment)
	t.Cleanup(func() { os.Remove(segment) })
	return name
}
