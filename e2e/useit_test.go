package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// useItSection is the generated REFERENCE.md's section that shows how to
// call the library from a program of one's own.
const useItSection = "Use it from your program"

// readmeScripts turns the parts of a generated README's section ## title
// into shell scripts, one per ### heading, as a reader would run them:
// each indented code block's lines are commands, and each fenced block is
// a file, written where the script then stands, under the name the
// paragraph before it ends with ("... as `main.go`:"). The fenced blocks
// before the first ### heading are written first in every script.
func readmeScripts(tb testing.TB, readme, title string) map[string]string {
	tb.Helper()
	lines := strings.Split(readme, "\n")
	in := false
	var preamble strings.Builder
	scripts := map[string]*strings.Builder{}
	var order []string
	cur := &preamble
	lastText := ""
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		switch {
		case strings.HasPrefix(line, "## "):
			in = line == "## "+title
			continue
		case !in:
			continue
		case strings.HasPrefix(line, "### "):
			name := strings.TrimPrefix(line, "### ")
			cur = &strings.Builder{}
			scripts[name] = cur
			order = append(order, name)
		case strings.HasPrefix(line, "```"):
			m := regexp.MustCompile("`([^`]+)`:$").FindStringSubmatch(lastText)
			if m == nil {
				tb.Fatalf("README line %d: a code block after %q, which does not end by naming its file (`NAME`:)", i+1, lastText)
			}
			cur.WriteString("cat >" + m[1] + " <<'README_EOF'\n")
			for i++; i < len(lines) && lines[i] != "```"; i++ {
				cur.WriteString(lines[i] + "\n")
			}
			cur.WriteString("README_EOF\n")
		case strings.HasPrefix(line, "    "):
			cur.WriteString(strings.TrimPrefix(line, "    ") + "\n")
		case strings.TrimSpace(line) != "":
			lastText = line
		}
	}
	if len(order) == 0 {
		tb.Fatalf("README has no ### part under ## %s", title)
	}
	out := map[string]string{}
	for _, name := range order {
		out[name] = preamble.String() + scripts[name].String()
	}
	return out
}

// TestReadmeUseIt runs the generated REFERENCE.md's "Use it from your program"
// commands, as printed, in a copy of a built project: a C program compiled
// and linked against the library with gcc and run on Linux, the same
// program with mingw-w64 and run under Wine with the project's run.sh, and
// a Go module of its own that imports the project's client package, run on
// Linux and under Wine. MSVC is not here: its part is checked against what
// build.ps1 makes. So the README and what works cannot drift apart.
func TestReadmeUseIt(t *testing.T) {
	serial(t)
	lin.require(t)
	project := filepath.Join(t.TempDir(), "project")
	if err := os.CopyFS(project, os.DirFS(defaultProject(t))); err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(project, "REFERENCE.md"))
	if err != nil {
		t.Fatal(err)
	}
	scripts := readmeScripts(t, string(readme), useItSection)
	parts := slices.Sorted(func(yield func(string) bool) {
		for name := range scripts {
			if !yield(name) {
				return
			}
		}
	})
	if want := []string{"C on Linux (gcc)", "C on Windows (mingw-w64)", "C with MSVC", "Go"}; !slices.Equal(parts, want) {
		t.Fatalf("the README's %q parts are %q, want %q: a new part needs its test here", useItSection, parts, want)
	}
	run := func(t *testing.T, script string, env ...string) string {
		t.Helper()
		cmd := exec.Command(bash(), "-e", "-c", script)
		cmd.Dir = project
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("the README's commands:\n%s\n: %v\n%s", script, err, out)
		}
		return string(out)
	}
	// run.sh runs in the package's Wine prefix, which has its stub: no
	// second prefix to make.
	wineEnv := func(t *testing.T) string {
		if !win.Wine {
			t.Skip("run.sh is for Wine; on Windows the programs run directly")
		}
		return "SHMEM_WINEPREFIX=" + winePrefix(t).Dir()
	}
	const readBack = "myprog read back 17 characters"

	t.Run("C on Linux", func(t *testing.T) {
		lin.fresh(t)
		if out := run(t, scripts["C on Linux (gcc)"]); !strings.Contains(out, readBack) {
			t.Errorf("the C program printed\n%s\nwant %q", out, readBack)
		}
	})
	t.Run("C on Windows", func(t *testing.T) {
		win.require(t)
		out := run(t, scripts["C on Windows (mingw-w64)"], wineEnv(t))
		if !strings.Contains(out, readBack) {
			t.Errorf("the C program printed\n%s\nwant %q", out, readBack)
		}
		if syms := importedSymbols(t, filepath.Join(project, "bin", "myprog.exe")); !slices.Contains(syms, "SetSharedMem:shmem.dll") {
			t.Errorf("myprog.exe does not import SetSharedMem from shmem.dll, it imports %v", syms)
		}
	})
	t.Run("C with MSVC", func(t *testing.T) {
		// No MSVC here to run it: the .lib it links is the one build.ps1
		// makes, in bin, and the header is found there.
		script := scripts["C with MSVC"]
		// build.ps1 names the library $dll, which it reads from
		// build.env's dll.
		ps1, err := os.ReadFile(filepath.Join(project, "build.ps1"))
		if err != nil {
			t.Fatal(err)
		}
		env, err := os.ReadFile(filepath.Join(project, "build.env"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(ps1), `/out:$Out\$dll.lib`) || !strings.Contains(string(env), "\ndll=shmem\n") || !strings.Contains(script, `cl /I bin /Fe:bin\myprog.exe myprog.c bin\shmem.lib`) {
			t.Errorf("the README's MSVC commands do not link the .lib build.ps1 makes (/out:$Out\\$dll.lib, dll=shmem in build.env):\n%s", script)
		}
	})
	t.Run("Go", func(t *testing.T) {
		lin.fresh(t)
		win.require(t)
		out := run(t, scripts["Go"], wineEnv(t))
		if n := strings.Count(out, "myprog-go read back: hello from myprog-go"); n != 2 {
			t.Errorf("the Go program printed\n%s\nwant its line twice, on Linux and under Wine", out)
		}
	})
}

// TestReadmeGoBuildAlone holds the generated REFERENCE.md to what it says of a
// plain "GOOS=windows go build ./...": that it fails, with cgo off, as
// quoted, and that its own command, cgo on with mingw-w64, builds.
func TestReadmeGoBuildAlone(t *testing.T) {
	serial(t)
	win.require(t)
	lin.require(t) // cross-building from Linux is what the part is about
	project := defaultProject(t)
	readme, err := os.ReadFile(filepath.Join(project, "REFERENCE.md"))
	if err != nil {
		t.Fatal(err)
	}
	const part = "`go build` alone"
	script := readmeScripts(t, string(readme), "Build")[part]
	if script == "" {
		t.Fatalf("the README's Build section has no part %s with a command", part)
	}
	const quoted = "undefined: cgo_is_off__build_with_build_sh_or_set_CGO_ENABLED_1_and_CC"
	if !strings.Contains(string(readme), quoted) {
		t.Fatalf("the README no longer quotes %q", quoted)
	}
	plain := exec.Command("go", "build", "./...")
	plain.Dir = project
	plain.Env = append(os.Environ(), "GOOS=windows", "CGO_ENABLED=")
	out, err := plain.CombinedOutput()
	first := ""
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "dll/") {
			first = line
			break
		}
	}
	if err == nil || !strings.Contains(first, quoted) {
		t.Errorf("GOOS=windows go build ./...: %v\n%s\nwant it to fail as the README quotes it, first: %s", err, out, quoted)
	}
	cmd := exec.Command(bash(), "-e", "-c", script)
	cmd.Dir = project
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("the README's command:\n%s: %v\n%s", script, err, out)
	}
}
