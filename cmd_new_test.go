package main

import (
	"bytes"
	"io"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/project"
	"github.com/shmemgen/shmemgen/write"
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

// TestRecordedCommandReproduces runs the command line each golden project
// records through new's flags: both are made from config.Inputs, and the
// command must give back exactly the inputs it was recorded from.
func TestRecordedCommandReproduces(t *testing.T) {
	for _, dir := range goldenCases(t) {
		a, _, err := project.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		line := gen.NewModel(a.Inputs).Command
		args := shellWords(t, line)
		var got config.Config
		cmd := newCommand(write.OS{})
		cmd.Action = func(c *cli.Context) error {
			got, _, err = configFromFlags(c)
			return err
		}
		app := &cli.App{Name: "shmemgen", Commands: []*cli.Command{cmd}, Writer: io.Discard, ErrWriter: io.Discard}
		if err := app.Run(append(args, "--out", t.TempDir())); err != nil {
			t.Errorf("%s: %s: %v", dir, line, err)
			continue
		}
		want := a.Inputs
		if len(want.Types) > 0 {
			// A record whose fields use inputs.types has no flags: the
			// line names it in a comment, and gives every other input.
			if !strings.Contains(line, "# and the record "+want.Record.Name+" of shmemgen.yaml") {
				t.Errorf("%s: %s does not say that the record %s is the file's", dir, line, want.Record.Name)
			}
			want.Record, want.Types, want.ReadRecord, want.WriteRecord, want.WriteRecordRange = nil, nil, "", "", ""
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %s gives\n%+v\nnot the recorded\n%+v", dir, line, got, want)
		}
	}
}

// shellWords splits a command line as a POSIX shell would, for the quoting
// gen.ShellQuote does: single quotes, in which a quote is written by
// closing them, a backslash-escaped quote, and opening them again; a word
// that starts with # starts a comment.
func shellWords(t *testing.T, line string) []string {
	var words []string
	var word strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(line); i++ {
		switch ch := line[i]; {
		case quoted && ch == '\'':
			quoted = false
		case quoted:
			word.WriteByte(ch)
		case ch == '\'':
			quoted, inWord = true, true
		case ch == '\\' && i+1 < len(line):
			i++
			word.WriteByte(line[i])
			inWord = true
		case ch == '#' && !inWord:
			i = len(line) // a comment, to the end of the line
		case ch == ' ':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteByte(ch)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("unterminated quote in %s", line)
	}
	if inWord {
		words = append(words, word.String())
	}
	return words
}
