package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/generate"
	"github.com/shmemgen/shmemgen/project"
)

// planFlags are the flags of every command that writes a project.
func planFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "print the plan (create, update, unchanged, conflict or delete, per file) and write nothing"},
		&cli.BoolFlag{Name: "json", Usage: "print the plan as JSON (see README.md for its shape)"},
	}
}

// templateFlags are the flags that customise rendering, as new takes them;
// generate reads the same from the answers file.
func templateFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "templates", Usage: "overlay the templates in `DIR` on the embedded ones: a file replaces the embedded one of the same path, a new file is added (see shmemgen templates export)"},
		&cli.StringSliceFlag{Name: "var", Usage: "`KEY=VALUE` for custom templates, which read it as .Vars.KEY (repeatable)"},
	}
}

// optionsFromFlags turns --templates and --var into render options for a
// project written to out, and the overlay as the answers file records it.
func optionsFromFlags(c *cli.Context, out string) (gen.Options, string, error) {
	var opts gen.Options
	for _, kv := range c.StringSlice("var") {
		key, value, ok := strings.Cut(kv, "=")
		if !ok {
			return gen.Options{}, "", usagef("--var %s must be KEY=VALUE", config.Quote(kv))
		}
		if err := config.CheckVar(key); err != nil {
			return gen.Options{}, "", usagef("--var %s: %w", config.Quote(kv), err)
		}
		if _, dup := opts.Vars[key]; dup {
			return gen.Options{}, "", usagef("--var %s sets %s a second time", config.Quote(kv), key)
		}
		if opts.Vars == nil {
			opts.Vars = map[string]string{}
		}
		opts.Vars[key] = value
	}
	if dir := c.String("templates"); dir != "" {
		if err := project.CheckTemplateDir(dir); err != nil {
			return gen.Options{}, "", usagef("--templates %s %w", config.Quote(dir), err)
		}
		opts.Overlay, opts.OverlayName = os.DirFS(dir), dir
		// Recorded relative to the project, so that moving the two together
		// keeps the answers file right.
		absDir, err := filepath.Abs(dir)
		if err != nil {
			return gen.Options{}, "", err
		}
		absOut, err := filepath.Abs(out)
		if err != nil {
			return gen.Options{}, "", err
		}
		templates := filepath.ToSlash(absDir)
		if rel, err := filepath.Rel(absOut, absDir); err == nil {
			templates = filepath.ToSlash(rel)
		}
		return opts, templates, nil
	}
	return opts, "", nil
}

// output is how the command in c reports the plan it makes: where it
// prints, and its --dry-run, --json and --check.
func output(c *cli.Context) generate.Output {
	return generate.Output{Stdout: c.App.Writer, Stderr: c.App.ErrWriter,
		DryRun: c.Bool("dry-run"), JSON: c.Bool("json"), Check: c.Bool("check")}
}
