package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shmemgen/shmemgen/internal/ci"
)

// bindingTools are the programs --bindings csharp,python,rust needs on
// Linux: mcs and mono for C#, python3, rustc (and cargo, which the README
// tells users of the Rust binding to use).
var bindingTools = []string{"mcs", "mono", "python3", "rustc", "cargo"}

// requireBindingTools skips the test (fails it under CI) without them.
func requireBindingTools(tb testing.TB) {
	tb.Helper()
	var missing []string
	for _, tool := range bindingTools {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) > 0 {
		ci.SkipOrFail(tb, fmt.Errorf("the bindings need %s on PATH (Debian: apt-get install mono-mcs mono-runtime python3 rustc cargo)", strings.Join(missing, ", ")))
	}
}

// language is a language's parent and child, as commands.
type language struct {
	name          string
	parent, child []string
}

// bindingsName is the mapping name of the project of the bindings test
// what: one of this process's own, so that the test runs beside others.
func bindingsName(what string) string {
	return fmt.Sprintf("shmemgen-e2e-%s-%d", what, os.Getpid())
}

// bindingsArgs is shmemgen new's args for a bindings test's project:
// every binding, under the mapping name bindingsName(what). (The record
// test's project then gets its record from addEveryType.)
func bindingsArgs(what string) []string {
	return []string{"--os", "windows,linux", "--name", `Local\` + bindingsName(what), "--bindings", "csharp,python,rust"}
}

// addEveryType declares a record with every field type in the project's
// shmemgen.yaml, as a user would, and regenerates it.
func addEveryType(dir string) error {
	file := filepath.Join(dir, "shmemgen.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), "\nfiles:", "\n"+everyTypeYAML+"files:", 1)), 0o644); err != nil {
		return err
	}
	if out, err := exec.Command(shmemgen, "generate", "--dir", dir).CombinedOutput(); err != nil {
		return fmt.Errorf("shmemgen generate: %v\n%s", err, out)
	}
	return nil
}

// TestBindingsLinux builds a --bindings csharp,python,rust project of its
// own name with ./build.sh linux (which first refuses to start without a
// chosen binding's compiler) and runs, natively: every parent (C, Go,
// Python, C#, Rust) with every child, on a text with surrogate pairs; the
// empty string and the full capacity, and one past it (cut, never inside a
// pair) from each language's side; each language's child --next woken by
// another language's write; BAD_LAYOUT, a stale segment's status, reported
// by each language as its error (exception or Result) with its text and
// code, and removed by each binding's --unlink; and each binding's whole
// API from a probe program (the string, the length, the size, the bytes, a
// BAD_ARGUMENT as the language's error, a wait's timeout, its cancellation,
// a wake-up by another thread's write, a cut, an unpaired surrogate kept as
// it is, strings around the first read's 256 units, the empty string), all
// three
// printing the same lines; the README's examples as printed; the Rust
// crate built by cargo, offline; and the Rust binding's reads of a string
// a writer died overwriting, each failing with ABANDONED and the torn text.
func TestBindingsLinux(t *testing.T) {
	lin.require(t)
	requireBindingTools(t)
	alone(t) // its own mapping name
	segment := "/dev/shm/" + bindingsName("bindings")
	os.Remove(segment)
	t.Cleanup(func() { os.Remove(segment) })
	dir := sharedProject(t, "bindings", bindingsArgs("bindings")...)

	// A chosen binding's missing toolchain stops build.sh before it
	// builds anything, naming the tool and what to install.
	build := exec.Command(bash(), "build.sh", "linux")
	build.Dir = dir
	build.Env = append(lin.buildEnv(), "RUSTC=/nonexistent/rustc")
	out, err := build.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "build.sh: not found: /nonexistent/rustc") || !strings.Contains(string(out), "install Rust for the Rust binding") ||
		!strings.Contains(string(out), "nothing built") || strings.Contains(string(out), "building") {
		t.Errorf("./build.sh linux with RUSTC=/nonexistent/rustc: %v\n%s\nwant it to stop at once, naming the compiler", err, out)
	}
	bin := filepath.Join(dir, "bin")
	p := func(name string) string { return filepath.Join(bin, name) }
	languages := []language{
		{"c", []string{p("parent")}, []string{p("child")}},
		{"go", []string{p("parent-go")}, []string{p("child-go")}},
		{"python", []string{p("parent.py")}, []string{p("child.py")}},
		{"csharp", []string{"mono", p("parent-cs.exe")}, []string{"mono", p("child-cs.exe")}},
		{"rust", []string{p("parent-rs")}, []string{p("child-rs")}},
	}
	c := languages[0]

	// run runs argv from another directory (each program finds the library
	// beside itself, not in the working directory).
	run := func(t *testing.T, argv []string, args ...string) (string, string, int) {
		t.Helper()
		cmd := exec.Command(argv[0], append(argv[1:len(argv):len(argv)], args...)...)
		cmd.Dir = t.TempDir()
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatalf("%q: %v", argv, err)
			}
			code = ee.ExitCode()
		}
		return stdout.String(), stderr.String(), code
	}
	const prefix = "Child process read from shared memory: "
	// pair runs parent with child's command line and text, and checks that
	// the child printed want.
	pair := func(t *testing.T, parent, child language, text, want string) (stderr string) {
		t.Helper()
		out, errOut, code := run(t, parent.parent, strings.Join(child.child, " "), text)
		if code != 0 || !strings.Contains(out, prefix+want+"\n") || !strings.HasPrefix(out, "Process is writing to shared memory...\n") {
			t.Errorf("%s parent, %s child, text of %d bytes: status %d\nstdout:\n%.300s\nstderr:\n%s\nwant the line %.100q",
				parent.name, child.name, len(text), code, out, errOut, prefix+want)
		}
		return errOut
	}

	t.Run("matrix", func(t *testing.T) {
		text := "héllo 😀 𝄞 wörld"
		for _, parent := range languages {
			for _, child := range languages {
				pair(t, parent, child, text, text)
			}
		}
	})

	t.Run("edges", func(t *testing.T) {
		const capacity = 2048 // units, the terminator included: --size 4096
		full := strings.Repeat("a", capacity-3) + "😀"
		over := strings.Repeat("b", capacity-2) + "😀"
		for _, l := range languages[1:] {
			for _, tc := range []struct{ name, text, want string }{
				{"empty", "", ""},
				{"full", full, full},
				{"over", over, over[:capacity-2]},
			} {
				for _, pc := range [][2]language{{l, c}, {c, l}} {
					errOut := pair(t, pc[0], pc[1], tc.text, tc.want)
					said := fmt.Sprintf("the text was cut to fit the mapping's %d characters", capacity-1)
					if pc[0].name == "go" {
						said = "the text was cut to fit the mapping" // the Go parent's words
					}
					cut := strings.Contains(errOut, said)
					if cut != (tc.name == "over") {
						t.Errorf("%s parent, %s child, %s text: stderr %q, want the cut said %v", pc[0].name, pc[1].name, tc.name, errOut, tc.name == "over")
					}
				}
			}
		}
	})

	t.Run("wait", func(t *testing.T) {
		// Each child waits with --next; another language's parent writes,
		// again until the child has seen a write (it may not have been
		// waiting yet for the first).
		for i, child := range languages {
			writer := languages[(i+1)%len(languages)]
			text := fmt.Sprintf("woken by %s", writer.name)
			cmd := exec.Command(child.child[0], append(child.child[1:len(child.child):len(child.child)], "--next")...)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var err error
		writes:
			for n := 0; ; n++ {
				if _, errOut, code := run(t, writer.parent, "true", text); code != 0 {
					t.Fatalf("%s parent: status %d\n%s", writer.name, code, errOut)
				}
				select {
				case err = <-done:
					break writes
				case <-time.After(300 * time.Millisecond):
					if n == 50 {
						cmd.Process.Kill()
						t.Fatalf("%s child --next: not woken by 50 writes from %s's parent", child.name, writer.name)
					}
				}
			}
			if err != nil || stdout.String() != prefix+text+"\n" {
				t.Errorf("%s child --next, woken by %s's parent: %v\nstdout:\n%s\nstderr:\n%s", child.name, writer.name, err, stdout.String(), stderr.String())
			}
		}
	})

	t.Run("norecord", func(t *testing.T) {
		// Without a record, --record fails in every language, saying so.
		for _, l := range languages {
			for _, argv := range [][]string{append(l.parent, "--record", "{}", "true"), append(l.child, "--record")} {
				out, errOut, code := run(t, argv)
				if code != 1 || !strings.Contains(errOut, "no typed record") || strings.Contains(out, "{") {
					t.Errorf("%q in a project without a record: status %d\nstdout:\n%s\nstderr:\n%s\nwant status 1 and \"no typed record\"", argv, code, out, errOut)
				}
			}
		}
	})

	t.Run("status", func(t *testing.T) {
		// A stale segment of another layout: every call fails with
		// BAD_LAYOUT, which each language reports as its error, with the
		// text and the code.
		stale := func() {
			if err := os.WriteFile(segment, []byte(strings.Repeat("stale!", 1000)), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		for _, l := range languages {
			stale()
			for _, argv := range [][]string{l.parent, l.child} {
				_, errOut, code := run(t, argv)
				// The Go hosts print the Go client's error, which has the
				// code but neither the name nor the word "status".
				want := []string{"BAD_LAYOUT: ", segment, "(status 0x20000001)"}
				if l.name == "go" {
					want = []string{segment, "(0x20000001)"}
				}
				for _, w := range want {
					if code != 1 || !strings.Contains(errOut, w) {
						t.Errorf("%q on a stale segment: status %d, stderr:\n%s\nwant status 1 and %q", argv, code, errOut, w)
					}
				}
			}
			if l.name == "go" {
				continue // the Go child has no --unlink
			}
			for _, argv := range [][]string{l.parent, l.child} {
				out, errOut, code := run(t, argv, "--unlink")
				// The stale segment is gone; the library's setup, which
				// retries in the background, may have made a fresh one.
				left, err := os.ReadFile(segment)
				if code != 0 || strings.HasPrefix(string(left), "stale!") || !strings.Contains(out, "removed "+segment) {
					t.Errorf("%q --unlink: status %d, %s still stale (%v)\nstdout:\n%s\nstderr:\n%s", argv, code, segment, err, out, errOut)
				}
				stale()
			}
			os.Remove(segment)
		}
	})

	t.Run("readme", func(t *testing.T) {
		// The README's five-line examples, as printed, in a Main, a main
		// and a script beside the library. Each waits for the next write,
		// which the C parent makes until it has exited.
		readme, err := os.ReadFile(filepath.Join(dir, "REFERENCE.md"))
		if err != nil {
			t.Fatal(err)
		}
		block := func(lang string) string {
			_, rest, ok := strings.Cut(string(readme), "\n```"+lang+"\n")
			if !ok {
				t.Fatalf("REFERENCE.md has no %s block", lang)
			}
			code, _, _ := strings.Cut(rest, "```")
			return code
		}
		if err := os.WriteFile(p("readme.py"), []byte(block("python")), 0o644); err != nil {
			t.Fatal(err)
		}
		rs := "fn main() -> Result<(), Box<dyn std::error::Error>> {\n" + block("rust") + "Ok(())\n}\n"
		cs := "using System;\nstatic class P {\nstatic void Main() {\n" + block("csharp") + "}\n}\n"
		tmp := t.TempDir()
		for name, src := range map[string]string{"readme.rs": rs, "Readme.cs": cs} {
			if err := os.WriteFile(filepath.Join(tmp, name), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, argv := range [][]string{
			{"rustc", "--edition", "2021", "--extern", "sharedmem=" + p("obj/libsharedmem.rlib"), "-o", p("readme-rs"), filepath.Join(tmp, "readme.rs")},
			{"mcs", "-nologo", "-unsafe", "-out:" + p("readme-cs.exe"), filepath.Join(dir, "bindings", "csharp", "SharedMem.cs"), filepath.Join(tmp, "Readme.cs")},
		} {
			if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
				t.Fatalf("%q: %v\n%s\n%s", argv, err, out, rs+cs)
			}
		}
		for _, tc := range []struct {
			argv  []string
			hello string
		}{
			{[]string{"python3", p("readme.py")}, "hello from Python 17 4096\n"},
			{[]string{p("readme-rs")}, "hello from Rust\n4096 bytes, generation "},
			{[]string{"mono", p("readme-cs.exe")}, "hello from C#\n4096 bytes, generation "},
		} {
			cmd := exec.Command(tc.argv[0], tc.argv[1:]...)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var err error
		writes:
			for {
				select {
				case err = <-done:
					break writes
				case <-time.After(200 * time.Millisecond):
					run(t, c.parent, "true", "a write")
				}
			}
			if err != nil || !strings.HasPrefix(stdout.String(), tc.hello) {
				t.Errorf("%q, the README's example: %v\nstdout:\n%s\nstderr:\n%s\nwant stdout to start %q", tc.argv, err, stdout.String(), stderr.String(), tc.hello)
			}
		}
	})

	t.Run("cargo", func(t *testing.T) {
		// The crate's Cargo.toml, which the README tells users to depend
		// on, builds offline (no dependencies) in a directory of its own.
		cmd := exec.Command("cargo", "build", "--offline", "--release", "--quiet")
		cmd.Dir = filepath.Join(dir, "bindings", "rust")
		cmd.Env = append(os.Environ(), "CARGO_TARGET_DIR="+t.TempDir())
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("cargo build --offline in bindings/rust: %v\n%s", err, out)
		}
	})

	t.Run("python-c", func(t *testing.T) {
		// Without a program file the Python binding loads the library
		// beside its module, never from the current directory.
		cmd := exec.Command("python3", "-c", "import sharedmem; print(sharedmem.SharedMem().path)")
		cmd.Dir = t.TempDir()
		cmd.Env = append(os.Environ(), "PYTHONPATH="+bin)
		out, err := cmd.CombinedOutput()
		if want := p("libshmem.so") + "\n"; err != nil || string(out) != want {
			t.Errorf("python3 -c in another directory: %v\n%s\nwant %q", err, out, want)
		}
	})

	t.Run("api", func(t *testing.T) {
		src := filepath.Join("testdata", "bindings")
		abs, err := filepath.Abs(src)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(src, "probe.py"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p("probe.py"), data, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, argv := range [][]string{
			{"rustc", "--edition", "2021", "-D", "warnings", "--extern", "sharedmem=" + p("obj/libsharedmem.rlib"), "-o", p("probe-rs"), filepath.Join(abs, "probe.rs")},
			{"mcs", "-nologo", "-unsafe", "-warnaserror+", "-out:" + p("probe-cs.exe"), filepath.Join(dir, "bindings", "csharp", "SharedMem.cs"), filepath.Join(abs, "Probe.cs")},
		} {
			if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
				t.Fatalf("%q: %v\n%s", argv, err, out)
			}
		}
		want := strings.Join([]string{
			"set true", "length 4", "get ok", "size 4096", "bytes 010203",
			"read past end 0x20000005", "timeout 1460 True", "cancelled", "woken 1",
			"set false", "length 2047", "lone ok", "boundary ok", "set true", "empty ok", "",
		}, "\n")
		for _, argv := range [][]string{{"python3", p("probe.py")}, {"mono", p("probe-cs.exe")}, {p("probe-rs")}} {
			out, errOut, code := run(t, argv)
			if code != 0 || out != want {
				t.Errorf("%q: status %d\nstdout:\n%s\nstderr:\n%s\nwant stdout:\n%s", argv, code, out, errOut, want)
			}
		}
	})

	t.Run("abandoned", func(t *testing.T) {
		// A writer dies half-way through overwriting the string: each of
		// the Rust binding's reads fails with ABANDONED and the torn
		// text, whether the string fits the first read's buffer or not,
		// until a set covers it.
		writer := lin.cProgram(t, bin, "trapwriter", true)
		src, err := filepath.Abs(filepath.Join("testdata", "bindings", "abandoned.rs"))
		if err != nil {
			t.Fatal(err)
		}
		argv := []string{"rustc", "--edition", "2021", "-D", "warnings", "--extern", "sharedmem=" + p("obj/libsharedmem.rlib"), "-o", p("abandoned-rs"), src}
		if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%q: %v\n%s", argv, err, out)
		}
		var want []string
		for _, name := range []string{"short", "long"} {
			want = append(want, name+" writer exit Some(7)", name+" get_into ok", name+" get_into kept ok", name+" get ok", name+" get_utf16 ok")
		}
		want = append(want, `after Ok(()) "after"`, "")
		out, errOut, code := run(t, []string{p("abandoned-rs"), writer})
		if code != 0 || out != strings.Join(want, "\n") {
			t.Errorf("abandoned-rs: status %d\nstdout:\n%s\nstderr:\n%s\nwant stdout:\n%s", code, out, errOut, strings.Join(want, "\n"))
		}
	})
}

// TestBindingsHostileName generates the bindings of a Windows-only project
// whose mapping name holds a double quote, a no-break space and an emoji,
// all of which --os windows accepts, and compiles each binding's library:
// the name reaches their sources in the segment's path and BAD_LAYOUT's
// text, and must not break them.
func TestBindingsHostileName(t *testing.T) {
	requireBindingTools(t)
	alone(t) // nothing runs
	dir := filepath.Join(t.TempDir(), "proj")
	gen := exec.Command(shmemgen, "new", "--name", "Local\\a\"b\u00a0c😀", "--bindings", "csharp,python,rust", "--out", dir)
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("shmemgen new: %v\n%s", err, out)
	}
	b := filepath.Join(dir, "bindings")
	out := t.TempDir()
	for _, argv := range [][]string{
		{"python3", "-c", "import sys; compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec')", filepath.Join(b, "python", "sharedmem.py")},
		{"rustc", "--edition", "2021", "-D", "warnings", "--crate-type", "rlib", "--crate-name", "sharedmem", "-o", filepath.Join(out, "libsharedmem.rlib"), filepath.Join(b, "rust", "src", "lib.rs")},
		{"mcs", "-nologo", "-unsafe", "-warnaserror+", "-target:library", "-out:" + filepath.Join(out, "SharedMem.dll"), filepath.Join(b, "csharp", "SharedMem.cs")},
	} {
		if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
			t.Errorf("%q: %v\n%s", argv, err, out)
		}
	}
}
