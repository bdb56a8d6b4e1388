package e2e

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// recordArgs make the project of the typed record tests: a record of
// every scalar kind, text, bytes and an array, after the default payload,
// under a name of its own.
var recordArgs = []string{"--name", "shmemgen-e2e-record", "--os", "windows,linux", "--record", "Sample",
	"--field", "count:u64", "--field", "temp:f64", "--field", "label:utf16[12]", "--field", "samples:i32[5]",
	"--field", "ok:bool", "--field", "small:i8", "--field", "big:i64", "--field", "half:u16",
	"--field", "ratio:f32", "--field", "blob:bytes[3]"}

// TestRecord writes a record whose every field is at a boundary through
// the record's write export and reads it back through its read export, as
// a C caller of each system: the same bytes, a write the wait export
// counts, NULLs refused, and a record the bytes exports cannot reach.
//
// The record tests share their segment with each other and with no other
// test: they run one after the other, not alone.
func TestRecord(t *testing.T) {
	overHosts(t, func(t *testing.T, h *host) {
		freshRecord(t, h)
		bin := filepath.Join(sharedProject(t, "record", recordArgs...), "bin")
		h.cProgram(t, bin, "record", false)
		wantOutput(t, h.run(t, bin, h.Prog("record"), "roundtrip"),
			"write: ok=1 status=0",
			"one write counted: 1",
			"read: ok=1 status=0",
			"same bytes: 1",
			"count=18446744073709551615 big=-9223372036854775808 small=-128 half=65535 ok=1",
			"samples=-2147483648,-1,0,1,2147483647",
			`temp=-1.7976931348623157e+308 ratio=3.5 label="hello world" blob=0080ff`,
			"read NULL: ok=0 status=BAD_ARGUMENT",
			"write NULL: ok=0 status=BAD_ARGUMENT",
			"bytes past the payload: ok=0 status=BAD_ARGUMENT",
			"size: 4096",
			"record after a payload write: ok=1 same=1",
		)
	})
}

// TestRecordAcrossLanguages: a record C writes, Go reads through the
// client package, field for field, and the other way round, on each
// system.
func TestRecordAcrossLanguages(t *testing.T) {
	overHosts(t, func(t *testing.T, h *host) {
		freshRecord(t, h)
		dir := sharedProject(t, "record", recordArgs...)
		bin := filepath.Join(dir, "bin")
		h.cProgram(t, bin, "record", false)
		clientProgram(t, h, dir, "recordclient")
		wantOutput(t, h.run(t, bin, h.Prog("recordclient")),
			"c written: ok=1 status=0",
			"go read:",
			"count=18446744073709551615 big=-9223372036854775808 small=-128 half=65535 ok=1",
			"samples=-2147483648,-1,0,1,2147483647",
			`temp=-1.7976931348623157e+308 ratio=3.5 label="hello world" blob=0080ff`,
			"c read: ok=1 status=0",
			"count=1 big=9223372036854775807 small=127 half=0 ok=1",
			"samples=5,4,3,2,1",
			`temp=0.10000000000000001 ratio=-2.25 label="Go wrote" blob=010203`,
		)
	})
}

// TestRecordWriterDies: a writer that dies half-way through a record
// write, holding the lock, never exposes its half: reads go on returning
// the last complete record, status 0 (the record's latch), and the next
// write takes the lock over and writes whole.
func TestRecordWriterDies(t *testing.T) {
	overHosts(t, func(t *testing.T, h *host) {
		freshRecord(t, h)
		bin := filepath.Join(sharedProject(t, "record", recordArgs...), "bin")
		h.cProgram(t, bin, "record", false)
		wantOutput(t, h.run(t, bin, h.Prog("record"), "torn"),
			"first write: ok=1 status=0",
			"writer: exit=7",
			"read after the death: ok=1 status=0 count=42",
			"whole write: ok=1 status=0",
			"read: ok=1 status=0 count=43",
		)
	})
}

// TestRecordBadLayout: a segment whose header is valid but for the record
// layout hash, as a library built for another record leaves it, is
// refused with BAD_LAYOUT. On Linux, where a segment outlives its
// creator, so that one process can leave it for the next.
func TestRecordBadLayout(t *testing.T) {
	lin.require(t)
	freshRecord(t, lin)
	bin := filepath.Join(sharedProject(t, "record", recordArgs...), "bin")
	lin.cProgram(t, bin, "record", false)
	wantOutput(t, lin.run(t, bin, "record", "forge"), "forged")
	wantOutput(t, lin.run(t, bin, "record", "read"), "read: ok=0 status=BAD_LAYOUT")
}

// recordSegment is the POSIX segment of recordArgs' project.
const recordSegment = "/dev/shm/shmemgen-e2e-record"

// freshRecord is host.fresh for recordArgs' project.
func freshRecord(tb testing.TB, h *host) {
	tb.Helper()
	if h.System != "linux" {
		return
	}
	remove := func() {
		if err := os.Remove(recordSegment); err != nil && !errors.Is(err, os.ErrNotExist) {
			tb.Errorf("removing %s: %v", recordSegment, err)
		}
	}
	remove()
	tb.Cleanup(remove)
}
