package main

import "github.com/shmemgen/shmemgen/write"

// projectFS is the filesystem the commands read and write projects on: the
// system's. The command's tests, which run it from their own binary, give
// it one on which it can be killed at a chosen step (killfs_test.go).
var projectFS = func() write.FS { return write.OS{} }
