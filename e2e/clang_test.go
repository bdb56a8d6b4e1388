package e2e

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/internal/ci"
)

// mingwIncludeDir returns the directory of mingw-w64's windows.h, from the
// include search list mingw-w64's gcc prints.
func mingwIncludeDir(t *testing.T) string {
	t.Helper()
	cmd := exec.Command(win.cc, "-xc", "-E", "-Wp,-v", "-")
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s -E -v: %v\n%s", win.cc, err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if dir := strings.TrimSpace(line); strings.HasPrefix(line, " /") {
			if _, err := os.Stat(filepath.Join(dir, "windows.h")); err == nil {
				return dir
			}
		}
	}
	t.Fatalf("%s searches no directory with windows.h:\n%s", win.cc, out)
	return ""
}

// TestHeaderClangMSVC compiles the generated header, as C and as C++, with
// clang for the MSVC target, x86_64-pc-windows-msvc (_MSC_VER defined, the
// MSVC ABI), against mingw-w64's Windows headers: a header that only gcc
// accepts would fail MSVC users. -fgnuc-version lets mingw-w64's headers
// see a GNU compiler, as they require. Without clang the test skips, and
// under CI fails: .ci/run installs it.
func TestHeaderClangMSVC(t *testing.T) {
	serial(t)
	win.require(t)
	clang, err := exec.LookPath("clang")
	if err != nil {
		ci.SkipOrFail(t, errors.New("clang is not on PATH: install it to check the header under the MSVC target (Debian: apt-get install clang)"))
	}
	bin := filepath.Join(defaultProject(t), "bin")
	include := mingwIncludeDir(t)
	for _, lang := range []string{"c", "c++"} {
		args := []string{"--target=x86_64-pc-windows-msvc", "-fgnuc-version=4.2.1", "-fsyntax-only",
			"-Wall", "-Wextra", "-Werror", "-x", lang, "-isystem", include, "-I", bin, filepath.Join("testdata", "header.c")}
		if out, err := exec.Command(clang, args...).CombinedOutput(); err != nil {
			t.Errorf("clang %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
