package generate

import (
	"fmt"
	"path/filepath"

	"golang.org/x/mod/semver"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/internal/uptodate"
	"github.com/shmemgen/shmemgen/project"
	"github.com/shmemgen/shmemgen/write"
)

// Regenerate regenerates the project in dir in place from its answers file,
// on fsys: with force, over the user's edits (write.PlanRegenerate).
func Regenerate(fsys write.FS, dir string, force bool, out Output) error {
	// Up to date, as this executable found it last time and the files on
	// disk still are: nothing to load, render, plan or print. --dry-run
	// lists every file and --json describes each: they take the full path,
	// and record nothing.
	probe := uptodate.Start(dir)
	if !out.DryRun && !out.JSON && probe.Fresh(fsys) {
		return nil
	}
	a, opts, err := project.Load(dir)
	if err != nil {
		return err
	}
	probe.BeforeRender(opts.OverlayName)
	files, err := renderProject(a.Inputs, opts, a.Templates)
	if err != nil {
		return err
	}
	plan, err := write.PlanRegenerate(fsys, dir, files, a.Manifest(), force)
	if err != nil {
		return err
	}
	// A plan that changes nothing rewrites no answers file: it says this
	// shmemgen's version, so there is no newer version to warn of on the
	// fast path.
	if !plan.Changed() {
		probe.Record(files)
	}
	// Warnings about the inputs were given when they were chosen; repeat
	// them only when something changes, so that a run that changes nothing
	// says nothing.
	if plan.Changed() {
		out.warn(a.Inputs.Warnings())
		fmt.Fprint(out.Stderr, recordLayoutNote(dir, files))
	}
	warnNewer(out, dir, a)

	if out.Check {
		if err := out.Print(plan); err != nil {
			return err
		}
		if plan.Changed() {
			return fmt.Errorf("%s is out of date: run shmemgen generate --dir %s", dir, dir)
		}
		return nil
	}
	if err := out.Apply(plan); err != nil {
		return err
	}
	return out.ConflictError(plan)
}

// warnNewer warns when a newer shmemgen wrote the answers file.
func warnNewer(out Output, dir string, a answers.Answers) {
	if semver.IsValid(a.Version) && semver.IsValid(project.Version()) && semver.Compare(a.Version, project.Version()) > 0 {
		fmt.Fprintf(out.Stderr, "shmemgen: warning: %s was written by shmemgen %s, newer than this %s\n",
			filepath.Join(dir, answers.FileName), a.Version, project.Version())
	}
}
