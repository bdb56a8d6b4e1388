package verify

import (
	"debug/elf"
	"fmt"
	"path/filepath"
	"slices"
)

// ELFExports lists, sorted, the symbols the shared library at path
// defines and exports: its dynamic symbols that are defined and not local.
func ELFExports(path string) ([]string, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	syms, err := f.DynamicSymbols()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	var names []string
	for _, sym := range syms {
		if sym.Section != elf.SHN_UNDEF && elf.ST_BIND(sym.Info) != elf.STB_LOCAL {
			names = append(names, sym.Name)
		}
	}
	slices.Sort(names)
	return names, nil
}
