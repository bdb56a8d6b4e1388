//go:build shmemgen_testhooks && unix

package main

import (
	"os"
	"strconv"
	"syscall"

	"github.com/shmemgen/shmemgen/write"
)

// With SHMEMGEN_TEST_KILL_AT=N, a test build of shmemgen SIGKILLs itself
// before its Nth filesystem step (see TestKillGenerateForReal). Only tests
// build with the shmemgen_testhooks tag (testenv.BuildShmemgen): shmemgen
// as users build it has no such hook.
func init() {
	n, err := strconv.Atoi(os.Getenv("SHMEMGEN_TEST_KILL_AT"))
	if err != nil {
		return
	}
	steps := 0
	write.StepHook = func(string, string) {
		if steps++; steps == n {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
	}
}
