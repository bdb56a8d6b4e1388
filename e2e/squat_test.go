package e2e

import (
	"path/filepath"
	"testing"
)

// TestSquatting has another process create the mapping's name first, then
// load the DLL: it must refuse a section it cannot trust, with every export
// returning FALSE and the layout status, touch none of it, and not crash
// its host.
//
// The project trusts a valid header (--trust header): under Wine the
// probe's section, made without a security descriptor, has no owner, which
// the default --trust owner refuses before the header is read
// (TestTrust tests that check).
func TestSquatting(t *testing.T) {
	serial(t)
	t.Run("linux", linuxSquatting)
	win.require(t)
	bin := filepath.Join(headerProject(t), "bin")
	cProgram(t, bin, "probe")
	// The DLL's section is a 64-byte header and a 4096-byte payload.
	refused := []string{
		"size: 0 status=BAD_LAYOUT",
		"set: ok=0 status=BAD_LAYOUT",
		`get: ok=0 status=BAD_LAYOUT text=""`, // get empties dst before it fails
		"write bytes: ok=0 status=BAD_LAYOUT",
		`read bytes: ok=0 status=BAD_LAYOUT bytes="????"`,
		"squatted section untouched: 1",
	}
	for _, tc := range []struct {
		name, size, kind string
	}{
		{"smaller, garbage", "4096", "garbage"},
		// A valid header, but the section holds 4096 bytes, not the 4160
		// the header implies: only the view's real size gives it away, and
		// trusting the header would read and write past the view.
		{"smaller, header claims the full payload", "4096", "header"},
		// Big enough, but not ours.
		{"full size, garbage", "4160", "garbage"},
		{"full size, another layout version", "4160", "version"},
		// A valid header, but nothing committed (SEC_RESERVE): on Windows
		// reading it faults, killing the host at load; Wine reads it, so
		// only VirtualQuery's MEM_RESERVE gives it away here.
		{"reserved, valid header", "8192", "reserved"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantOutput(t, run(t, bin, "probe.exe", "squat", tc.size, tc.kind), refused...)
		})
	}

	// The control: a program that creates the section as the README's
	// protocol says is no squatter, and the DLL works on its section.
	t.Run("full size, valid header", func(t *testing.T) {
		wantOutput(t, run(t, bin, "probe.exe", "squat", "4160", "header"),
			"size: 4096 status=0",
			"set: ok=1 status=0",
			`get: ok=1 status=0 text="probe"`,
			"write bytes: ok=1 status=0",
			`read bytes: ok=1 status=0 bytes="xyz?"`,
			"squatted section untouched: 0",
		)
	})
}

// headerProject is the default project with --trust header: for the tests
// whose programs create the DLL's names themselves, to test what follows.
// Under Wine an object created without a security descriptor has no
// owner, and the default --trust owner refuses it as SQUATTED; on Windows
// such a program's objects are owned by its user, and trusted.
func headerProject(tb testing.TB) string {
	tb.Helper()
	return sharedProject(tb, "trust-header", "--trust", "header")
}
