package wine_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/internal/testenv"
)

// TestProjectRunScript runs a generated project's run.sh as a Linux user
// would, on a Go program (which needs ProcessPrng): it must make its own
// prefix from the stub source the project ships, and run the program there
// with its arguments, its output on run.sh's stdout.
func TestProjectRunScript(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: run.sh makes its own Wine prefix (~12 s)")
	}
	t.Parallel() // run.sh's own prefix: its wineboot overlaps TestWine's
	testenv.RequireWine(t)
	files, err := gen.Render(config.Default("x"), gen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"run.sh", "wine/bcryptprimitives.c"} {
		f, _ := files.Lookup(name)
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), f.Data, f.Mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "hello"), 0o755); err != nil {
		t.Fatal(err)
	}
	testenv.WriteFile(t, filepath.Join(dir, "hello", "main.go"), `package main

import (
	"crypto/rand"
	"fmt"
	"os"
)

func main() {
	b := make([]byte, 16)
	rand.Read(b)
	fmt.Printf("hello %q rand=%x\n", os.Args[1:], b)
}
`)
	testenv.Run(t, filepath.Join(dir, "hello"), []string{"CGO_ENABLED=0", "GOOS=windows", "GOARCH=amd64", "GOFLAGS=", "GO111MODULE=off"},
		"go", "build", "-o", filepath.Join(dir, "bin", "hello.exe"), "main.go")

	prefix := filepath.Join(dir, ".wine")
	t.Cleanup(func() {
		kill := exec.Command("wineserver", "-k")
		kill.Env = append(os.Environ(), "WINEPREFIX="+prefix)
		kill.Run()
	})
	// The second run reuses the prefix, and names the program as bin/ shows it.
	for i, program := range []string{"hello.exe", "bin/hello"} {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		cmd := exec.CommandContext(ctx, "./run.sh", program, "a b", "c")
		cmd.Dir = dir
		cmd.WaitDelay = 10 * time.Second
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		cancel()
		if err != nil {
			t.Fatalf("run %d: ./run.sh %s: %v\nstdout:\n%s\nstderr:\n%s", i+1, program, err, out, stderr.String())
		}
		if want := `hello ["a b" "c"] rand=`; !strings.Contains(string(out), want) || strings.Contains(string(out), strings.Repeat("00", 16)) {
			t.Errorf("run %d: stdout %q, want %q and random bytes", i+1, out, want)
		}
		made := strings.Contains(stderr.String(), "making a Wine prefix")
		if made != (i == 0) {
			t.Errorf("run %d: made a prefix: %v\n%s", i+1, made, stderr.String())
		}
	}
	if _, err := os.Stat(filepath.Join(prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll")); err != nil {
		t.Errorf("the stub is not in the project's prefix: %v", err)
	}
}

// TestRunScriptSaysWhatIsMissing runs a generated project's run.sh where
// something it needs is missing, and with stand-ins for Wine: --help
// prints its usage; without bin/, or without the program, it says to build
// (not Wine's c0000135); without Wine or mingw-w64 it says what to install
// (not "making a Wine prefix" and a 127); and the program is found in bin/
// whether it is named parent, parent.exe or bin/parent.exe.
func TestRunScriptSaysWhatIsMissing(t *testing.T) {
	files, err := gen.Render(config.Default("x"), gen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	project := func(t *testing.T, programs ...string) string {
		dir := t.TempDir()
		for _, name := range []string{"run.sh", "wine/bcryptprimitives.c"} {
			f, _ := files.Lookup(name)
			if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), f.Data, f.Mode); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range programs {
			if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
				t.Fatal(err)
			}
			testenv.WriteFile(t, filepath.Join(dir, "bin", p), "MZ")
		}
		return dir
	}
	// The shell and what run.sh runs before Wine; never wine, wineserver
	// or mingw-w64.
	tools := testenv.PathWith(t, "bash", "dirname")
	// Stand-ins for Wine: wine prints what it would run.
	fakeWine := t.TempDir()
	testenv.WriteFile(t, filepath.Join(fakeWine, "wine"), "#!/bin/sh\n[ \"$1\" = wineboot ] && exit 0\necho \"wine $*\"\n")
	testenv.WriteFile(t, filepath.Join(fakeWine, "wineserver"), "#!/bin/sh\nexit 0\n")
	for _, f := range []string{"wine", "wineserver"} {
		if err := os.Chmod(filepath.Join(fakeWine, f), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// A prefix that already has its stub: run.sh needs no compiler.
	prefix := t.TempDir()
	system32 := filepath.Join(prefix, "drive_c", "windows", "system32")
	if err := os.MkdirAll(system32, 0o755); err != nil {
		t.Fatal(err)
	}
	testenv.WriteFile(t, filepath.Join(system32, "bcryptprimitives.dll"), "MZ")

	runSh := func(t *testing.T, dir, path, prefix string, args ...string) (stdout, stderr string, code int) {
		t.Helper()
		cmd := exec.Command(filepath.Join(dir, "run.sh"), args...)
		cmd.Dir = t.TempDir() // run.sh finds its project itself
		cmd.Env = append(os.Environ(), "PATH="+path, "SHMEM_WINEPREFIX="+prefix, "CC=")
		var out, errOut strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		if _, ok := err.(*exec.ExitError); err != nil && !ok {
			t.Fatal(err)
		}
		return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
	}
	withWine := fakeWine + string(os.PathListSeparator) + tools

	for _, flag := range []string{"--help", "-h"} {
		t.Run(flag, func(t *testing.T) {
			out, errOut, code := runSh(t, project(t), tools, prefix, flag)
			if code != 0 || !strings.HasPrefix(out, "usage: ./run.sh [PROGRAM [ARGS...]]\n") || !strings.Contains(out, "./build.sh") || errOut != "" {
				t.Errorf("./run.sh %s: exit %d\nstdout:\n%s\nstderr:\n%s\nwant exit 0 and the usage on stdout", flag, code, out, errOut)
			}
		})
	}
	t.Run("no bin", func(t *testing.T) {
		_, errOut, code := runSh(t, project(t), withWine, prefix)
		if want := "run.sh: nothing is built yet (no bin/): run ./build.sh windows first\n"; code != 1 || errOut != want {
			t.Errorf("./run.sh without bin/: exit %d, stderr:\n%s\nwant exit 1 and:\n%s", code, errOut, want)
		}
	})
	t.Run("not built", func(t *testing.T) {
		_, errOut, code := runSh(t, project(t, "child.exe", "child-go.exe"), withWine, prefix, "parent")
		want := "run.sh: bin/parent.exe does not exist: build it with ./build.sh windows\n(the programs built: child-go.exe child.exe)\n"
		if code != 1 || errOut != want {
			t.Errorf("./run.sh parent without bin/parent.exe: exit %d, stderr:\n%s\nwant exit 1 and:\n%s", code, errOut, want)
		}
	})
	t.Run("Linux build only", func(t *testing.T) {
		dir := project(t)
		if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "bin", "parent"), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		_, errOut, code := runSh(t, dir, withWine, prefix, "parent")
		want := "run.sh: bin/parent.exe does not exist: build it with ./build.sh windows\nbin/parent is a Linux program: run it directly, without run.sh\n"
		if code != 1 || errOut != want {
			t.Errorf("./run.sh parent with only the Linux build: exit %d, stderr:\n%s\nwant exit 1 and:\n%s", code, errOut, want)
		}
	})
	t.Run("no Wine", func(t *testing.T) {
		_, errOut, code := runSh(t, project(t, "parent.exe"), tools, t.TempDir())
		if code != 1 || !strings.HasPrefix(errOut, "run.sh: Wine is not installed") || !strings.Contains(errOut, "apt-get install wine wine64") || strings.Contains(errOut, "making a Wine prefix") {
			t.Errorf("./run.sh without Wine: exit %d, stderr:\n%s\nwant exit 1, that Wine is missing and how to install it", code, errOut)
		}
	})
	t.Run("no mingw-w64", func(t *testing.T) {
		_, errOut, code := runSh(t, project(t, "parent.exe"), withWine, t.TempDir())
		if code != 1 || !strings.HasPrefix(errOut, "run.sh: x86_64-w64-mingw32-gcc is not installed") || !strings.Contains(errOut, "apt-get install mingw-w64") || strings.Contains(errOut, "making a Wine prefix") {
			t.Errorf("./run.sh without mingw-w64 and no prefix yet: exit %d, stderr:\n%s\nwant exit 1, that mingw-w64 is missing and how to install it", code, errOut)
		}
	})
	for _, tc := range []struct{ args []string }{
		{nil},
		{[]string{"parent", "a b", "c"}},
		{[]string{"parent.exe", "a b", "c"}},
		{[]string{"bin/parent.exe", "a b", "c"}},
		{[]string{"./bin/parent", "a b", "c"}},
	} {
		t.Run(strings.Join(append([]string{"run.sh"}, tc.args...), " "), func(t *testing.T) {
			out, errOut, code := runSh(t, project(t, "parent.exe"), withWine, prefix, tc.args...)
			want := "wine bin/parent.exe"
			if len(tc.args) > 0 {
				want += " a b c"
			}
			if code != 0 || out != want+"\n" {
				t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s\nwant wine to run: %s", code, out, errOut, want)
			}
		})
	}
}
