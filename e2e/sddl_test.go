package e2e

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSDDL generates projects with --sddl. A valid descriptor must reach
// both kernel objects and leave the DLL working; one that Windows refuses
// must make every export fail with Windows's own code, not crash or fall
// back to the default DACL.
func TestSDDL(t *testing.T) {
	serial(t)
	win.require(t)
	t.Run("valid", func(t *testing.T) {
		// TestLeastPrivilege's project: a descriptor that grants Everyone
		// no more than the DLL's handles need.
		dir := newProject(t, "sddl-least", "--sddl", leastSDDL)
		bin := filepath.Join(dir, "bin")
		wantLine(t, run(t, bin, "parent.exe"), "This is a test string")
		cProgram(t, bin, "probe")
		// Wine gives the descriptor back as it was set.
		wantOutput(t, run(t, bin, "probe.exe", "dacl"),
			"size: 4096 status=0",
			"set: ok=1 status=0",
			`get: ok=1 status=0 text="probe"`,
			"write bytes: ok=1 status=0",
			`read bytes: ok=1 status=0 bytes="xyz?"`,
			"mapping dacl: "+leastSDDL,
			"lock dacl: "+leastSDDL,
			"wake dacl: "+leastSDDL,
			"note dacl: "+leastSDDL,
		)
	})

	t.Run("invalid for Windows", func(t *testing.T) {
		// Well-formed enough for shmemgen, which checks syntax only;
		// ConvertStringSecurityDescriptorToSecurityDescriptorW refuses it.
		dir := newProject(t, "sddl-bogus", "--sddl", "D:(BOGUS)")
		bin := filepath.Join(dir, "bin")
		cProgram(t, bin, "probe")
		r := run(t, bin, "probe.exe", "dacl")
		// Wine 8.0 reports 1705; Windows another code. Any Win32 code will
		// do, as long as every export gives the same one.
		status := regexp.MustCompile(`^size: 0 status=(win32:[1-9]\d*)\n`).FindStringSubmatch(r.stdout)
		if status == nil {
			t.Fatalf("want the size export to fail with a Win32 status, got %s", r)
		}
		s := status[1]
		wantOutput(t, r,
			"size: 0 status="+s,
			"set: ok=0 status="+s,
			`get: ok=0 status=`+s+` text=""`,
			"write bytes: ok=0 status="+s,
			`read bytes: ok=0 status=`+s+` bytes="????"`,
			// Nothing was created with some other descriptor instead.
			"mapping dacl: error 2",
			"lock dacl: error 2",
			"wake dacl: error 2",
			"note dacl: error 2",
		)
	})

	t.Run("enforced", func(t *testing.T) {
		// A protected DACL with no entries grants nothing: the process that
		// creates the objects may use them, any other is refused.
		dir := newProject(t, "sddl-deny", "--sddl", "D:P")
		bin := filepath.Join(dir, "bin")
		cProgram(t, bin, "probe")
		// parent.exe creates the mapping, writes, and starts the probe.
		// The probe is refused the setup mutex (ERROR_ACCESS_DENIED), which
		// it cannot tell from a squatter's: it says SQUATTED, and keeps
		// trying in the background.
		r := run(t, bin, "parent.exe", "probe.exe")
		want := strings.Join([]string{
			"size: 0 status=SQUATTED",
			"set: ok=0 status=SQUATTED",
			`get: ok=0 status=SQUATTED text=""`,
			"write bytes: ok=0 status=SQUATTED",
			`read bytes: ok=0 status=SQUATTED bytes="????"`,
		}, "\n")
		if r.status != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("got %s\nwant the probe to print:\n%s", r, want)
		}
	})
}
