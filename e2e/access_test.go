package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestLeastPrivilege reads back, with NtQueryObject, the access the DLL's
// handles were granted when it opened objects another process created:
// SYNCHRONIZE|MUTEX_MODIFY_STATE on the setup mutex (0x100001),
// SYNCHRONIZE|EVENT_MODIFY_STATE on the wake event (0x100002) and
// FILE_MAP_READ|FILE_MAP_WRITE on the section (0x6), each with READ_CONTROL
// (0x20000) under the default --trust owner, which reads their owners. Anything wider
// (MUTEX_ALL_ACCESS, which CreateMutex asks for) makes every peer need a
// DACL that grants WRITE_DAC and WRITE_OWNER too; the old setup's handles
// read back 0x1f0001, 0x1f0003 and 0xf0007. Then it shows that a DACL
// granting no more than that, and SECTION_QUERY, which shares its bit with
// MUTEX_MODIFY_STATE, is enough. Wine 8 does not show that it was not
// before: it let the old setup's MUTEX_ALL_ACCESS through such a DACL
// (while it does enforce D:P, which grants nothing), where Windows refuses
// it; docs/security.md gives the manual check.
func TestLeastPrivilege(t *testing.T) {
	serial(t)
	win.require(t)
	granted := []string{
		"set: ok=1 status=0",
		"mapping access: 0x20006",
		"lock access: 0x120001",
		"wake access: 0x120002",
	}
	grantedHeader := []string{
		"set: ok=1 status=0",
		"mapping access: 0x6",
		"lock access: 0x100001",
		"wake access: 0x100002",
	}

	t.Run("default DACL", func(t *testing.T) {
		bin := filepath.Join(defaultProject(t), "bin")
		cProgram(t, bin, "access")
		wantChild(t, run(t, bin, "parent.exe", "access.exe"), granted...)
	})

	t.Run("default DACL, --trust header", func(t *testing.T) {
		bin := filepath.Join(headerProject(t), "bin")
		cProgram(t, bin, "access")
		wantChild(t, run(t, bin, "parent.exe", "access.exe"), grantedHeader...)
	})

	t.Run("a DACL granting only those rights", func(t *testing.T) {
		// 0x100007 is SYNCHRONIZE and the three lowest specific rights: on
		// the mutex MUTEX_MODIFY_STATE; on the event EVENT_QUERY_STATE and
		// EVENT_MODIFY_STATE; on the section SECTION_QUERY,
		// SECTION_MAP_WRITE and SECTION_MAP_READ. 0x20000 is READ_CONTROL.
		dir := newProject(t, "sddl-least", "--sddl", leastSDDL)
		bin := filepath.Join(dir, "bin")
		cProgram(t, bin, "access")
		wantChild(t, run(t, bin, "parent.exe", "access.exe"), granted...)
		wantLine(t, run(t, bin, "parent.exe"), "This is a test string")
	})
}

// leastSDDL grants Everyone (WD) SYNCHRONIZE, READ_CONTROL and the three
// lowest specific rights (0x120007), no more: what the DLL's handles ask.
const leastSDDL = "D:P(A;;0x120007;;;WD)"

// wantChild fails unless r, a parent.exe that ran a child, exited 0 with
// the child's lines want among its output, in order and together.
func wantChild(t *testing.T, r result, want ...string) {
	t.Helper()
	if r.status != 0 || !strings.Contains(r.stdout, strings.Join(want, "\n")) {
		t.Errorf("got %s\nwant the child to print:\n%s", r, strings.Join(want, "\n"))
	}
}
