package main

import (
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/script/*.txtar")

// shmemgen is the command under test: this test binary, which TestMain
// (testscript.Main) installs on PATH under the name shmemgen and which runs
// the command, as main does, when started under that name. The scripts and
// the kill test run it as a separate process, exactly as a user would,
// without a go build of their own.
var shmemgen string

func TestMain(m *testing.M) {
	testscript.Main(commandTests{m}, map[string]func(){
		"shmemgen": func() { os.Exit(run(os.Args, os.Stdout, os.Stderr)) },
	})
}

// commandTests runs the package's tests once testscript.Main has put
// shmemgen on PATH.
type commandTests struct{ m *testing.M }

func (c commandTests) Run() int {
	var err error
	if shmemgen, err = exec.LookPath("shmemgen"); err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "shmemgen-test-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	// generate's fast path records in the user's cache: the tests', not
	// the user's; go keeps its own, which it finds there too, and so does
	// Wine's template prefix, which is the user's to share (every verify
	// uses it) and would cost 10-15 s of wineboot to make again.
	if gocache, err := exec.Command("go", "env", "GOCACHE").Output(); err == nil {
		os.Setenv("GOCACHE", strings.TrimSpace(string(gocache)))
		shareWineTemplates(filepath.Join(dir, "cache"))
		os.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	}
	return c.m.Run()
}

// shareWineTemplates makes cache's shmemgen/wineprefix, where the Wine
// prefixes' template is kept, a link to the user's own, if it can.
func shareWineTemplates(cache string) {
	user, err := os.UserCacheDir()
	if err != nil {
		return
	}
	templates := filepath.Join(user, "shmemgen", "wineprefix")
	link := filepath.Join(cache, "shmemgen", "wineprefix")
	if os.MkdirAll(templates, 0o755) == nil && os.MkdirAll(filepath.Dir(link), 0o755) == nil {
		os.Symlink(templates, link)
	}
}

// TestScripts runs testdata/script/*.txtar: the CLI's behaviour, written
// so that it reads as its manual. go test . -update rewrites the expected
// output that a script compares with cmp.
func TestScripts(t *testing.T) {
	goEnv := goEnv(t)
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			// For go generate in a generated project: the real caches, so
			// that it needs no network when they are warm.
			env.Vars = append(env.Vars, goEnv...)
			// exec shmemgen finds the command under test first.
			env.Setenv("PATH", filepath.Dir(shmemgen)+string(filepath.ListSeparator)+env.Getenv("PATH"))
			// generate's fast path caches in the user's cache: a script's
			// own, so that its repeated runs take it (uptodate.txtar).
			cache, err := os.MkdirTemp("", "shmemgen-cache-")
			if err != nil {
				return err
			}
			env.Defer(func() { os.RemoveAll(cache) })
			env.Setenv("XDG_CACHE_HOME", cache)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"status":  cmdStatus,
			"mtime":   cmdMtime,
			"replace": cmdReplace,
			"tree":    cmdTree,
		},
	})
}

// goEnv is the go command's own settings, which a script needs to run go
// with HOME unset.
func goEnv(t *testing.T) []string {
	names := []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY", "GOSUMDB", "GOFLAGS", "GONOSUMDB", "GOPRIVATE"}
	out, err := exec.Command("go", append([]string{"env"}, names...)...).Output()
	if err != nil {
		t.Logf("go env: %v (scripts that run go will fail)", err)
		return nil
	}
	values := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	var env []string
	for i, name := range names {
		if i < len(values) {
			env = append(env, name+"="+values[i])
		}
	}
	return append(env, "GOTOOLCHAIN=local")
}

// cmdStatus runs a command and checks its exit status:
//
//	status 2 shmemgen new --size 3
//
// Its stdout and stderr are then checked as exec's are.
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status CODE COMMAND [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status: %v", err)
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		got = exit.ExitCode()
	case err != nil:
		ts.Fatalf("status: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// old is the modification time mtime set gives files: long before any test
// runs, so that any write shows.
var old = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)

// cmdMtime sets or checks modification times, to prove that a run left
// files untouched:
//
//	mtime set PATH...        every file at or below each PATH gets an old time
//	mtime unchanged PATH...  every such file still has it
//	! mtime unchanged PATH   some such file was written
func cmdMtime(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 || args[0] != "set" && args[0] != "unchanged" {
		ts.Fatalf("usage: mtime set|unchanged PATH...")
	}
	if neg && args[0] == "set" {
		ts.Fatalf("mtime set cannot be negated")
	}
	var written []string
	for _, root := range args[1:] {
		err := filepath.WalkDir(ts.MkAbs(root), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if args[0] == "set" {
				return os.Chtimes(p, old, old)
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			if !info.ModTime().Equal(old) {
				written = append(written, p)
			}
			return nil
		})
		ts.Check(err)
	}
	switch {
	case args[0] == "set":
	case neg && len(written) == 0:
		ts.Fatalf("no file was written")
	case !neg && len(written) > 0:
		ts.Fatalf("written: %s", strings.Join(written, ", "))
	}
}

// cmdReplace replaces every OLD in FILE with NEW, as a user editing it
// would; OLD must occur. Both are Go-quoted when they start with a quote:
//
//	replace proj/shmemgen.yaml 'size: 4096' 'size: 8192'
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	unquote := func(s string) string {
		if strings.HasPrefix(s, `"`) {
			u, err := strconv.Unquote(s)
			ts.Check(err)
			return u
		}
		return s
	}
	name := ts.MkAbs(args[0])
	data, err := os.ReadFile(name)
	ts.Check(err)
	from, to := unquote(args[1]), unquote(args[2])
	if !strings.Contains(string(data), from) {
		ts.Fatalf("%s does not contain %q", args[0], from)
	}
	info, err := os.Stat(name)
	ts.Check(err)
	ts.Check(os.WriteFile(name, []byte(strings.ReplaceAll(string(data), from, to)), info.Mode()))
}

// cmdTree writes to FILE one line per entry at or below DIR, in path order:
// its path, its mode and, for a file, the SHA-256 of its bytes, or, for a
// link, its target. Two trees compared with cmp are the same byte for byte,
// with no entry added, removed or changed in kind or mode:
//
//	tree proj before.txt
func cmdTree(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: tree DIR FILE")
	}
	root := ts.MkAbs(args[0])
	var b strings.Builder
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %v", filepath.ToSlash(rel), info.Mode())
		switch {
		case info.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, " %x", sha256.Sum256(data))
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, " -> %s", target)
		}
		b.WriteByte('\n')
		return nil
	})
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(b.String()), 0o644))
}
