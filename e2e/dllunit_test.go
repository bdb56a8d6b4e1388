package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDLLUnit runs the generated DLL package's own tests on the Windows
// host: which failed setups retry, and which integrity levels --trust
// owner trusts in an object's label, read from SDDL and from the token.
// The test executable is the package built as a program, so its setup
// runs as the DLL's would, on the default project's names.
func TestDLLUnit(t *testing.T) {
	serial(t)
	win.require(t)
	dir := defaultProject(t)
	exe := filepath.Join(t.TempDir(), "dll.test.exe")
	build := exec.Command("go", "test", "-c", "-o", exe, "./dll")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=1", "CC="+win.cc)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go test -c ./dll: %v\n%s", err, out)
	}
	r := run(t, filepath.Dir(exe), filepath.Base(exe), "-test.v")
	for _, want := range []string{"--- PASS: TestRetryable", "--- PASS: TestIntegrityFloor",
		"--- PASS: TestMandatoryLevel", "--- PASS: TestProcessIntegrity"} {
		if r.status != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("got %s\nwant %q", r, want)
		}
	}
}
