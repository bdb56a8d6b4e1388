package verify

import (
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"

	"github.com/shmemgen/shmemgen/config"
)

// VersionInfo is what a PE file's VERSIONINFO resource says.
type VersionInfo struct {
	// FileVersion and ProductVersion are VS_FIXEDFILEINFO's, as four
	// numbers: major, minor, build, revision.
	FileVersion    [4]uint16
	ProductVersion [4]uint16
	// Strings are the StringFileInfo values of the first string table
	// (FileVersion, ProductName, OriginalFilename, …).
	Strings map[string]string
}

// ErrNoVersionInfo is returned for a PE file without an RT_VERSION resource.
var ErrNoVersionInfo = errors.New("no RT_VERSION resource")

// rtVersion is RT_VERSION's resource type ID.
const rtVersion = 16

// fixedSignature starts VS_FIXEDFILEINFO.
const fixedSignature = 0xFEEF04BD

// ReadVersionInfo reads the VERSIONINFO resource of the PE file at path:
// the resource directory (data directory 2) down from RT_VERSION to its
// first name and language, then VS_VERSIONINFO, whose VS_FIXEDFILEINFO must
// carry its signature, 0xFEEF04BD. debug/pe decodes none of this.
func ReadVersionInfo(path string) (VersionInfo, error) {
	f, err := pe.Open(path)
	if err != nil {
		return VersionInfo{}, err
	}
	defer f.Close()
	dirs, err := dataDirectories(f, path)
	if err != nil {
		return VersionInfo{}, err
	}
	if len(dirs) <= pe.IMAGE_DIRECTORY_ENTRY_RESOURCE || dirs[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE].VirtualAddress == 0 {
		return VersionInfo{}, fmt.Errorf("%s: no resource directory: %w", path, ErrNoVersionInfo)
	}
	img := image{f: f, data: map[*pe.Section][]byte{}}
	base := dirs[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE].VirtualAddress
	root, err := img.at(base)
	if err != nil {
		return VersionInfo{}, fmt.Errorf("%s: resource directory: %w", path, err)
	}
	le := binary.LittleEndian
	// entries returns a directory's entries as (id or name offset, offset
	// with its high bit marking a subdirectory) pairs. Offsets are from the
	// start of the resource directory.
	entries := func(off uint32) ([][2]uint32, error) {
		if uint64(off)+16 > uint64(len(root)) {
			return nil, fmt.Errorf("resource directory at %#x out of bounds", off)
		}
		n := uint32(le.Uint16(root[off+12:])) + uint32(le.Uint16(root[off+14:]))
		if uint64(off)+16+8*uint64(n) > uint64(len(root)) {
			return nil, fmt.Errorf("resource directory at %#x: %d entries out of bounds", off, n)
		}
		out := make([][2]uint32, n)
		for i := range n {
			e := root[off+16+8*i:]
			out[i] = [2]uint32{le.Uint32(e), le.Uint32(e[4:])}
		}
		return out, nil
	}
	const subdir = 0x80000000
	// Level 1: the type. Levels 2 and 3: the first name, the first language.
	types, err := entries(0)
	if err != nil {
		return VersionInfo{}, fmt.Errorf("%s: %w", path, err)
	}
	off := uint32(0)
	for _, e := range types {
		if e[0] == rtVersion && e[1]&subdir != 0 {
			off = e[1] &^ subdir
		}
	}
	if off == 0 {
		return VersionInfo{}, fmt.Errorf("%s: %w", path, ErrNoVersionInfo)
	}
	for level := range 2 {
		es, err := entries(off)
		if err != nil {
			return VersionInfo{}, fmt.Errorf("%s: RT_VERSION: %w", path, err)
		}
		if len(es) == 0 {
			return VersionInfo{}, fmt.Errorf("%s: RT_VERSION: empty directory: %w", path, ErrNoVersionInfo)
		}
		off = es[0][1]
		if isDir := off&subdir != 0; isDir != (level == 0) {
			return VersionInfo{}, fmt.Errorf("%s: RT_VERSION: malformed resource tree", path)
		}
		off &^= subdir
	}
	if uint64(off)+16 > uint64(len(root)) {
		return VersionInfo{}, fmt.Errorf("%s: RT_VERSION data entry out of bounds", path)
	}
	rva, size := le.Uint32(root[off:]), le.Uint32(root[off+4:])
	data, err := img.at(rva)
	if err != nil {
		return VersionInfo{}, fmt.Errorf("%s: RT_VERSION data: %w", path, err)
	}
	if uint64(size) > uint64(len(data)) {
		return VersionInfo{}, fmt.Errorf("%s: RT_VERSION data of %d bytes truncated to %d", path, size, len(data))
	}
	info, err := parseVersionInfo(data[:size])
	if err != nil {
		return VersionInfo{}, fmt.Errorf("%s: %w", path, err)
	}
	return info, nil
}

// block is one node of VS_VERSIONINFO's tree: wLength, wValueLength, wType,
// a NUL-terminated UTF-16 key, padding to 32 bits, the value, padding, and
// children to wLength.
type block struct {
	key      string
	value    []byte // wValueLength bytes, or UTF-16 units for text (wType 1)
	text     bool
	children []byte
}

func align4(n int) int { return (n + 3) &^ 3 }

func parseBlock(b []byte) (block, int, error) {
	le := binary.LittleEndian
	if len(b) < 6 {
		return block{}, 0, errors.New("version block truncated")
	}
	length, valueLen, typ := int(le.Uint16(b)), int(le.Uint16(b[2:])), le.Uint16(b[4:])
	if length < 6 || length > len(b) {
		return block{}, 0, fmt.Errorf("version block length %d out of bounds (%d)", length, len(b))
	}
	b = b[:length]
	var key []uint16
	i := 6
	for ; i+1 < length; i += 2 {
		u := le.Uint16(b[i:])
		if u == 0 {
			break
		}
		key = append(key, u)
	}
	i = align4(i + 2)
	blk := block{key: string(utf16.Decode(key)), text: typ == 1}
	n := valueLen
	if blk.text {
		n *= 2
	}
	if i+n > length {
		n = max(0, length-i) // windres counts some values loosely
	}
	if i <= length {
		blk.value = b[i : i+n]
	}
	i = align4(i + n)
	if i < length {
		blk.children = b[i:]
	}
	return blk, align4(length), nil
}

func children(b []byte) ([]block, error) {
	var out []block
	for len(b) >= 6 {
		blk, n, err := parseBlock(b)
		if err != nil {
			return nil, err
		}
		out = append(out, blk)
		if n >= len(b) {
			break
		}
		b = b[n:]
	}
	return out, nil
}

func utf16String(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

func parseVersionInfo(data []byte) (VersionInfo, error) {
	root, _, err := parseBlock(data)
	if err != nil {
		return VersionInfo{}, err
	}
	if root.key != "VS_VERSION_INFO" {
		return VersionInfo{}, fmt.Errorf("RT_VERSION resource keyed %s, not VS_VERSION_INFO", config.Quote(root.key))
	}
	le := binary.LittleEndian
	if len(root.value) < 52 || le.Uint32(root.value) != fixedSignature {
		return VersionInfo{}, fmt.Errorf("RT_VERSION resource without VS_FIXEDFILEINFO's signature %#x", uint32(fixedSignature))
	}
	v := root.value
	info := VersionInfo{
		FileVersion:    [4]uint16{le.Uint16(v[10:]), le.Uint16(v[8:]), le.Uint16(v[14:]), le.Uint16(v[12:])},
		ProductVersion: [4]uint16{le.Uint16(v[18:]), le.Uint16(v[16:]), le.Uint16(v[22:]), le.Uint16(v[20:])},
		Strings:        map[string]string{},
	}
	kids, err := children(root.children)
	if err != nil {
		return VersionInfo{}, err
	}
	for _, k := range kids {
		if k.key != "StringFileInfo" {
			continue
		}
		tables, err := children(k.children)
		if err != nil {
			return VersionInfo{}, err
		}
		if len(tables) == 0 {
			break
		}
		strs, err := children(tables[0].children)
		if err != nil {
			return VersionInfo{}, err
		}
		for _, s := range strs {
			info.Strings[s.key] = utf16String(s.value)
		}
	}
	return info, nil
}

// versionString formats v as major.minor.build.revision.
func versionString(v [4]uint16) string {
	return fmt.Sprintf("%d.%d.%d.%d", v[0], v[1], v[2], v[3])
}
