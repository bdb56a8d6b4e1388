package wine

import "github.com/shmemgen/shmemgen/internal/ci"

// TB is the part of testing.TB that Require uses.
type TB = ci.TB

// Require skips t when Available fails, or fails it under CI.
//
// Deprecated: test policy is internal/testenv's; use testenv.RequireWine.
// This stays only until the e2e package, owned elsewhere, moves over; it
// holds no policy of its own.
func Require(t TB) {
	t.Helper()
	if err := Available(); err != nil {
		ci.SkipOrFail(t, err)
	}
}
