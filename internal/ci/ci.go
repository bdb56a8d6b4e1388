// Package ci is the one place that reads the CI variable, and the policy it
// sets for tests whose prerequisites are missing: skip on a developer's
// machine, fail in CI, so that a CI run never passes by skipping.
//
// It imports neither testing nor anything of shmemgen's, so that any test
// helper can use it.
package ci

import (
	"os"
	"strconv"
)

// Enabled reports whether CI is set to a true value (true, 1, TRUE, …).
func Enabled() bool {
	v, _ := strconv.ParseBool(os.Getenv("CI"))
	return v
}

// TB is the part of testing.TB that SkipOrFail uses.
type TB interface {
	Helper()
	Skipf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// SkipOrFail stops t for a missing prerequisite, err: it skips, or under
// CI it fails.
func SkipOrFail(t TB, err error) {
	t.Helper()
	if Enabled() {
		t.Fatalf("%v (CI is set, so this fails instead of skipping)", err)
	} else {
		t.Skipf("%v", err)
	}
}
