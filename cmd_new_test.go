package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/config"
)

// TestNewHelpGroups checks that new --help lists every flag, --help
// included, under its category: the common ones first, without a heading,
// then each category under its name.
func TestNewHelpGroups(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"shmemgen", "new", "--help"}, &stdout, &stderr); code != 0 {
		t.Fatalf("new --help: exit %d: %s", code, stderr.String())
	}
	_, options, ok := strings.Cut(stdout.String(), "\nOPTIONS:\n")
	if !ok {
		t.Fatalf("new --help has no OPTIONS:\n%s", stdout.String())
	}
	// The category each flag is listed under: a heading is a line of its
	// own, indented as the flags are.
	heading := regexp.MustCompile(`^   ([A-Z][A-Za-z ]*)$`)
	flagLine := regexp.MustCompile(`^   --([a-z-]+)`)
	listed := map[string]string{}
	category := config.CategoryCommon
	for _, line := range strings.Split(options, "\n") {
		if m := heading.FindStringSubmatch(line); m != nil {
			category = m[1]
		} else if m := flagLine.FindStringSubmatch(line); m != nil {
			listed[m[1]] = category
		}
	}
	want := map[string]string{"out": config.CategoryCommon, "force": config.CategoryCommon, "help": config.CategoryCommon,
		"templates": categoryOutput, "var": categoryOutput, "dry-run": categoryOutput, "json": categoryOutput}
	for _, in := range config.Inputs {
		want[in.Flag] = in.Category
	}
	for _, common := range []string{"name", "size", "out", "os"} {
		if want[common] != config.CategoryCommon {
			t.Errorf("--%s is in category %q: the common flags come first, without one", common, want[common])
		}
	}
	for flag, c := range want {
		if got, ok := listed[flag]; !ok {
			t.Errorf("new --help does not list --%s", flag)
		} else if got != c {
			t.Errorf("new --help lists --%s under %q, want %q", flag, got, c)
		}
	}
}
