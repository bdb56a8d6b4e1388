package verify

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// Exports returns the sorted names in the export table of the PE file at
// dllPath (amd64 or 386). That is every export with a name, functions and
// data alike; ordinal-only exports are omitted. A file without an export
// table yields no names and no error.
//
// debug/pe does not decode exports, so this reads IMAGE_EXPORT_DIRECTORY
// (data directory 0) and its name pointer table by hand.
func Exports(dllPath string) ([]string, error) {
	f, err := pe.Open(dllPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	dirs, err := dataDirectories(f, dllPath)
	if err != nil {
		return nil, err
	}
	if len(dirs) <= pe.IMAGE_DIRECTORY_ENTRY_EXPORT || dirs[pe.IMAGE_DIRECTORY_ENTRY_EXPORT].VirtualAddress == 0 {
		return nil, nil
	}

	img := image{f: f, data: map[*pe.Section][]byte{}}
	ed, err := img.at(dirs[pe.IMAGE_DIRECTORY_ENTRY_EXPORT].VirtualAddress)
	if err != nil {
		return nil, fmt.Errorf("%s: export directory: %w", dllPath, err)
	}
	// IMAGE_EXPORT_DIRECTORY is 40 bytes; NumberOfNames is at 24 and
	// AddressOfNames (RVA of an array of name RVAs) at 32.
	if len(ed) < 40 {
		return nil, fmt.Errorf("%s: truncated export directory", dllPath)
	}
	le := binary.LittleEndian
	n := le.Uint32(ed[24:])
	table, err := img.at(le.Uint32(ed[32:]))
	if err != nil {
		return nil, fmt.Errorf("%s: export name table: %w", dllPath, err)
	}
	if uint64(len(table)) < 4*uint64(n) {
		return nil, fmt.Errorf("%s: export name table truncated (%d names)", dllPath, n)
	}
	names := make([]string, 0, n)
	for i := range n {
		b, err := img.at(le.Uint32(table[4*i:]))
		if err != nil {
			return nil, fmt.Errorf("%s: export name %d: %w", dllPath, i, err)
		}
		end := bytes.IndexByte(b, 0)
		if end < 0 {
			return nil, fmt.Errorf("%s: export name %d not NUL-terminated", dllPath, i)
		}
		names = append(names, string(b[:end]))
	}
	slices.Sort(names)
	return names, nil
}

// image maps RVAs to file bytes, reading each section at most once.
type image struct {
	f    *pe.File
	data map[*pe.Section][]byte
}

// at returns the bytes at rva up to the end of the section's raw data.
func (img image) at(rva uint32) ([]byte, error) {
	for _, s := range img.f.Sections {
		if rva < s.VirtualAddress || rva-s.VirtualAddress >= max(s.VirtualSize, s.Size) {
			continue
		}
		d, ok := img.data[s]
		if !ok {
			var err error
			if d, err = s.Data(); err != nil {
				return nil, err
			}
			img.data[s] = d
		}
		off := rva - s.VirtualAddress
		if off >= uint32(len(d)) {
			return nil, fmt.Errorf("RVA %#x lies in the zero-filled tail of %s", rva, s.Name)
		}
		return d[off:], nil
	}
	return nil, fmt.Errorf("RVA %#x is in no section", rva)
}

// dataDirectories returns the image's data directories, those its header
// says it has.
func dataDirectories(f *pe.File, path string) ([]pe.DataDirectory, error) {
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader32:
		return oh.DataDirectory[:min(oh.NumberOfRvaAndSizes, uint32(len(oh.DataDirectory)))], nil
	case *pe.OptionalHeader64:
		return oh.DataDirectory[:min(oh.NumberOfRvaAndSizes, uint32(len(oh.DataDirectory)))], nil
	}
	return nil, fmt.Errorf("%s: no optional header, not an image", path)
}

// ImportedSymbols lists what the PE file at path imports, each as
// "SYMBOL:DLL", the DLL named as its import table spells it.
func ImportedSymbols(path string) ([]string, error) {
	f, err := pe.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	syms, err := f.ImportedSymbols()
	if err != nil {
		return nil, fmt.Errorf("%s: import table: %w", filepath.Base(path), err)
	}
	return syms, nil
}

// ImportedDLLs lists the DLLs the PE file at path imports, each once, as
// its import table spells them (KERNEL32.dll), sorted. debug/pe's
// ImportedLibraries is unimplemented; every imported symbol names its DLL.
func ImportedDLLs(path string) ([]string, error) {
	syms, err := ImportedSymbols(path)
	if err != nil {
		return nil, err
	}
	var libs []string
	for _, sym := range syms {
		if _, lib, ok := strings.Cut(sym, ":"); ok && !slices.Contains(libs, lib) {
			libs = append(libs, lib)
		}
	}
	slices.Sort(libs)
	return libs, nil
}

// Machine is the machine type of the PE file at path:
// pe.IMAGE_FILE_MACHINE_AMD64 or pe.IMAGE_FILE_MACHINE_I386 for what
// shmemgen builds.
func Machine(path string) (uint16, error) {
	f, err := pe.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return f.FileHeader.Machine, nil
}
