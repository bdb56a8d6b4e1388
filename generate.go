package main

// The examples are two golden cases, checked in where readers look first;
// gen's TestExamplesCurrent fails when they drift. Each is regenerated in
// place from its own shmemgen.yaml, as a user's project would be; without
// VCS stamping its recorded version is "(devel)" whatever the commit.
//go:generate go run -buildvcs=false . generate --dir examples/basic
//go:generate go run -buildvcs=false . generate --dir examples/custom
