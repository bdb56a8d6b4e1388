package config

import (
	"fmt"
	"path"
	"strings"

	"github.com/shmemgen/shmemgen/internal/lazyregexp"
)

// ValidPath reports whether p is a path inside a project that shmemgen may
// write: clean, relative, slash-separated, and the same file on Windows
// (no backslash, no colon).
func ValidPath(p string) bool {
	return p != "" && p != "." && path.Clean(p) == p && !path.IsAbs(p) &&
		p != ".." && !strings.HasPrefix(p, "../") && !strings.Contains(p, `\`) && !strings.Contains(p, ":")
}

var varKey = lazyregexp.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

// CheckVar checks a --var key: templates read it as .Vars.key, so it must
// be an identifier.
func CheckVar(key string) error {
	if !varKey().MatchString(key) {
		return fmt.Errorf("key %s must be an identifier (a letter or underscore, then letters, digits or underscores) so that templates can read it as .Vars.%s", Quote(key), key)
	}
	return nil
}
