package main

// The examples are golden cases checked in where readers look first;
// TestGolden renders them from their own shmemgen.yaml and fails when they
// drift. go generate regenerates them in place as a user's project would be,
// through the built command; go test . -update rewrites every golden case,
// these in full and golden/'s partial ones file by file. Without VCS
// stamping the recorded version is "(devel)" whatever the commit.
//go:generate go run -buildvcs=false . generate --dir examples/basic
//go:generate go run -buildvcs=false . generate --dir examples/custom
