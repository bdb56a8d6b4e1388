package config

import (
	"strings"
	"testing"
)

// TestNameListsSorted checks what nameList.has relies on: after the
// comment lines, one name a line, sorted bytewise without repeats, the
// last ending in a newline.
func TestNameListsSorted(t *testing.T) {
	for file, l := range map[string]nameList{"sysnames.txt": systemNames, "libcnames.txt": libcNames} {
		if !strings.HasSuffix(string(l), "\n") {
			t.Errorf("%s does not end in a newline", file)
		}
		prev, n := "", 0
		for name := range l.all() {
			n++
			switch {
			case name == "" || strings.TrimSpace(name) != name || strings.HasPrefix(name, "#"):
				t.Errorf("%s: line %q after the comments is not a name", file, name)
			case name <= prev:
				t.Errorf("%s: %q follows %q: the names must be sorted bytewise, without repeats", file, name, prev)
			}
			prev = name
		}
		if n < 1000 {
			t.Errorf("%s holds %d names", file, n)
		}
	}
}

// TestNameListHas compares the binary search with a map of every name, on
// the names themselves and on their near misses.
func TestNameListHas(t *testing.T) {
	for file, l := range map[string]nameList{"sysnames.txt": systemNames, "libcnames.txt": libcNames} {
		m := map[string]bool{}
		for name := range l.all() {
			m[name] = true
		}
		for name := range m {
			for _, probe := range []string{name, name[:len(name)-1], name + "_", name + "\x00", "A" + name, "~" + name, strings.ToLower(name)} {
				if got := l.has(probe); got != m[probe] {
					t.Fatalf("%s: has(%q) = %v, want %v", file, probe, got, m[probe])
				}
			}
		}
		for _, probe := range []string{"", "\n", "#", "~~~~", "\x00", "Code generated"} {
			if l.has(probe) {
				t.Errorf("%s: has(%q)", file, probe)
			}
		}
	}
	for _, l := range []nameList{"", "# only a comment\n", "b\n", "a\nc\n", "a\nc"} {
		for _, probe := range []string{"", "a", "b", "c", "d"} {
			want := strings.Contains("\n"+string(l)+"\n", "\n"+probe+"\n") && probe != "" && !strings.HasPrefix(probe, "#")
			if got := l.has(probe); got != want {
				t.Errorf("nameList(%q).has(%q) = %v, want %v", l, probe, got, want)
			}
		}
	}
}
