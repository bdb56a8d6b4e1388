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
	serial(t)
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
	serial(t)
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
	serial(t)
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
	serial(t)
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

// TestRecordFields: single fields and slices written through api.h's
// typed setters and the range export, linked with the library, each one
// write for the wait export that changes its own bytes and no others, and
// ranges past the record, overflowing or from NULL, slices past an
// array's end and text too long for its field refused with BAD_ARGUMENT,
// the record unchanged. Then Go's setters against C: what C set, Go reads
// with the rest unchanged, and the other way round.
func TestRecordFields(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		freshRecord(t, h)
		dir := sharedProject(t, "record", recordArgs...)
		bin := filepath.Join(dir, "bin")
		h.cProgram(t, bin, "recordfield", true)
		wantOutput(t, h.run(t, bin, h.Prog("recordfield"), "fields"),
			"whole: ok=1 status=0",
			"temp: ok=1",
			"samples[1..2]: ok=1",
			"label: ok=1",
			"blob[2]: ok=1",
			"ok: ok=1",
			"big's first byte: ok=1",
			"writes counted: 6",
			"the rest unchanged: 1",
			`count=11 temp=-2.75 label="after" samples=100,-7,8,103,104 ok=0 small=-3 big=-240 half=7 ratio=0.25 blob=7879ee`,
		)
		wantOutput(t, h.run(t, bin, h.Prog("recordfield"), "refuse"),
			"one byte past the end: ok=0 status=BAD_ARGUMENT",
			"the last byte: ok=1 status=0",
			"empty at the end: ok=1 status=0",
			"empty past the end: ok=0 status=BAD_ARGUMENT",
			"offset + n overflows: ok=0 status=BAD_ARGUMENT",
			"offset overflows: ok=0 status=BAD_ARGUMENT",
			"NULL: ok=0 status=BAD_ARGUMENT",
			"NULL, nothing: ok=1 status=0",
			"samples[4..5]: ok=0 status=BAD_ARGUMENT",
			"samples[6..]: ok=0 status=BAD_ARGUMENT",
			"samples[5..]: ok=1 status=0",
			"samples[0..5]: ok=0 status=BAD_ARGUMENT",
			"label of 12: ok=0 status=BAD_ARGUMENT",
			"label NULL: ok=0 status=BAD_ARGUMENT",
			"record unchanged: 1",
		)
		clientProgram(t, h, dir, "recordsetters")
		wantOutput(t, h.run(t, bin, h.Prog("recordsetters")),
			"c written: ok=1 status=0",
			"c set: ok=1 status=0",
			`go read: count=11 temp=-2.75 label="after" samples=100,-7,8,103,104 ok=1 small=-3 big=-1 half=7 ratio=0.25 blob=78797a`,
			"SetCount: ok",
			"SetSamples(3): ok",
			"SetLabel: ok",
			"SetBlob(0): ok",
			"SetRatio: ok",
			"SetSamples(4) of 2: BAD_ARGUMENT",
			"SetSamples(-1): BAD_ARGUMENT",
			"SetSamples(5) of 0: ok",
			"SetLabel of 12: BAD_ARGUMENT",
			"SetLabel with a NUL: BAD_ARGUMENT",
			"WriteRecordRange past the end: BAD_ARGUMENT",
			"c read: ok=1 status=0",
			`c count=99 temp=-2.75 label="Go ?" samples=100,-7,8,-30,-40 ok=1 small=-3 big=-1 half=7 ratio=-0.5 blob=01027a`,
		)
	})
}

// TestRecordFieldWriters: two processes each write their own field of the
// record, 1 to N, through its setter, at the same time, and read the record
// after each write: neither ever finds its field other than it left it,
// and both end at N. A whole-record read-modify-write would lose the
// other's writes; a range write leaves them alone.
func TestRecordFieldWriters(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		freshRecord(t, h)
		bin := filepath.Join(sharedProject(t, "record", recordArgs...), "bin")
		h.cProgram(t, bin, "recordfield", true)
		const n = "200000"
		r := h.run(t, bin, h.Prog("recordfield"), "stress", n)
		wantOutput(t, r,
			"bump count "+n+": exit=0",
			"bump big "+n+": exit=0",
			"read: ok=1 count="+n+" big="+n,
		)
	})
}

// TestRecordFieldWriterDies: a writer that dies half-way through setting
// one field, holding the lock, leaves the last complete record readable:
// reads say nothing and show the field as it was before (the latch's
// other copy), never the half it wrote, and the next writes of a field
// land whole.
func TestRecordFieldWriterDies(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		freshRecord(t, h)
		bin := filepath.Join(sharedProject(t, "record", recordArgs...), "bin")
		h.cProgram(t, bin, "recordfield", true)
		wantOutput(t, h.run(t, bin, h.Prog("recordfield"), "torn"),
			"whole: ok=1 status=0",
			"writer: exit=7",
			"read after the death: ok=1 status=0 samples=100,101,102,103,104",
			"temp: ok=1 status=0",
			"read: ok=1 status=0 temp=3.5",
			"samples: ok=1 status=0",
			"read: ok=1 status=0 samples=1,2,3,4,5",
		)
	})
}
