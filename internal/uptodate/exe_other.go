//go:build !linux

package uptodate

import "errors"

// executableID is known only on Linux (exe_linux.go): elsewhere there is no
// cheap identity of the running executable that every write changes, and
// hashing the whole executable costs more than rendering. generate always
// takes the full path there.
var executableID = func() (string, error) {
	return "", errors.New("no identity for the executable on this system")
}
