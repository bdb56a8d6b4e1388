package gen

import "fmt"

// The shared layout: a header of headerSize bytes, then the payload.
const (
	headerSize  = 128
	layoutMagic = 0x474d4853 // "SHMG" in memory, little-endian
	// Version 2 put the lock in the header: a lock word instead of a
	// named mutex. Version 3 added the writing and torn ranges, and made
	// the wait export's waiters a flag instead of a count. Version 4 added
	// the sequence counters that let reads take no lock, and the record's
	// second copy.
	layoutVersion = 4
)

// HeaderField is one field of the mapping's header. The layout is decided
// here, once: api.h declares the C struct from it, layout.go the Go one,
// core.c and layout.go check every offset against it, and the generated
// README tables it.
type HeaderField struct {
	// C and Go name the field in each language; Go is "_" for padding.
	C, Go string
	// Type is the portable C type's suffix (api.h's PREFIX_Type).
	Type string
	// Count is an array's length, 0 for a scalar.
	Count uint64
	// Volatile marks the fields other processes change while the header is
	// mapped.
	Volatile bool
	// Offset is the field's place in the header.
	Offset uint64
	// Doc says what the field holds, for the README's table (Markdown).
	Doc string
}

// GoNameWidth is the width of the longest Go field name of the header,
// to which layout.go pads the names as gofmt aligns them: the templates
// write gofmt'ed Go, which the commands then need not format.
func (m Model) GoNameWidth() int {
	width := 0
	for _, f := range m.Header {
		width = max(width, len(f.Go))
	}
	return width
}

// GoType is the field's Go type.
func (f HeaderField) GoType() string {
	t := headerTypes[f.Type].goType
	if f.Count > 0 {
		return fmt.Sprintf("[%d]%s", f.Count, t)
	}
	return t
}

// headerTypes are the types a header field may have, with their Go names
// and sizes (their alignment too: every one is naturally aligned, the same
// on Windows amd64 and 386, mingw and MSVC, and Linux x86-64).
var headerTypes = map[string]struct {
	goType string
	size   uint64
}{
	"BYTE":      {"byte", 1},
	"DWORD":     {"uint32", 4},
	"LONG":      {"int32", 4},
	"ULONGLONG": {"uint64", 8},
	"LONGLONG":  {"int64", 8},
}

// headerFields lays the header out: the fields in order, each at the next
// offset its size aligns, and the reserved bytes to headerSize.
func headerFields(m Model) []HeaderField {
	fields := []HeaderField{
		{C: "magic", Go: "magic", Type: "DWORD", Doc: fmt.Sprintf("`0x%08X` (`%s_LAYOUT_MAGIC`, \"SHMG\" in memory)", m.LayoutMagic, m.MacroPrefix)},
		{C: "version", Go: "version", Type: "DWORD", Doc: fmt.Sprintf("%d (`%s_LAYOUT_VERSION`)", m.LayoutVersion, m.MacroPrefix)},
		{C: "header_size", Go: "headerSize", Type: "DWORD", Doc: fmt.Sprint(headerSize)},
		{C: "flags", Go: "flags", Type: "DWORD", Doc: "0: none are defined yet"},
		{C: "payload_size", Go: "payloadSize", Type: "ULONGLONG", Doc: fmt.Sprintf("%d (`%s_PAYLOAD_SIZE`)", m.Size, m.MacroPrefix)},
		{C: "lock", Go: "lock", Type: "LONGLONG", Volatile: true, Doc: "the lock word: 0 when free"},
		{C: "generation", Go: "generation", Type: "ULONGLONG", Volatile: true, Doc: "the count of writes: 1 when created"},
		{C: "waiting", Go: "waiting", Type: "LONG", Volatile: true, Doc: "1 when a waiter of the wait export may be asleep"},
		{C: "wake_seq", Go: "wakeSeq", Type: "LONG", Volatile: true, Doc: "Linux: the lock's futex word (see [Linux](#linux)); 0 on Windows"},
		{C: "writing_from", Go: "writingFrom", Type: "ULONGLONG", Volatile: true, Doc: "the start of the payload range the lock's holder is writing"},
		{C: "writing_to", Go: "writingTo", Type: "ULONGLONG", Volatile: true, Doc: "its end; 0 when the holder is not writing"},
		{C: "torn_from", Go: "tornFrom", Type: "ULONGLONG", Volatile: true, Doc: "the start of the payload range that writers who died left half-written"},
		{C: "torn_to", Go: "tornTo", Type: "ULONGLONG", Volatile: true, Doc: "its end; 0 when nothing is torn"},
		{C: "note_seq", Go: "noteSeq", Type: "LONG", Volatile: true, Doc: "Linux: the wait export's futex word (see [Linux](#linux)); 0 on Windows"},
		{C: "seq", Go: "seq", Type: "DWORD", Volatile: true, Doc: "the payload's sequence count: odd while a writer changes the payload, so that a read that saw it odd, or changed, reads again"},
	}
	if m.Record != nil {
		// Only with a record, so that a project without one has none of
		// it. seq ends at 88, so the hash is at a multiple of 8 for every
		// compiler (Go on 386 aligns a uint64 to 4 only).
		fields = append(fields, HeaderField{C: "record_hash", Go: "recordHash", Type: "ULONGLONG",
			Doc: fmt.Sprintf("`0x%016x` (`%s_RECORD_LAYOUT_HASH`): the typed record's layout; a library built for another finds `BAD_LAYOUT`", m.Record.LayoutHash, m.MacroPrefix)})
		fields = append(fields, HeaderField{C: "record_seq", Go: "recordSeq", Type: "DWORD", Volatile: true,
			Doc: "the record's latch count: a writer makes it odd, writes copy 0, makes it even, writes copy 1; a read reads the copy its parity names"})
	}
	var offset uint64
	for i := range fields {
		size := headerTypes[fields[i].Type].size
		offset = (offset + size - 1) / size * size
		fields[i].Offset = offset
		offset += size
	}
	return append(fields, HeaderField{C: "reserved", Go: "_", Type: "BYTE", Count: headerSize - offset, Offset: offset, Doc: "0"})
}
