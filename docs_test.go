package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/write"
)

// newDocs is the reference page of shmemgen new, and its flags block the
// part of it made from new's flags, inputs and command flags alike.
const (
	newDocs         = "docs/new.md"
	flagsBlockStart = "<!-- flags: made from config.Inputs and new's flags by go test . -update; do not edit -->\n"
	flagsBlockEnd   = "<!-- end of flags -->\n"
)

// TestNewDocsCurrent keeps the flag tables of docs/new.md those of the
// command: go test . -update rewrites them.
func TestNewDocsCurrent(t *testing.T) {
	data, err := os.ReadFile(newDocs)
	if err != nil {
		t.Fatal(err)
	}
	start, end := bytes.Index(data, []byte(flagsBlockStart)), bytes.Index(data, []byte(flagsBlockEnd))
	if start < 0 || end < start {
		t.Fatalf("%s has no flags block: %q, then %q", newDocs, flagsBlockStart, flagsBlockEnd)
	}
	start += len(flagsBlockStart)
	want := flagsDocs(newCommand(write.OS{}))
	if string(data[start:end]) == want {
		return
	}
	if !*update {
		t.Fatalf("%s: the flags block is stale: run go test . -update", newDocs)
	}
	updated := slices.Concat(data[:start], []byte(want), data[end:])
	if err := os.WriteFile(newDocs, updated, 0o644); err != nil {
		t.Fatal(err)
	}
}

// flagsDocs writes cmd's synopsis and a table of its flags for each
// category, in the order --help shows the categories and the order the
// flags are declared in.
func flagsDocs(cmd *cli.Command) string {
	inputs := map[string]config.Input{}
	for _, in := range config.Inputs {
		inputs[in.Flag] = in
	}
	// The record's flags are inputs that no row holds (config.RecordFlags).
	for _, f := range config.RecordFlags {
		inputs[f.Flag] = config.Input{Flag: f.Flag, DefaultDoc: f.DefaultDoc, Doc: f.Doc}
	}
	var b strings.Builder
	var synopsis, notRecorded []string
	byCategory := map[string][]cli.Flag{}
	for _, f := range cmd.Flags {
		name := f.Names()[0]
		if name == "help" {
			continue
		}
		byCategory[flagCategory(f)] = append(byCategory[flagCategory(f)], f)
		if _, ok := inputs[name]; !ok {
			notRecorded = append(notRecorded, "`--"+name+"`")
		}
	}
	categories := slices.Sorted(func(yield func(string) bool) {
		for c := range byCategory {
			if !yield(c) {
				return
			}
		}
	})
	for _, c := range categories {
		for _, f := range byCategory[c] {
			synopsis = append(synopsis, flagSynopsis(f))
		}
	}
	synopsis = append(synopsis, cmd.ArgsUsage)
	b.WriteString("    shmemgen " + cmd.Name)
	width := len("    shmemgen " + cmd.Name)
	for _, s := range synopsis {
		if width+1+len(s) > 92 {
			b.WriteString("\n                ")
			width = 16
		}
		b.WriteString(" " + s)
		width += 1 + len(s)
	}
	b.WriteString("\n\n")
	fmt.Fprintf(&b, "Every flag has a default, so `shmemgen %s` alone reproduces the sample. Every flag but %s is an input, recorded in `shmemgen.yaml` under its name.\n",
		cmd.Name, strings.Join(notRecorded, ", "))
	for _, c := range categories {
		heading := c
		if heading == config.CategoryCommon {
			heading = "Common"
		}
		fmt.Fprintf(&b, "\n### %s\n\n| flag | default | meaning |\n| --- | --- | --- |\n", heading)
		for _, f := range byCategory[c] {
			var def, rule string
			if in, ok := inputs[f.Names()[0]]; ok {
				def, rule = in.DefaultDoc, in.Doc
				if def == "" {
					def = "`" + in.Default + "`"
				}
			} else {
				def, rule = commandFlagDocs(f)
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", flagNames(f), cell(def), cell(rule))
		}
	}
	b.WriteString("\n")
	return b.String()
}

func flagCategory(f cli.Flag) string {
	if c, ok := f.(cli.CategorizableFlag); ok {
		return c.GetCategory()
	}
	return ""
}

// placeholder is the `WORD` of a flag's usage that names its value.
var placeholder = regexp.MustCompile("`([^`]+)`")

func flagSynopsis(f cli.Flag) string {
	name := "--" + f.Names()[0]
	usage := f.(cli.DocGenerationFlag).GetUsage()
	switch f.(type) {
	case *cli.BoolFlag:
		return "[" + name + "]"
	case *cli.StringSliceFlag:
		return "[" + name + " " + placeholder.FindStringSubmatch(usage)[1] + "]..."
	}
	return "[" + name + " " + placeholder.FindStringSubmatch(usage)[1] + "]"
}

// flagNames are f's names as the docs write them: `--out`, `-o`, `--dir`.
func flagNames(f cli.Flag) string {
	var names []string
	for _, n := range f.Names() {
		dash := "--"
		if len(n) == 1 {
			dash = "-"
		}
		names = append(names, "`"+dash+n+"`")
	}
	return strings.Join(names, ", ")
}

// commandFlagDocs are the default and the rule of a flag that is not an
// input, from its usage: a usage ends with its default, when it has one
// the flag's value does not show, as "(default: …)".
func commandFlagDocs(f cli.Flag) (def, rule string) {
	rule = f.(cli.DocGenerationFlag).GetUsage()
	if before, after, ok := strings.Cut(rule, " (default: "); ok && strings.HasSuffix(after, ")") {
		return strings.TrimSuffix(after, ")"), before
	}
	switch f := f.(type) {
	case *cli.BoolFlag:
		return "off", rule
	case *cli.StringFlag:
		if f.Value != "" {
			return "`" + f.Value + "`", rule
		}
	}
	return "none", rule
}

// cell makes s fit in a Markdown table cell.
func cell(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}
