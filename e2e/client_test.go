package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestClientUnit runs the generated client package's own tests on the Windows host:
// that Get never passes a cut buffer length through the get export's DWORD
// (checked at the limits without allocating them), and that Load never
// looks the DLL up on the search path, though a copy sits beside the test
// executable in bin/, and makes a relative path absolute.
func TestClientUnit(t *testing.T) {
	serial(t)
	win.require(t)
	dir := defaultProject(t)
	bin := filepath.Join(dir, "bin")
	exe := filepath.Join(bin, "client.test.exe")
	build := exec.Command("go", "test", "-c", "-o", exe, "./client")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go test -c ./client: %v\n%s", err, out)
	}
	r := win.runEnv(t, []string{"SHMEMGEN_DLL=" + win.path(filepath.Join(bin, "shmem.dll"))}, bin, "client.test.exe", "-test.v")
	for _, want := range []string{"--- PASS: TestGetBufferLen", "--- PASS: TestTold", "--- PASS: TestLoadNeverSearches", `loaded bin\shmem.dll from `} {
		if r.status != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("got %s\nwant %q", r, want)
		}
	}
}
