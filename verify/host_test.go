package verify_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/shmemgen/shmemgen/verify"
)

// TestHostNames: each host's file names, and how its programs see a path.
func TestHostNames(t *testing.T) {
	for _, tc := range []struct {
		h                 verify.Host
		prog, lib, path   string
		childArg, childIn string
	}{
		{verify.WineHost, "parent.exe", "shmem.dll", `Z:\tmp\a b\child.exe`, `"/tmp/it's"`, "/tmp/it's"},
		{verify.WindowsHost, "parent.exe", "shmem.dll", "/tmp/a b/child.exe", `"/tmp/it's"`, "/tmp/it's"},
		{verify.LinuxHost, "parent", "libshmem.so", "/tmp/a b/child.exe", `'/tmp/it'\''s'`, "/tmp/it's"},
	} {
		t.Run(tc.h.Name, func(t *testing.T) {
			if got := tc.h.Prog("parent"); got != tc.prog {
				t.Errorf("Prog = %q, want %q", got, tc.prog)
			}
			if got := tc.h.Lib("shmem"); got != tc.lib {
				t.Errorf("Lib = %q, want %q", got, tc.lib)
			}
			if got := tc.h.Path("/tmp/a b/child.exe"); got != tc.path {
				t.Errorf("Path = %q, want %q", got, tc.path)
			}
			if got := tc.h.ChildArg(tc.childIn); got != tc.childArg {
				t.Errorf("ChildArg = %q, want %q", got, tc.childArg)
			}
		})
	}
}

// TestLinuxChildArg runs a program whose path has a space and a quote the
// way the Linux parents run their child, with /bin/sh -c, through the
// Linux host.
func TestLinuxChildArg(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the Linux host runs on Linux")
	}
	dir := filepath.Join(t.TempDir(), "it's a dir")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	child := filepath.Join(dir, "child")
	if err := os.WriteFile(child, []byte("#!/bin/sh\necho child ran\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	h := verify.LinuxHost
	cmd := h.Command(t.Context(), dir, "/bin/sh", "-c", h.ChildArg(h.Path(child)))
	out, err := cmd.CombinedOutput()
	if err != nil || string(out) != "child ran\n" {
		t.Errorf("sh -c %s: %v\n%s", h.ChildArg(child), err, out)
	}
	if cmd.Dir != dir {
		t.Errorf("Command ran in %q, want %q", cmd.Dir, dir)
	}
	// A program named without a directory is the one in dir.
	if out, err := h.Command(t.Context(), dir, "child").CombinedOutput(); err != nil || string(out) != "child ran\n" {
		t.Errorf("Command(dir, child): %v\n%s", err, out)
	}
}
