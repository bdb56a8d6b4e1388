package e2e

import (
	"path/filepath"
	"testing"
)

// TestBytes drives the byte exports at their boundaries and checks the
// status every kind of failure leaves, from a C caller linked against the
// default DLL. The status is per thread and describes the thread's last
// call: why it failed, or 0 after a success.
func TestBytes(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		bin := filepath.Join(defaultProject(t), "bin")
		h.cProgram(t, bin, "bytes", true)
		bytesOutput(t, h.run(t, bin, h.Prog("bytes")))
	})
}

func bytesOutput(t *testing.T, r result) {
	t.Helper()
	wantOutput(t, r,
		"size: 4096",
		"write last byte: ok=1 status=0",
		"write one past: ok=0 status=BAD_ARGUMENT",
		"read last byte: ok=1 status=0 byte=0x5c",
		"read one past: ok=0 status=BAD_ARGUMENT untouched=1",
		"write n=0 at size: ok=1 status=0",
		"write across the end: ok=0 status=BAD_ARGUMENT",
		"last byte after it: 0x5c", // all or nothing
		"write n=0 past size: ok=0 status=BAD_ARGUMENT",
		"read n=0 at size: ok=1 status=0",
		"write offset 1 n=2^64-1: ok=0 status=BAD_ARGUMENT",
		"write NULL n=0: ok=1 status=0",
		"read offset 2^64-1 n=1: ok=0 status=BAD_ARGUMENT",
		"read offset 2^32 n=1: ok=0 status=BAD_ARGUMENT",
		"write NULL: ok=0 status=BAD_ARGUMENT",
		"read NULL: ok=0 status=BAD_ARGUMENT",
		// Each thread has its own status.
		"write from another thread after the failures: ok=1 status=0",
		"status of this thread after that: BAD_ARGUMENT",
		"whole payload: write ok=1 read ok=1 same=1",
		// The string lives in the same payload, as UTF-16LE from offset 0.
		`bytes of set "AB": 41 00 42 00 00 00`,
		`get after writing bytes "h\0i\0\0\0": "hi"`,
		"set NULL: ok=0 status=BAD_ARGUMENT",
		"get NULL: ok=0 status=BAD_ARGUMENT",
		"get cch 0: ok=0 status=BAD_ARGUMENT",
		"set after failures: ok=1 status=0",
	)
}
