package wine_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shmemgen/shmemgen/internal/testenv"
	"github.com/shmemgen/shmemgen/internal/wine"
)

func TestAvailableNamesWhatIsMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // nothing is available
	err := wine.Available()
	if err == nil || !strings.Contains(err.Error(), wine.MinGWCC) || !strings.Contains(err.Error(), "wineserver") {
		t.Fatalf("wine.Available() = %v with an empty PATH, want an error naming what is missing", err)
	}
}

func TestNewPrefixRefusesNonEmptyDir(t *testing.T) {
	testenv.RequireWine(t)
	dir := t.TempDir()
	testenv.WriteFile(t, filepath.Join(dir, "system.reg"), "")
	if p, err := wine.NewPrefix(dir); err == nil {
		p.Close()
		t.Fatal("wine.NewPrefix reused a non-empty directory")
	}
}

// TestWine shares one prefix between subtests: creating one takes ~10 s.
func TestWine(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: makes a Wine prefix and runs programs in it (~12 s)")
	}
	t.Parallel() // its own prefix: wineboot's waits overlap TestProjectRunScript's
	p := testenv.NewWinePrefix(t)

	t.Run("GoProgram", func(t *testing.T) {
		dir := t.TempDir()
		// crypto/rand goes through ProcessPrng, so all-zero output would mean
		// the stub "succeeds" without filling the buffer.
		testenv.WriteFile(t, filepath.Join(dir, "main.go"), `package main

import (
	"crypto/rand"
	"fmt"
	"os"
)

func main() {
	b := make([]byte, 16)
	rand.Read(b)
	fmt.Println("hello from wine")
	fmt.Printf("args=%q\n", os.Args[1:])
	fmt.Printf("rand=%x\n", b)
}
`)
		testenv.Run(t, dir, []string{"CGO_ENABLED=0", "GOOS=windows", "GOARCH=amd64", "GOFLAGS="},
			"go", "build", "-o", "hello.exe", "main.go")
		out := run(t, p, filepath.Join(dir, "hello.exe"), "plain", "with space", `quo"te`)
		for _, want := range []string{"hello from wine\n", `args=["plain" "with space" "quo\"te"]`} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "rand="+strings.Repeat("00", 16)) {
			t.Errorf("ProcessPrng stub returned zeros:\n%s", out)
		}
	})

	t.Run("CProgram", func(t *testing.T) {
		dir := t.TempDir()
		// Also calls the stub directly, as a non-Go consumer would.
		testenv.WriteFile(t, filepath.Join(dir, "hello.c"), `#include <stdio.h>
#include <windows.h>

typedef BOOL (WINAPI *prng_fn)(PBYTE, SIZE_T);

int main(void)
{
	unsigned char buf[32] = {0};
	int i, nonzero = 0;
	HMODULE h = LoadLibraryA("bcryptprimitives.dll");
	prng_fn prng = h ? (prng_fn)GetProcAddress(h, "ProcessPrng") : NULL;

	printf("hello from mingw\n");
	if (!prng || !prng(buf, sizeof buf))
		return 2;
	for (i = 0; i < (int)sizeof buf; i++)
		nonzero |= buf[i];
	printf("prng %s\n", nonzero ? "ok" : "zero");
	return 0;
}
`)
		testenv.Run(t, dir, nil, wine.MinGWCC, "-O2", "-o", "hello.exe", "hello.c")
		out := run(t, p, filepath.Join(dir, "hello.exe"))
		for _, want := range []string{"hello from mingw\n", "prng ok\n"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})

	// Close runs again in cleanup; a second Close must be harmless.
	for range 2 {
		if err := p.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
}

// run runs exe in p and returns its stdout with CRLF turned into LF (msvcrt's
// text-mode stdout, unlike Go's, writes CRLF), failing on a non-zero exit.
func run(t *testing.T, p *wine.Prefix, exe string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := p.Command(ctx, exe, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	t.Logf("%s ran in %v", filepath.Base(exe), time.Since(start).Round(time.Millisecond))
	if err != nil {
		t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", exe, err, out, stderr.String())
	}
	return strings.ReplaceAll(string(out), "\r\n", "\n")
}

func TestPath(t *testing.T) {
	if got, want := wine.Path("/tmp/a b/c.exe"), `Z:\tmp\a b\c.exe`; got != want {
		t.Errorf("Path = %q, want %q", got, want)
	}
}

// TestNewPrefixClonesTemplate makes two prefixes with an empty cache: the
// first makes the template, and both are clones of it that share its PE
// images but not its registry, and run programs.
func TestNewPrefixClonesTemplate(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: makes a Wine prefix from scratch (~15 s)")
	}
	testenv.RequireWine(t)
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", t.TempDir()) // os.UserCacheDir's fallback on macOS; harmless here

	var prefixes []*wine.Prefix
	for i := range 2 {
		start := time.Now()
		p, err := wine.NewPrefix(filepath.Join(t.TempDir(), "prefix"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		t.Logf("prefix %d ready in %v", i, time.Since(start).Round(time.Millisecond))
		prefixes = append(prefixes, p)
	}

	entries, err := os.ReadDir(filepath.Join(cache, "shmemgen", "wineprefix"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || strings.HasPrefix(entries[0].Name(), "new-") {
		t.Fatalf("cache holds %v, want one finished template", entries)
	}
	tmpl := filepath.Join(cache, "shmemgen", "wineprefix", entries[0].Name())

	for i, p := range prefixes {
		for _, f := range []struct {
			path   string
			shared bool
		}{
			{"drive_c/windows/system32/kernel32.dll", true},
			{"drive_c/windows/system32/bcryptprimitives.dll", true}, // the stub
			{"system.reg", false},
			{"user.reg", false},
			{"drive_c/windows/win.ini", false},
		} {
			a, errA := os.Stat(filepath.Join(tmpl, f.path))
			b, errB := os.Stat(filepath.Join(p.Dir(), f.path))
			if errA != nil || errB != nil {
				t.Fatalf("prefix %d: %v; %v", i, errA, errB)
			}
			if os.SameFile(a, b) != f.shared {
				t.Errorf("prefix %d: %s shared with the template: %v, want %v", i, f.path, !f.shared, f.shared)
			}
		}
		if link, err := os.Readlink(filepath.Join(p.Dir(), "dosdevices", "c:")); err != nil || link != "../drive_c" {
			t.Errorf("prefix %d: dosdevices/c: links to %q (%v), want ../drive_c", i, link, err)
		}
		if out := run(t, p, "cmd", "/c", "echo", "hello from a clone"); !strings.Contains(out, "hello from a clone") {
			t.Errorf("prefix %d: cmd /c echo printed %q", i, out)
		}
	}
}
