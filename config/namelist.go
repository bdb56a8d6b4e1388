package config

import (
	"iter"
	"strings"
)

// nameList is a list of names as the embedded files hold it: comment lines
// starting with # at the top, then one name a line, sorted bytewise, each
// ending in a newline. It is searched where it lies: making a map of
// sysnames.txt's 38,000 names cost every run of shmemgen more than the
// rest of validation and rendering together (TestNameListsSorted keeps
// the files searchable).
type nameList string

// names returns the list without its comment lines.
func (l nameList) names() string {
	s := string(l)
	for strings.HasPrefix(s, "#") {
		_, s, _ = strings.Cut(s, "\n")
	}
	return s
}

// has reports whether name is in the list, by binary search over the lines.
func (l nameList) has(name string) bool {
	s := l.names()
	lo, hi := 0, len(s) // lo and hi are the starts of lines, or len(s)
	for lo < hi {
		start := lo + strings.LastIndexByte(s[lo:lo+(hi-lo)/2], '\n') + 1
		end := start + strings.IndexByte(s[start:hi], '\n')
		if end < start {
			end = hi // a last line without its newline
		}
		switch line := s[start:end]; {
		case line == name:
			return true
		case line < name:
			lo = end + 1
		default:
			hi = start
		}
	}
	return false
}

// all yields every name of the list, in order.
func (l nameList) all() iter.Seq[string] {
	return func(yield func(string) bool) {
		for line := range strings.Lines(l.names()) {
			if !yield(strings.TrimSuffix(line, "\n")) {
				return
			}
		}
	}
}
