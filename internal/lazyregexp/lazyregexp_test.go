package lazyregexp

import (
	"strings"
	"testing"
)

func TestNew(t *testing.T) {
	re := New(`^a+$`)
	if re() != re() {
		t.Error("two Regexps for one expression")
	}
	if !re().MatchString("aaa") || re().MatchString("ab") {
		t.Error("does not match as the expression says")
	}
}

// A bad expression panics when used, as regexp.MustCompile would when the
// program starts; every expression a package declares is used by its tests.
func TestNewBad(t *testing.T) {
	re := New(`(`)
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "missing closing )") {
			t.Errorf("recovered %v", r)
		}
	}()
	re()
}
