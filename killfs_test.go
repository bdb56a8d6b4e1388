//go:build unix

package main

import (
	"os"
	"strconv"
	"syscall"

	"github.com/shmemgen/shmemgen/write"
)

// The tests run shmemgen from their own binary (TestMain), whose
// projectFS, with SHMEMGEN_TEST_KILL_AT=N (killAtEnv), is one on which
// shmemgen SIGKILLs itself before its Nth change, syncs not counted (see
// TestKillGenerateForReal). shmemgen as users build it has no such hook:
// this file is a test's.
func init() {
	projectFS = func() write.FS {
		n, err := strconv.Atoi(os.Getenv(killAtEnv))
		if err != nil {
			return write.OS{}
		}
		changes := 0
		return &write.Faulty{FS: write.OS{}, Before: func(op write.Op, _ string) error {
			if op == write.OpSync {
				return nil
			}
			if changes++; changes == n {
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
				select {} // the signal is on its way
			}
			return nil
		}}
	}
}
