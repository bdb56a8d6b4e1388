package main

import (
	"io"
	"io/fs"
	"path"
	"regexp"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/templates"
	"github.com/shmemgen/shmemgen/write"
)

// TestHelpTemplatesExist keeps the help text honest about the templates:
// every template path it names (dll/user.go.tmpl) is one of the embedded
// templates.
func TestHelpTemplatesExist(t *testing.T) {
	tmplPath := regexp.MustCompile(`[\w./-]+\.tmpl\b`)
	app := newApp(write.OS{}, io.Discard, io.Discard)
	var texts []string
	var walk func(prefix string, cmds []*cli.Command)
	walk = func(prefix string, cmds []*cli.Command) {
		for _, c := range cmds {
			name := prefix + c.Name
			texts = append(texts, name, c.Usage, c.UsageText, c.Description, c.ArgsUsage)
			for _, f := range c.Flags {
				if u, ok := f.(interface{ GetUsage() string }); ok {
					texts = append(texts, u.GetUsage())
				}
			}
			walk(name+" ", c.Subcommands)
		}
	}
	texts = append(texts, app.Usage, app.Description)
	walk("", app.Commands)
	found := 0
	for _, text := range texts {
		for _, p := range tmplPath.FindAllString(text, -1) {
			found++
			if _, err := fs.Stat(templates.FS, path.Join(templates.Root, p)); err != nil {
				t.Errorf("help text names template %s, which is not embedded: %v", p, err)
			}
		}
	}
	if found == 0 {
		t.Error("no help text names a template: the test finds nothing to check")
	}
}
