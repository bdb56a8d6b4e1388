// Package usercache is where shmemgen keeps what it remembers between runs,
// in the user's cache directory: each kind of record in a directory of its
// own, bounded by Prune. Nothing kept there is needed: a record lost, or
// one that does not verify, only costs a run the work it saves.
package usercache

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
)

// Dir is the directory for records of one kind, name, which may not exist
// yet.
func Dir(name string) (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(cache, "shmemgen", name), nil
}

// Prune removes the least recently written files of dir once it holds more
// than max, down to half of max: a run that writes records prunes, and
// most runs find nothing to remove without sorting.
func Prune(dir string, max int) {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) <= max {
		return
	}
	type aged struct {
		name string
		mod  int64
	}
	var all []aged
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			all = append(all, aged{e.Name(), info.ModTime().UnixNano()})
		}
	}
	slices.SortFunc(all, func(a, b aged) int { return cmp.Compare(b.mod, a.mod) })
	for _, a := range all[min(len(all), max/2):] {
		os.Remove(filepath.Join(dir, a.name))
	}
}
