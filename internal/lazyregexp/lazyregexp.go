// Package lazyregexp compiles a package's regular expressions when first
// used instead of when the program starts: every shmemgen command paid for
// compiling all of them, most of which only validation uses (the go
// command's cmd/internal/lazyregexp does the same, for the same reason).
package lazyregexp

import (
	"regexp"
	"sync"
)

// New returns a function that compiles str, as regexp.MustCompile does,
// the first time it is called, and returns the same Regexp every time.
func New(str string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(str) })
}
