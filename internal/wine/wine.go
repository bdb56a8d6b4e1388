// Package wine runs Windows programs under Wine: for shmemgen verify on
// systems other than Windows, and for the end-to-end tests. It holds no test
// policy (what to skip, what CI requires): that is internal/testenv's.
//
// Each user gets a private WINEPREFIX, so nothing touches ~/.wine or another
// prefix's registry: a clone of a freshly initialised template kept in the
// user's cache (template.go). The prefix gets a stub bcryptprimitives.dll,
// without which Go ≥1.22 Windows binaries cannot start under Wine 8 (see
// stubSource).
//
// Two Wine behaviours shape this package:
//
//   - Wine's helper daemons (wineserver, services.exe, winedevice.exe, ...)
//     inherit the std handles of whichever process happened to start them. If
//     that process's stderr is a pipe, exec.Cmd.Wait blocks until the daemons
//     exit. NewPrefix therefore leaves a warm wineserver running with its
//     daemons attached to /dev/null, so later commands start none of their own.
//   - The prefix is not a sandbox: Z: maps to /, and the user shell folders
//     (Documents, Desktop, ...) are symlinks into $HOME.
package wine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Path is an absolute Unix path as Windows programs under Wine see it:
// Wine maps the Unix root to drive Z:.
func Path(abs string) string {
	return `Z:` + strings.ReplaceAll(abs, "/", `\`)
}

// MinGWCC is the cross compiler used to build the stub DLL.
const MinGWCC = "x86_64-w64-mingw32-gcc"

const (
	bootTimeout  = 3 * time.Minute  // wineboot --init on a fresh prefix takes ~10-60 s.
	toolTimeout  = 1 * time.Minute  // wineserver -w/-k, plain wineboot, gcc.
	waitDelay    = 10 * time.Second // see Prefix.Command.
	serverLinger = 300              // seconds the warm wineserver outlives its last client.
)

// Available reports whether everything needed to build and run Windows
// programs under Wine is on PATH, naming whatever is missing.
func Available() error {
	var missing []string
	if _, err := exec.LookPath(MinGWCC); err != nil {
		missing = append(missing, MinGWCC)
	}
	if _, err := wineBinary(); err != nil {
		missing = append(missing, "wine (or wine64)")
	}
	if _, err := exec.LookPath("wineserver"); err != nil {
		missing = append(missing, "wineserver")
	}
	if len(missing) > 0 {
		return fmt.Errorf("not found on PATH: %s", strings.Join(missing, ", "))
	}
	return nil
}

// wineBinary prefers the wine launcher, which picks the right loader, over
// wine64 (on Debian wine64 lives outside PATH anyway).
func wineBinary() (string, error) {
	if p, err := exec.LookPath("wine"); err == nil {
		return p, nil
	}
	return exec.LookPath("wine64")
}

// Prefix is a private WINEPREFIX with the ProcessPrng stub installed and a
// warm wineserver running. Close it to stop that server.
type Prefix struct {
	dir  string
	wine string
}

// NewPrefix initialises a fresh 64-bit prefix in dir, which must be empty or
// not exist yet (refusing to reuse a directory protects an existing prefix).
// The directory belongs to the caller; Close does not remove it.
//
// The prefix is a clone of a template kept in the user's cache (see
// template.go), made by the first call for this Wine installation; without
// a cache directory it is initialised from scratch.
func NewPrefix(dir string) (*Prefix, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	wine, err := wineBinary()
	if err != nil {
		return nil, err
	}
	dir, err = filepath.Abs(dir) // WINEPREFIX must be absolute.
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if entries, err := os.ReadDir(dir); err != nil {
		return nil, err
	} else if len(entries) > 0 {
		return nil, fmt.Errorf("wine: %s is not empty; refusing to reuse it as a fresh prefix", dir)
	}

	p := &Prefix{dir: dir, wine: wine}
	ok := false
	defer func() {
		if !ok {
			p.Close() // a timed-out wineboot leaves its wineserver behind.
		}
	}()
	if tmpl, err := template(wine); err == nil {
		err = clonePrefix(tmpl, dir)
		if err != nil {
			return nil, fmt.Errorf("wine: cloning the prefix template %s (remove it, and the next prefix makes it again): %w", tmpl, err)
		}
	} else if !errors.Is(err, errNoCache) {
		return nil, err
	} else if err := p.init(); err != nil {
		return nil, err
	}
	// Start the warm server, then boot once so services.exe and friends start
	// now, with /dev/null-ish std handles, rather than inside the caller's
	// first Command where they would hold its stdout/stderr pipes open. The
	// finite linger bounds how long a leaked server (test binary killed before
	// Close) survives.
	if err := p.run(toolTimeout, "wineserver", "-p"+strconv.Itoa(serverLinger)); err != nil {
		return nil, err
	}
	if err := p.run(toolTimeout, wine, "wineboot"); err != nil {
		return nil, err
	}
	ok = true
	return p, nil
}

// init makes p.dir a prefix from scratch and installs the stub, leaving no
// server running: wineboot --init, which takes 10-15 s.
func (p *Prefix) init() error {
	steps := []struct {
		timeout time.Duration
		name    string
		args    []string
	}{
		{bootTimeout, p.wine, []string{"wineboot", "--init"}},
		// Let init finish completely (registry flushed, daemons gone) before
		// touching system32.
		{toolTimeout, "wineserver", []string{"-w"}},
	}
	for _, s := range steps {
		if err := p.run(s.timeout, s.name, s.args...); err != nil {
			return err
		}
	}
	return BuildStub(filepath.Join(p.dir, "drive_c", "windows", "system32", "bcryptprimitives.dll"))
}

// Dir returns the prefix directory (the WINEPREFIX).
func (p *Prefix) Dir() string { return p.dir }

// Env returns the variables that select and configure this prefix, in the
// form used by exec.Cmd.Env.
func (p *Prefix) Env() []string {
	return []string{
		"WINEPREFIX=" + p.dir,
		"WINEARCH=win64",
		"WINEDEBUG=-all", // also silences the Debian launcher's "wine32 is missing" hint.
		// No network here: stop wineboot offering to install Mono/Gecko, and
		// stop winemenubuilder writing .desktop files into $HOME.
		"WINEDLLOVERRIDES=mscoree,mshtml=;winemenubuilder.exe=d",
	}
}

// Command returns `wine exe args...` running in the prefix. exe may be a Unix
// path. The prefix variables are appended to os.Environ (later entries win).
//
// WaitDelay is set so that, should a stray Wine process still hold the
// command's pipes after it exits, Wait gives up (with exec.ErrWaitDelay)
// instead of blocking; callers may override it.
func (p *Prefix) Command(ctx context.Context, exe string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, p.wine, append([]string{exe}, args...)...)
	cmd.Env = append(os.Environ(), p.Env()...)
	cmd.WaitDelay = waitDelay
	return cmd
}

// Close kills the prefix's wineserver, and with it every Windows process in
// the prefix, and waits for it to exit. Closing a prefix with no running
// server (including closing twice) is not an error.
func (p *Prefix) Close() error {
	err := p.run(toolTimeout, "wineserver", "-k")
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 1 {
		return nil // wineserver -k exits 1, silently, when no server is running.
	}
	if err != nil {
		return err
	}
	return p.run(toolTimeout, "wineserver", "-w")
}

// run runs a Wine tool in the prefix and waits for it. Output goes to a temp
// file rather than a pipe, because daemons the tool starts inherit it and
// would keep a pipe open (blocking Wait) long after the tool exits.
func (p *Prefix) run(timeout time.Duration, name string, args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return runLogged(ctx, p.Env(), name, args...)
}

// runLogged runs name with extra env, returning an error that includes the
// command's output when it fails.
func runLogged(ctx context.Context, env []string, name string, args ...string) error {
	log, err := os.CreateTemp("", "shmemgen-wine-*.log")
	if err != nil {
		return err
	}
	defer os.Remove(log.Name())
	defer log.Close()

	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", err, ctx.Err())
		}
		out, _ := os.ReadFile(log.Name())
		return fmt.Errorf("wine: %s %s: %w\n%s", filepath.Base(name), strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}
