package ci

import (
	"errors"
	"testing"
)

// fakeTB records what SkipOrFail does instead of stopping the test.
type fakeTB struct{ fatal, skip string }

func (f *fakeTB) Helper()                        {}
func (f *fakeTB) Fatalf(format string, a ...any) { f.fatal = format }
func (f *fakeTB) Skipf(format string, a ...any)  { f.skip = format }

func TestSkipOrFail(t *testing.T) {
	for _, tc := range []struct {
		ci        string
		wantFatal bool
	}{{"true", true}, {"1", true}, {"TRUE", true}, {"", false}, {"false", false}, {"0", false}, {"nonsense", false}} {
		t.Setenv("CI", tc.ci)
		if Enabled() != tc.wantFatal {
			t.Errorf("CI=%q: Enabled() = %v", tc.ci, !tc.wantFatal)
		}
		f := &fakeTB{}
		SkipOrFail(f, errors.New("no wine"))
		if gotFatal := f.fatal != ""; gotFatal != tc.wantFatal || gotFatal == (f.skip != "") {
			t.Errorf("CI=%q: fatal=%q skip=%q, want fatal=%v", tc.ci, f.fatal, f.skip, tc.wantFatal)
		}
	}
}
