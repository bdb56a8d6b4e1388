//go:build !(shmemgen_testhooks && unix)

package main

import "github.com/shmemgen/shmemgen/write"

// projectFS is the filesystem the commands read and write projects on: the
// system's. A test build has its own (testhooks.go).
func projectFS() write.FS { return write.OS{} }
