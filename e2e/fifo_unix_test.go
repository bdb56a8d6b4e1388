//go:build unix

package e2e

import "syscall"

// mkfifo makes a named pipe at path, for the Linux tests that plant one
// where the library expects its segment.
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o600) }
