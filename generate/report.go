// Package generate is what shmemgen new and shmemgen generate do, once
// their flags are read: render a project (project.Render), plan it onto
// its directory (write), apply the plan and report it (Output); and what
// shmemgen templates export writes (ExportTemplates). The
// filesystem is given to it, so that tests may fail or stop any change.
// It is apart from project because write's tests use project.
package generate

import (
	"fmt"
	"io"
	"strings"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/write"
)

// Output is how a command that writes a project reports: where it prints,
// and the flags that shape what it does with its plan.
type Output struct {
	Stdout, Stderr io.Writer
	// DryRun prints the plan, every file listed, and writes nothing; JSON
	// prints it as JSON; Check (generate --check) writes nothing and fails
	// when the plan changes anything.
	DryRun, JSON, Check bool
}

// Apply applies the plan, unless DryRun, and prints it: as text, the files
// that change (all of them with DryRun), or as JSON.
func (o Output) Apply(plan write.Plan) error {
	if !o.DryRun {
		if err := plan.Apply(); err != nil {
			return err
		}
	}
	return o.Print(plan)
}

// Print prints the plan, as Apply does, without applying it.
func (o Output) Print(plan write.Plan) error {
	defer o.warnOverwritten(plan)
	if o.JSON {
		data, err := plan.JSON()
		if err != nil {
			return err
		}
		_, err = o.Stdout.Write(data)
		return err
	}
	// Only a dry run lists the files that stay as they are: a run that
	// changes nothing says nothing, which suits go generate.
	_, err := fmt.Fprint(o.Stdout, plan.Format(o.DryRun))
	return err
}

// warnOverwritten says on stderr, after the plan, which edited generated
// files the plan overwrites (or, when it is not applied, would), and where
// such changes belong: the plan's lines say it briefly, and an edit lost
// deserves more than a word in a list.
func (o Output) warnOverwritten(plan write.Plan) {
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
	if o.DryRun || o.Check {
		fate = "would be"
	}
	fmt.Fprintf(o.Stderr, "shmemgen: warning: %s %s edited since shmemgen wrote %s, and %s %s overwritten: generated files (DO NOT EDIT) are shmemgen's, rewritten on every run\n",
		files, was, it, edits, fate)
	fmt.Fprintf(o.Stderr, "shmemgen: to keep such a change, make it in a template overlay (shmemgen templates export DIR, edit %s, keep only what you changed, "+
		"and set templates: DIR in %s) or, for exports of your own, in dll/user.go, which shmemgen never overwrites\n", template, answers.FileName)
}

// ConflictError is the error a run that left conflicts fails with, unless
// it was a dry run.
func (o Output) ConflictError(plan write.Plan) error {
	switch n := plan.Conflicts(); {
	case o.DryRun || n == 0:
		return nil
	case n == 1:
		return fmt.Errorf("1 conflict: an edited file was kept; merge FILE%s into FILE and delete it, or use --force to overwrite the edits", write.NewSuffix)
	default:
		return fmt.Errorf("%d conflicts: edited files were kept; merge each FILE%s into FILE and delete it, or use --force to overwrite the edits", n, write.NewSuffix)
	}
}

// warn prints warnings about the inputs on stderr.
func (o Output) warn(warnings []string) {
	for _, w := range warnings {
		fmt.Fprintf(o.Stderr, "shmemgen: warning: %s\n", w)
	}
}
