package e2e

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/internal/ci"
)

// rustWindowsTarget is the Rust target of the Windows programs mingw-w64
// links.
const rustWindowsTarget = "x86_64-pc-windows-gnu"

// windowsRustc returns a rustc that has rustWindowsTarget's standard
// library: RUSTC_WINDOWS, or the first of rustc on PATH (rustup's, which
// has it after rustup target add) and Debian's /usr/bin/rustc (which has it
// with libstd-rust-dev-windows, as .ci/run installs). It skips the test
// without one (fails it under CI).
func windowsRustc(tb testing.TB) string {
	tb.Helper()
	candidates := []string{os.Getenv("RUSTC_WINDOWS"), "rustc", "/usr/bin/rustc"}
	for _, rustc := range candidates {
		if rustc == "" {
			continue
		}
		out, err := exec.Command(rustc, "--print", "sysroot").Output()
		if err != nil {
			continue
		}
		lib := filepath.Join(strings.TrimSpace(string(out)), "lib", "rustlib", rustWindowsTarget, "lib")
		if _, err := os.Stat(lib); err == nil {
			return rustc
		}
	}
	ci.SkipOrFail(tb, errors.New("no rustc with the "+rustWindowsTarget+" standard library (Debian: apt-get install libstd-rust-dev-windows; rustup: rustup target add "+rustWindowsTarget+"; or name one with RUSTC_WINDOWS)"))
	return ""
}

// TestBindingsRustWine cross-builds the Rust binding's parent and child
// for Windows (rustc --target x86_64-pc-windows-gnu, linked by mingw-w64)
// and runs them under Wine against the project's DLL: the Rust parent with
// the Rust child and with the C child, and the C parent with the Rust
// child, on a text with surrogate pairs. The C# binding's programs cannot
// run here (Wine has no Mono: wine-mono is not packaged), and Python for
// Windows is not installed: those are proven on Linux only.
func TestBindingsRustWine(t *testing.T) {
	serial(t)
	win.require(t)
	rustc := windowsRustc(t)
	dir := sharedProject(t, "bindings-rust", withOS("--bindings", "rust")...)
	bin := filepath.Join(dir, "bin")
	out := t.TempDir()
	rlib := filepath.Join(out, "libsharedmem.rlib")
	rs := filepath.Join(dir, "bindings", "rust", "src")
	common := []string{"--target", rustWindowsTarget, "-C", "linker=" + envOr("CC", "x86_64-w64-mingw32-gcc"), "--edition", "2021", "-O", "-D", "warnings"}
	for _, args := range [][]string{
		{"--crate-type", "rlib", "--crate-name", "sharedmem", "-o", rlib, filepath.Join(rs, "lib.rs")},
		{"--crate-name", "parent", "--extern", "sharedmem=" + rlib, "-o", filepath.Join(bin, "parent-rs.exe"), filepath.Join(rs, "bin", "parent.rs")},
		{"--crate-name", "child", "--extern", "sharedmem=" + rlib, "-o", filepath.Join(bin, "child-rs.exe"), filepath.Join(rs, "bin", "child.rs")},
	} {
		argv := append(slices.Clone(common), args...)
		if out, err := exec.Command(rustc, argv...).CombinedOutput(); err != nil {
			t.Fatalf("%s %s: %v\n%s", rustc, strings.Join(argv, " "), err, out)
		}
	}
	child := func(name string) string { return win.ChildArg(win.path(filepath.Join(bin, win.Prog(name)))) }
	text := `héllo 😀 𝄞 "wörld"`
	t.Run("Rust parent, Rust child", func(t *testing.T) {
		wantLine(t, win.run(t, bin, "parent-rs.exe"), "This is a test string")
		wantLine(t, win.run(t, bin, "parent-rs.exe", child("child-rs"), text), text)
	})
	t.Run("Rust parent, C child", func(t *testing.T) {
		wantLine(t, win.run(t, bin, "parent-rs.exe", child("child"), text), text)
	})
	t.Run("C parent, Rust child", func(t *testing.T) {
		wantLine(t, win.run(t, bin, win.Prog("parent"), child("child-rs"), text), text)
	})
}
