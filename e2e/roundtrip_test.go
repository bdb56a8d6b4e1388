package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shmemgen/shmemgen/verify"
)

const childLine = "Child process read from shared memory: "

// wantLine fails unless r succeeded and printed the child's line for text.
func wantLine(t *testing.T, r result, text string) {
	t.Helper()
	if r.status != 0 || !strings.Contains(r.stdout, childLine+text+"\n") {
		t.Errorf("want status 0 and %q, got %s", childLine+text, r)
	}
}

func wantExports(t *testing.T, dll string, want ...string) {
	t.Helper()
	got, err := verify.Exports(dll)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s exports %v, want exactly %v", filepath.Base(dll), got, want)
	}
}

func TestDefaults(t *testing.T) {
	serial(t)
	dir := defaultProject(t)
	bin := filepath.Join(dir, "bin")
	t.Run("linux", func(t *testing.T) {
		lin.require(t)
		lin.fresh(t)
		for _, f := range []string{"libshmem.so", "shmem.h", "parent", "child", "parent-go", "child-go"} {
			if _, err := os.Stat(filepath.Join(bin, f)); err != nil {
				t.Fatalf("build.sh linux did not make bin/%s", f)
			}
		}
		roundTrips(t, lin, bin)
	})
	win.require(t)
	for _, f := range []string{"shmem.dll", "shmem.h", "parent.exe", "child.exe", "parent-go.exe", "child-go.exe"} {
		if _, err := os.Stat(filepath.Join(bin, f)); err != nil {
			t.Fatalf("build.sh did not make bin/%s", f)
		}
	}
	wantExports(t, filepath.Join(bin, "shmem.dll"), "GetSharedMem", "ReadSharedBytes", "SetSharedMem",
		"SharedMemLastError", "SharedMemLength", "SharedMemSize", "UnlinkSharedMem", "WaitSharedMem", "WriteSharedBytes")

	t.Run("go vet for windows", func(t *testing.T) {
		vet := exec.Command("go", "vet", "./...")
		vet.Dir = dir
		vet.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=1", "CC="+win.cc)
		if out, err := vet.CombinedOutput(); err != nil {
			t.Errorf("go vet in the generated project: %v\n%s", err, out)
		}
	})
	t.Run("imports only system DLLs", func(t *testing.T) {
		// Anything else, such as libgcc_s_seh-1.dll, would have to ship
		// beside the DLL.
		libs := importedDLLs(t, filepath.Join(bin, "shmem.dll"))
		if want := []string{"kernel32.dll", "msvcrt.dll"}; !reflect.DeepEqual(libs, want) {
			t.Errorf("shmem.dll imports %v, want %v", libs, want)
		}
	})
	roundTrips(t, win, bin)
	t.Run("sample hosts", func(t *testing.T) {
		// The sample's own parent.cpp and child.cpp, unchanged, against the
		// generated DLL: the ABI is the sample's.
		seed := sampleDir(t)
		for _, prog := range []string{"parent", "child"} {
			mingw(t, win.cxx, "-O2", "-o", filepath.Join(bin, "sample-"+prog+".exe"),
				filepath.Join(seed, prog+".cpp"), filepath.Join(bin, "shmem.dll"), "-static-libgcc", "-static-libstdc++")
		}
		wantLine(t, run(t, bin, "sample-parent.exe", "sample-child.exe"), "This is a test string")
	})
	t.Run("header compiles as C++", func(t *testing.T) {
		src := filepath.Join(t.TempDir(), "use.cpp")
		code := "#include \"shmem.h\"\nint main() { WCHAR buf[8]; SetSharedMem((LPWSTR)L\"x\"); return GetSharedMem(buf, 8) ? 0 : 1; }\n"
		if err := os.WriteFile(src, []byte(code), 0o644); err != nil {
			t.Fatal(err)
		}
		mingw(t, win.cxx, "-Wall", "-Werror", "-I", bin, "-o", filepath.Join(bin, "use-cpp.exe"), src, filepath.Join(bin, "shmem.dll"))
		if r := run(t, bin, "use-cpp.exe"); r.status != 0 {
			t.Errorf("C++ caller: %s", r)
		}
	})
}

// roundTrips runs the C and Go parents and children in bin on h, as
// subtests: the pairs, crossed pairs, non-ASCII text, a cut, a child that
// waits for the next write, the child's exit status and a child that
// cannot start.
func roundTrips(t *testing.T, h *host, bin string) {
	child := func(name string) string { return h.ChildArg(h.path(filepath.Join(bin, h.Prog(name)))) }
	parent, parentGo := h.Prog("parent"), h.Prog("parent-go")
	t.Run("C hosts", func(t *testing.T) {
		wantLine(t, h.run(t, bin, parent), "This is a test string")
	})
	t.Run("Go hosts", func(t *testing.T) {
		wantLine(t, h.run(t, bin, parentGo), "This is a test string")
	})
	t.Run("C parent, Go child", func(t *testing.T) {
		wantLine(t, h.run(t, bin, parent, child("child-go"), "from C"), "from C")
	})
	t.Run("Go parent, C child", func(t *testing.T) {
		wantLine(t, h.run(t, bin, parentGo, child("child"), "from Go"), "from Go")
	})
	t.Run("non-ASCII and surrogate pairs", func(t *testing.T) {
		text := `ünïcödé 😀 𝄞 "quoted" %s`
		wantLine(t, h.run(t, bin, parent, child("child"), text), text)
		wantLine(t, h.run(t, bin, parentGo, child("child-go"), text), text)
	})
	t.Run("text longer than the mapping is cut, and says so", func(t *testing.T) {
		// 4096 bytes hold 2047 characters and the terminator.
		long := strings.Repeat("x", 3000)
		for _, p := range []string{parent, parentGo} {
			r := h.run(t, bin, p, child("child"), long)
			wantLine(t, r, long[:2047])
			if !strings.Contains(r.stderr, "cut to fit the mapping") {
				t.Errorf("%s with %d characters: want a warning on stderr, got %s", p, len(long), r)
			}
		}
	})
	t.Run("child waits for the next write", func(t *testing.T) {
		for _, c := range []string{h.Prog("child"), h.Prog("child-go")} {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			cmd := h.command(t, ctx, bin, c, "--next")
			var out strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			// Write until the child has woken for one: it may start
			// after the first write, and must then wait for the next.
			var err error
		writing:
			for range 60 {
				h.run(t, bin, parent, h.exitCommand(t, bin, 0), "the next value")
				select {
				case err = <-done:
					break writing
				case <-time.After(time.Second):
				}
			}
			cancel()
			if err != nil || !strings.Contains(strings.ReplaceAll(out.String(), "\r\n", "\n"), childLine+"the next value\n") {
				t.Errorf("%s --next: %v\n%s", c, err, out.String())
			}
		}
	})
	t.Run("exit status of the child", func(t *testing.T) {
		for _, p := range []string{parent, parentGo} {
			if r := h.run(t, bin, p, h.exitCommand(t, bin, 7)); r.status != 7 {
				t.Errorf("%s with a child exiting 7: %s", p, r)
			}
		}
	})
	t.Run("child that cannot start", func(t *testing.T) {
		missing := h.path(filepath.Join(string(filepath.Separator), "no", "such", h.Prog("child")))
		// On Windows the parent's CreateProcess fails, and the parent
		// says so; on Linux the parent's /bin/sh -c says it, exiting 127.
		want := "parent"
		if h.System == "linux" {
			want = missing
		}
		for _, p := range []string{parent, parentGo} {
			r := h.run(t, bin, p, missing)
			if r.status == 0 || !strings.Contains(r.stderr, want) {
				t.Errorf("%s with a missing child: want a failure on stderr naming %q, got %s", p, want, r)
			}
		}
	})
}

// customArgs are TestCustom's project's flags: every name its own.
var customArgs = []string{"--name", `Local\Telemetry e2e`, "--size", "1MiB",
	"--set", "PutText", "--get", "TakeText", "--write-bytes", "PutBytes", "--read-bytes", "TakeBytes",
	"--size-export", "PayloadSize", "--length", "TextLength", "--wait", "AwaitText", "--status", "LastStatus",
	"--dll", "telemetry",
	"--module", "github.com/acme/telemetry"}

func TestCustom(t *testing.T) {
	alone(t) // its own mapping name
	win.require(t)
	dir := newProject(t, "telemetry", customArgs...)
	bin := filepath.Join(dir, "bin")
	wantExports(t, filepath.Join(bin, "telemetry.dll"), "AwaitText", "LastStatus", "PayloadSize", "PutBytes", "PutText",
		"TakeBytes", "TakeText", "TextLength", "UnlinkSharedMem")
	wantLine(t, run(t, bin, "parent.exe"), "This is a test string")
	wantLine(t, run(t, bin, "parent-go.exe"), "This is a test string")
	// 20,000 characters: more than 4KiB holds, less than the 32,767 of a
	// Windows command line.
	long := strings.Repeat("0123456789", 2000)
	wantLine(t, run(t, bin, "parent.exe", "child.exe", long), long)
	// The Go child reads the whole string through the length export.
	wantLine(t, run(t, bin, "parent-go.exe", "child-go.exe", long), long)
}

// nearMissNames are TestNearMissNames's exports, by flag.
var nearMissNames = map[string]string{
	"set": "SleepShm", "get": "ShmCreateFile", "write-bytes": "GoStringShm", "read-bytes": "nearShm",
	"size-export": "ShmMAX_PATH", "length": "fopenShm", "wait": "ShmSleepEx", "status": "ShmWAIT_ABANDONED",
	"unlink": "ShmUnlinkShm",
}

// nearMissArgs are shmemgen new's flags for nearMissNames.
func nearMissArgs() []string {
	args := []string{"--dll", "nearmiss"}
	for flag, name := range nearMissNames {
		args = append(args, "--"+flag, name)
	}
	return args
}

// TestNearMissNames builds and runs a project whose exports are names that
// validation accepts although they lie next to ones windows.h, the C
// runtime or cgo declare: the list of refused names must not let through a
// name the build cannot take. (config's TestAcceptedNamesCompile checks a
// larger sample against the headers alone.)
func TestNearMissNames(t *testing.T) {
	serial(t)
	win.require(t)
	var want []string
	for _, name := range nearMissNames {
		want = append(want, name)
	}
	slices.Sort(want)
	bin := filepath.Join(newProject(t, "nearmiss", nearMissArgs()...), "bin")
	wantExports(t, filepath.Join(bin, "nearmiss.dll"), want...)
	wantLine(t, run(t, bin, "parent.exe"), "This is a test string")
	wantLine(t, run(t, bin, "parent-go.exe"), "This is a test string")
}
