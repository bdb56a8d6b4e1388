package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/config"
)

// TestReadmeChangeInput runs the README's "Change an input" block, exactly
// as printed, on the project its "First round trip" made, after that
// round trip: the editor makes the change the block's comment gives as
// its example (e.g. size: 64KiB). On Linux the segment of the old build
// outlives it; the block must still end in a round trip, on a segment of
// the new size.
func TestReadmeChangeInput(t *testing.T) {
	serial(t)
	lin.require(t)
	install, _ := readmeBlocks(t, "Install")
	trip, _ := readmeBlocks(t, "First round trip")
	change, _ := readmeBlocks(t, "Change an input")

	name := readmeSegment(t, trip[0][0])
	segment := "/dev/shm/" + name

	// The editor: the block's $EDITOR line says which change it means.
	example := regexp.MustCompile(`^\$EDITOR shmemgen\.yaml\s+#\s*e\.g\.\s*([a-z-]+): (\S+)`)
	var key, value string
	for _, line := range change[0] {
		if m := example.FindStringSubmatch(line); m != nil {
			key, value = m[1], m[2]
		}
	}
	if key != "size" {
		t.Fatalf("README's change block gives no example size for $EDITOR (want `$EDITOR shmemgen.yaml  # e.g. size: 64KiB`):\n%s", strings.Join(change[0], "\n"))
	}
	size, err := config.ParseSize(value)
	if err != nil {
		t.Fatalf("README's example size: %v", err)
	}
	payload := int64(size)
	tools := t.TempDir()
	editor := filepath.Join(tools, "editor")
	script := "#!/bin/sh\nsed -i 's/^  " + key + ": .*/  " + key + ": " + value + "/' \"$1\"\n"
	if err := os.WriteFile(editor, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}

	gobin := t.TempDir()
	cmd := exec.Command("sh", "-c", strings.Join(install[0], "\n"))
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "GOBIN="+gobin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("README's install, from the clone: %v\n%s", err, out)
	}

	work := t.TempDir()
	run := func(what string, block []string) string {
		t.Helper()
		script := strings.Join(block, "\n")
		cmd := exec.Command(bash(), "-e", "-c", script)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "PATH="+gobin+string(os.PathListSeparator)+os.Getenv("PATH"), "EDITOR="+editor)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("README's %s:\n%s\n: %v\n%s", what, script, err, out)
		}
		return string(out)
	}
	run("first round trip", trip[0])
	// The change block runs in the project, where the round trip's cd left
	// the newcomer.
	out := run("change of an input", append([]string{"cd " + name}, change[0]...))
	if want := "Child process read from shared memory: This is a test string"; !strings.Contains(out, want) {
		t.Errorf("README's change of an input printed\n%s\nwant a line %q", out, want)
	}
	answers, err := os.ReadFile(filepath.Join(work, name, "shmemgen.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// generate records the size in bytes.
	recorded := "none"
	if m := regexp.MustCompile(`(?m)^  size: (\S+)$`).FindSubmatch(answers); m != nil {
		recorded = string(m[1])
	}
	if got, err := config.ParseSize(recorded); err != nil || got != size {
		t.Errorf("shmemgen.yaml records size %s, want the editor's %s (%d)", recorded, value, size)
	}
	if st, err := os.Stat(segment); err != nil || st.Size() <= payload || st.Size() > payload+4096 {
		t.Errorf("after the change, %s: %v, want the new build's, %s and a header", segment, err, value)
	}
}
