package gen

import (
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/config"
)

// TestReadmeFirstScreen holds the generated README to what a newcomer
// needs first: how to build and run, in its first screen (25 lines), for
// every kind of project; and a Build section in short parts, each under a
// heading of its own.
func TestReadmeFirstScreen(t *testing.T) {
	const screen, longestPart = 25, 16
	for _, tc := range []struct {
		name, os, arch string
		want           []string // lines the first screen shows
	}{
		{"windows", "windows", "amd64", []string{"    ./build.sh ", "    ./run.sh ", "`.\\build.ps1`, then `bin\\parent.exe`"}},
		{"windows,linux", "windows,linux", "amd64", []string{"    ./build.sh linux && bin/parent ", "    ./build.sh windows && ./run.sh ", "`.\\build.ps1`, then `bin\\parent.exe`"}},
		{"386", "windows", "386", []string{"    ./build.sh ", "`.\\build.ps1`, then `bin\\386\\parent.exe`"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := config.Default("x")
			c.OS, c.Arch = tc.os, tc.arch
			files, err := Render(c, Options{})
			if err != nil {
				t.Fatal(err)
			}
			f, _ := files.Lookup("README.md")
			lines := strings.Split(string(f.Data), "\n")
			first := strings.Join(lines[:screen], "\n")
			for _, want := range tc.want {
				if !strings.Contains(first, want) {
					t.Errorf("the README's first %d lines lack %q:\n%s", screen, want, first)
				}
			}

			// ## Build: a short introduction, then parts under ### headings.
			var parts []string
			length, in := 0, false
			for i, line := range lines {
				switch {
				case strings.HasPrefix(line, "## "):
					in = line == "## Build"
					length = 0
				case in && strings.HasPrefix(line, "### "):
					parts = append(parts, strings.TrimPrefix(line, "### "))
					length = 0
				case in:
					if length++; length > longestPart {
						t.Errorf("README line %d: a part of ## Build runs past %d lines without a ### heading", i+1, longestPart)
						in = false
					}
				}
			}
			if len(parts) < 4 {
				t.Errorf("## Build has %d parts (%q), want it split into short parts under ### headings", len(parts), parts)
			}
		})
	}
}
