package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/project"
	"github.com/shmemgen/shmemgen/write"
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

// report applies the plan, unless --dry-run, and prints it: as text, the
// files that change (all of them with --dry-run), or as JSON with --json.
func report(c *cli.Context, plan write.Plan) error {
	if !c.Bool("dry-run") {
		if err := plan.Apply(); err != nil {
			return err
		}
	}
	return printPlan(c, plan)
}

func printPlan(c *cli.Context, plan write.Plan) error {
	defer warnOverwritten(c, plan)
	if c.Bool("json") {
		data, err := plan.JSON()
		if err != nil {
			return err
		}
		_, err = c.App.Writer.Write(data)
		return err
	}
	// Only a dry run lists the files that stay as they are: a run that
	// changes nothing says nothing, which suits go generate.
	_, err := fmt.Fprint(c.App.Writer, plan.Format(c.Bool("dry-run")))
	return err
}

// warnOverwritten says on stderr, after the plan, which edited generated
// files the plan overwrites (or, when it is not applied, would), and where
// such changes belong: the plan's lines say it briefly, and an edit lost
// deserves more than a word in a list.
func warnOverwritten(c *cli.Context, plan write.Plan) {
	paths := plan.Overwritten()
	if len(paths) == 0 {
		return
	}
	files, was, it, edits, template := paths[0], "was", "it", "the edit", "DIR/"+paths[0]+".tmpl"
	if len(paths) > 1 {
		files = strings.Join(paths[:len(paths)-1], ", ") + " and " + paths[len(paths)-1]
		was, it, edits, template = "were", "them", "the edits", "DIR/FILE.tmpl for each"
	}
	fate := was
	if c.Bool("dry-run") || c.Bool("check") {
		fate = "would be"
	}
	fmt.Fprintf(c.App.ErrWriter, "shmemgen: warning: %s %s edited since shmemgen wrote %s, and %s %s overwritten: generated files (DO NOT EDIT) are shmemgen's, rewritten on every run\n",
		files, was, it, edits, fate)
	fmt.Fprintf(c.App.ErrWriter, "shmemgen: to keep such a change, make it in a template overlay (shmemgen templates export DIR, edit %s, keep only what you changed, "+
		"and set templates: DIR in %s) or, for exports of your own, in dll/user.go, which shmemgen never overwrites\n", template, answers.FileName)
}
