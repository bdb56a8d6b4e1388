package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/write"
)

// generatorVersion is shmemgen's version as the build info has it: the
// module version for "go install …@version", and "(devel)" for a build from
// a checkout without VCS stamping, as the golden tests and go:generate use,
// so that the answers files they write never depend on how shmemgen was
// built.
func generatorVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

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

// renderProject renders the project for cfg and adds its answers file: the
// version of shmemgen, the inputs, the overlay as recorded (templates,
// relative to the project), the vars and a manifest of every other file.
// Rendering knows nothing of the answers file; this is where it is made.
func renderProject(cfg config.Config, opts gen.Options, templates string) (gen.FileSet, error) {
	opts.Reserved = append(opts.Reserved, answers.FileName)
	files, err := gen.Render(cfg, opts)
	if err != nil {
		return nil, err
	}
	a := answers.Answers{Version: generatorVersion(), Inputs: cfg, Templates: templates, Files: []answers.Entry{}}
	if len(opts.Vars) > 0 {
		a.Vars = opts.Vars
	}
	for _, f := range files {
		a.Files = append(a.Files, answers.Entry{Path: f.Path, SHA256: answers.Sum(f.Data)})
	}
	data, err := a.Marshal()
	if err != nil {
		return nil, err
	}
	return files.Add(gen.File{Path: answers.FileName, Data: data, Mode: 0o644, Owner: gen.Generated}), nil
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
		if err := checkTemplateDir(dir); err != nil {
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

// checkTemplateDir checks an overlay directory.
func checkTemplateDir(dir string) error {
	info, err := os.Stat(dir)
	switch {
	case os.IsNotExist(err):
		return fmt.Errorf("does not exist")
	case err != nil:
		return err
	case !info.IsDir():
		return fmt.Errorf("is not a directory")
	}
	return nil
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
