//go:build shmemgen_testhooks && unix

package main

import (
	"os"
	"strconv"
	"syscall"

	"github.com/shmemgen/shmemgen/write"
)

// projectFS is the system's filesystem; with SHMEMGEN_TEST_KILL_AT=N, one
// on which shmemgen SIGKILLs itself before its Nth change, syncs not
// counted (see TestKillGenerateForReal). Only tests build with the
// shmemgen_testhooks tag (testenv.BuildShmemgen): shmemgen as users build
// it has no such hook (projectfs.go).
func projectFS() write.FS {
	n, err := strconv.Atoi(os.Getenv("SHMEMGEN_TEST_KILL_AT"))
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
