package gen

import (
	"io/fs"
	"sort"
)

// File is one rendered file: a slash-separated path relative to the project
// root, its bytes and its permission bits.
type File struct {
	Path string
	Data []byte
	Mode fs.FileMode
}

// FileSet is a rendered project, sorted by path.
type FileSet []File

func (s FileSet) sort() {
	sort.Slice(s, func(i, j int) bool { return s[i].Path < s[j].Path })
}

// Lookup returns the file at path, if the set has it.
func (s FileSet) Lookup(path string) (File, bool) {
	i := sort.Search(len(s), func(i int) bool { return s[i].Path >= path })
	if i < len(s) && s[i].Path == path {
		return s[i], true
	}
	return File{}, false
}
