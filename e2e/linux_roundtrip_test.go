package e2e

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shmemgen/shmemgen/verify"
)

// TestLinuxRoundTrip generates a project with --os windows,linux, builds
// its Linux side natively with ./build.sh linux, and runs it: both pairs of
// hosts, the library's dynamic export table, a holder that dies holding
// the lock (taken over, quickly), a live holder past the timeout
// (LOCK_TIMEOUT), a segment its creator left empty (set up by the next
// process, --mode included), and a stale segment with a bad header
// (BAD_LAYOUT, then gone after the unlink export). Unlike the suite's
// shared project, its own has a name of its own, --mode 0640 and a 300 ms
// lock timeout, and it bounds the times: the timeout, and a takeover of a
// holder killed and reaped or still a zombie. It runs on the Linux host
// (see host).
func TestLinuxRoundTrip(t *testing.T) {
	serial(t)
	lin.require(t)
	gcc := lin.cc
	base := fmt.Sprintf("shmemgen-e2e-linux-%d", os.Getpid())
	segment := "/dev/shm/" + base
	os.Remove(segment)
	t.Cleanup(func() { os.Remove(segment) })

	dir := filepath.Join(t.TempDir(), "proj")
	gen := exec.Command(shmemgen, "new", "--os", "windows,linux", "--name", `Local\`+base,
		"--lock-timeout", "300ms", "--mode", "0640", "--out", dir)
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("shmemgen new: %v\n%s", err, out)
	}
	build := exec.Command("./build.sh", "linux")
	build.Dir = dir
	build.Env = append(os.Environ(), "CFLAGS=-O2 -Wall -Wextra -Werror")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("./build.sh linux: %v\n%s", err, out)
	}
	bin := filepath.Join(dir, "bin")

	runOK := func(t *testing.T, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.Dir = t.TempDir() // the hosts find the library beside themselves, not in the cwd
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %q: %v\n%s", name, args, err, out)
		}
		return string(out)
	}
	t.Run("hosts", func(t *testing.T) {
		for _, tc := range []struct{ parent, child, text string }{
			{"parent", "", "This is a test string"},
			{"parent-go", "", "This is a test string"},
			{"parent", "child-go", "héllo 😀"},
			{"parent-go", "child", "héllo 😀"},
		} {
			var args []string
			if tc.child != "" {
				args = []string{filepath.Join(bin, tc.child), tc.text}
			}
			out := runOK(t, tc.parent, args...)
			want := "Child process read from shared memory: " + tc.text + "\n"
			if !strings.Contains(out, want) {
				t.Errorf("%s %q printed\n%s\nwant a line %q", tc.parent, args, out, want)
			}
		}
		st, err := os.Stat(segment)
		if err != nil {
			t.Fatal(err)
		}
		if mode := st.Mode().Perm(); mode != 0o640 {
			t.Errorf("%s has mode %#o, want --mode 0640 whatever the umask", segment, mode)
		}
	})

	t.Run("exports", func(t *testing.T) {
		got, err := verify.ELFExports(filepath.Join(bin, "libshmem.so"))
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"GetSharedMem", "ReadSharedBytes", "SetSharedMem", "SharedMemLastError",
			"SharedMemLength", "SharedMemSize", "UnlinkSharedMem", "WaitSharedMem", "WriteSharedBytes"}
		if !slices.Equal(got, want) {
			t.Errorf("libshmem.so exports %v, want exactly %v", got, want)
		}
	})

	tools := t.TempDir()
	for _, name := range []string{"holder", "probe"} {
		src := filepath.Join(tools, name+".c")
		if err := os.WriteFile(src, []byte(linuxTools[name]), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(gcc, "-O2", "-Wall", "-Werror", "-I", bin, "-o", filepath.Join(tools, name), src, "-ldl").CombinedOutput(); err != nil {
			t.Fatalf("gcc %s: %v\n%s", name, err, out)
		}
	}
	probe := func(t *testing.T, args ...string) (ok bool, status uint64, ms int) {
		t.Helper()
		out, err := exec.Command(filepath.Join(tools, "probe"), append([]string{bin}, args...)...).CombinedOutput()
		m := regexp.MustCompile(`ok=(\d) status=0x([0-9a-f]{8}) ms=(\d+)`).FindStringSubmatch(string(out))
		if err != nil || m == nil {
			t.Fatalf("probe %q: %v\n%s", args, err, out)
		}
		status, _ = strconv.ParseUint(m[2], 16, 32)
		ms, _ = strconv.Atoi(m[3])
		return m[1] == "1", status, ms
	}
	// hold starts a holder of the lock and returns it once it holds it.
	hold := func(t *testing.T) *exec.Cmd {
		t.Helper()
		cmd := exec.Command(filepath.Join(tools, "holder"), base)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if line != "held\n" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("holder said %q (%v)", line, err)
		}
		return cmd
	}
	const (
		statusLockTimeout = 0x20000002
		statusBadLayout   = 0x20000001
	)

	t.Run("live holder", func(t *testing.T) {
		h := hold(t)
		ok, status, ms := probe(t, "set", "x")
		h.Process.Kill()
		h.Wait()
		if ok || status != statusLockTimeout {
			t.Errorf("set under a live holder: ok %v, status %#x; want FALSE, LOCK_TIMEOUT", ok, status)
		}
		if ms < 300 || ms > 2000 {
			t.Errorf("set under a live holder gave up after %d ms, want about the 300 ms lock timeout", ms)
		}
		// The holder is gone now, its word still in the lock: the next
		// call takes it over. It was not writing: nothing is torn.
		if ok, status, _ := probe(t, "set", "x"); !ok || status != 0 {
			t.Errorf("set after the holder was killed: ok %v, status %#x; want TRUE, 0", ok, status)
		}
	})

	t.Run("killed holder", func(t *testing.T) {
		// Killed and, for the first probe, not yet reaped: a zombie, which
		// kill(pid, 0) still finds.
		for _, reap := range []bool{false, true} {
			h := hold(t)
			h.Process.Kill()
			if reap {
				h.Wait()
			} else {
				time.Sleep(50 * time.Millisecond)
			}
			ok, status, ms := probe(t, "set", "after")
			if !reap {
				h.Wait()
			}
			if !ok || status != 0 {
				t.Errorf("set after the holder died (reaped %v): ok %v, status %#x; want TRUE, 0", reap, ok, status)
			}
			if ms > 250 {
				t.Errorf("set after the holder died (reaped %v) took %d ms, want about 20", reap, ms)
			}
			t.Logf("holder killed (reaped %v): set took the lock over in %d ms", reap, ms)
			if ok, status, _ := probe(t, "set", "again"); !ok || status != 0 {
				t.Errorf("the next set: ok %v, status %#x; want TRUE, 0", ok, status)
			}
		}
	})

	t.Run("stale segment", func(t *testing.T) {
		if ok, status, _ := probe(t, "unlink"); !ok || status != 0 {
			t.Fatalf("unlink: ok %v, status %#x", ok, status)
		}
		if _, err := os.Stat(segment); !os.IsNotExist(err) {
			t.Fatalf("after unlink, %s: %v", segment, err)
		}
		if ok, _, _ := probe(t, "unlink"); !ok {
			t.Errorf("unlink of a name already gone failed")
		}
		// A creator killed before its fchmod and ftruncate: size 0, with
		// what a umask of 077 left of --mode. The next process
		// finishes the setup, mode included.
		if err := os.WriteFile(segment, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if ok, status, _ := probe(t, "set", "x"); !ok || status != 0 {
			t.Errorf("set over a segment its creator left empty: ok %v, status %#x; want TRUE, 0", ok, status)
		}
		if st, err := os.Stat(segment); err != nil || st.Mode().Perm() != 0o640 {
			t.Errorf("the segment a creator left empty, set up: %v, want mode 0640", err)
		} else if ok, _, _ := probe(t, "unlink"); !ok {
			t.Fatal("unlink of the set-up segment failed")
		}
		// A segment of the right size with garbage for a header (another
		// program's, or another layout's): reported, not used.
		garbage := make([]byte, 64+4096)
		for i := range garbage {
			garbage[i] = 0xab
		}
		if err := os.WriteFile(segment, garbage, 0o600); err != nil {
			t.Fatal(err)
		}
		if ok, status, _ := probe(t, "set", "x"); ok || status != statusBadLayout {
			t.Errorf("set over a segment with a garbage header: ok %v, status %#x; want FALSE, BAD_LAYOUT", ok, status)
		}
		if ok, _, _ := probe(t, "unlink"); !ok {
			t.Fatal("unlink of the stale segment failed")
		}
		if ok, status, _ := probe(t, "set", "fresh"); !ok || status != 0 {
			t.Errorf("set after the unlink: ok %v, status %#x; want TRUE, 0", ok, status)
		}
		if out := runOK(t, "parent"); !strings.Contains(out, "Child process read from shared memory: This is a test string\n") {
			t.Errorf("parent after the unlink printed\n%s", out)
		}
	})
}

// linuxTools are the C helpers of TestLinuxRoundTrip, built with gcc
// against the project's header.
var linuxTools = map[string]string{
	"holder": `/*
 * holder takes the lock of the segment NAME (/dev/shm/NAME) the way the
 * library does, with its own lock word (pid | start-time tag << 32), says
 * "held" and waits to be killed: a holder that dies holding the lock.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shmem.h"

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    char path[512];
    snprintf(path, sizeof path, "/dev/shm/%s", argv[1]);
    int fd = open(path, O_RDWR);
    if (fd < 0) {
        perror(path);
        return 1;
    }
    SHMEM_HEADER *h = mmap(NULL, sizeof *h, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (h == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    char buf[1024];
    FILE *f = fopen("/proc/self/stat", "r");
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    char *p = strrchr(buf, ')') + 2;
    for (int field = 3; field < 22; field++)
        p = strchr(p, ' ') + 1;
    int64_t word = (int64_t)(uint32_t)getpid() | (int64_t)SHMEM_OWNER_TAG_LINUX(strtoull(p, NULL, 10)) << 32;
    int64_t expected = 0;
    if (!__atomic_compare_exchange_n(&h->lock, &expected, word, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        fprintf(stderr, "lock busy: %llx\n", (unsigned long long)expected);
        return 1;
    }
    printf("held\n");
    fflush(stdout);
    for (;;)
        pause();
}
`,
	"probe": `/*
 * probe loads lib<dll>.so from the directory given, calls one export and
 * prints what it returned, its status and how long it took:
 *
 *	probe DIR set TEXT | probe DIR unlink
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "shmem.h"

static unsigned long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (unsigned long long)t.tv_sec * 1000 + (unsigned long long)t.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    char path[4096];
    snprintf(path, sizeof path, "%s/libshmem.so", argv[1]);
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "%s\n", dlerror());
        return 1;
    }
    PFN_SetSharedMem set = (PFN_SetSharedMem)dlsym(lib, "SetSharedMem");
    PFN_UnlinkSharedMem unlink_ = (PFN_UnlinkSharedMem)dlsym(lib, "UnlinkSharedMem");
    PFN_SharedMemLastError status = (PFN_SharedMemLastError)dlsym(lib, "SharedMemLastError");
    unsigned long long start = now_ms();
    int ok;
    if (strcmp(argv[2], "set") == 0 && argc == 4) {
        SHMEM_WCHAR text[256];
        size_t i;
        for (i = 0; argv[3][i] && i < 255; i++)
            text[i] = (unsigned char)argv[3][i];
        text[i] = 0;
        ok = set(text);
    } else if (strcmp(argv[2], "unlink") == 0) {
        ok = unlink_();
    } else {
        return 2;
    }
    printf("ok=%d status=0x%08lx ms=%llu\n", ok, (unsigned long)status(), now_ms() - start);
    return 0;
}
`,
}
