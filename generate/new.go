package generate

import (
	"encoding"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"unicode"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/internal/gofmtcache"
	"github.com/shmemgen/shmemgen/project"
	"github.com/shmemgen/shmemgen/write"
)

// NewRequest is what shmemgen new was asked for: the inputs, validated,
// and where and how to write them.
type NewRequest struct {
	Config  config.Config
	Options gen.Options
	// Templates is the overlay as the answers file records it, relative to
	// Out.
	Templates string
	Out       string
	// Force writes over a directory that is not a project, or over the
	// user's edits in one; Reset lets new put back to their defaults the
	// inputs a project records that the flags do not give.
	Force, Reset bool
	// Given reports whether a flag was on the command line ("size",
	// "record", "templates", …).
	Given func(flag string) bool
}

// New writes the project req asks for into req.Out, on fsys. Over an
// existing project, as a go:generate directive finds it on every run after
// the first, it plans exactly as Regenerate does, with the request as the
// answers, so that nothing already right is touched and no edit is lost;
// inputs the flags do not give are refused before anything is planned or
// written, unless req.Reset.
func New(fsys write.FS, req NewRequest, out Output) error {
	files, err := renderProject(req.Config, req.Options, req.Templates)
	if err != nil {
		return err
	}
	prev, isProject, err := project.ReadExisting(req.Out)
	if err != nil {
		return err
	}
	var plan write.Plan
	if isProject {
		if err := checkResets(req, filepath.Join(req.Out, answers.FileName), inputChanges(req, prev), out); err != nil {
			return err
		}
		plan, err = write.PlanRegenerate(fsys, req.Out, files, prev.Manifest(), req.Force)
	} else {
		plan, err = write.PlanNew(fsys, req.Out, files, req.Force)
	}
	if err != nil {
		return err
	}
	// Over an existing project, as for generate, a run that changes
	// nothing says nothing.
	if !isProject || plan.Changed() {
		out.warn(req.Config.Warnings())
	}
	if err := out.Apply(plan); err != nil {
		return err
	}
	if err := out.ConflictError(plan); err != nil {
		return err
	}
	if !isProject && !out.DryRun && !out.JSON {
		fmt.Fprintf(out.Stdout, "next: cd %s && ./build.sh\n", gen.ShellQuote(req.Out))
	}
	return nil
}

// inputChange is one input recorded in a project's answers file that new's
// flags would change.
type inputChange struct {
	// flag is the flag that sets the input, as typed: "--size",
	// "--templates", "--var team".
	flag string
	// recorded and next are its values as the answers file writes them.
	recorded, next string
	// given is whether flag was on the command line: a change it makes is
	// asked for; one it does not make is a reset to the default.
	given bool
	// keep is the flag, with its recorded value, that keeps the input as
	// it is, quoted to be pasted into a shell.
	keep string
}

// inputChanges lists, in the answers file's order, the inputs of the
// answers file prev that req would change.
func inputChanges(req NewRequest, prev answers.Answers) []inputChange {
	var changes []inputChange
	cfg, opts := req.Config, req.Options
	pv, nv := reflect.ValueOf(prev.Inputs), reflect.ValueOf(cfg)
	for i := range pv.NumField() {
		key := strings.Split(pv.Type().Field(i).Tag.Get("yaml"), ",")[0]
		if key == "record" || key == "types" {
			continue // below, as one input
		}
		if a, b := answerValue(pv.Field(i)), answerValue(nv.Field(i)); a != b {
			changes = append(changes, inputChange{flag: "--" + key, recorded: a, next: b, given: req.Given(key),
				keep: "--" + key + " " + gen.ShellQuote(flagText(pv.Field(i)))})
		}
	}
	if !reflect.DeepEqual(prev.Inputs.Record, cfg.Record) || !reflect.DeepEqual(prev.Inputs.Types, cfg.Types) {
		keep := strings.Join(gen.RecordArgs(prev.Inputs), " ")
		if len(prev.Inputs.Types) > 0 {
			keep = "(the record " + prev.Inputs.Record.Name + " uses inputs.types, which only " + answers.FileName + " declares)"
		}
		changes = append(changes, inputChange{flag: "--record", recorded: recordText(prev.Inputs), next: recordText(cfg),
			given: req.Given("record") || req.Given("field"), keep: keep})
	}
	if prev.Templates != req.Templates {
		// The answers file records the overlay relative to the project;
		// the flag takes it relative to the working directory.
		dir := filepath.FromSlash(prev.Templates)
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(req.Out, dir)
		}
		changes = append(changes, inputChange{flag: "--templates", recorded: answerValue(reflect.ValueOf(prev.Templates)),
			next: answerValue(reflect.ValueOf(req.Templates)), given: req.Given("templates"),
			keep: "--templates " + gen.ShellQuote(dir)})
	}
	keys := maps.Clone(prev.Vars)
	if keys == nil {
		keys = map[string]string{}
	}
	maps.Copy(keys, opts.Vars)
	for _, key := range slices.Sorted(maps.Keys(keys)) {
		was, recorded := prev.Vars[key]
		now, given := opts.Vars[key]
		if recorded == given && was == now {
			continue
		}
		changes = append(changes, inputChange{flag: "--var " + key, recorded: varValue(was, recorded), next: varValue(now, given),
			given: given, keep: "--var " + gen.ShellQuote(key+"="+was)})
	}
	return changes
}

// varValue is a --var value as a change shows it.
func varValue(value string, set bool) string {
	if !set {
		return "unset"
	}
	return answerValue(reflect.ValueOf(value))
}

// checkResets refuses, naming each, the changes to inputs whose flags were
// not given, unless req.Reset: new over a project would otherwise put
// every input left off its command line back to its default. Changes that
// were asked for, and resets that Reset accepts, are said on stderr.
func checkResets(req NewRequest, file string, changes []inputChange, out Output) error {
	var asked, resets []inputChange
	for _, ch := range changes {
		if ch.given {
			asked = append(asked, ch)
		} else {
			resets = append(resets, ch)
		}
	}
	if len(resets) > 0 && !req.Reset {
		var b strings.Builder
		fmt.Fprintf(&b, "%s records inputs that these flags do not give, and new would reset them to their defaults; nothing was written:\n", file)
		var keep []string
		for _, ch := range resets {
			fmt.Fprintf(&b, "  %s: %s, would become %s\n", ch.flag, ch.recorded, ch.next)
			keep = append(keep, ch.keep)
		}
		fmt.Fprintf(&b, "to keep them, give them too: %s\n", strings.Join(keep, " "))
		generate := "shmemgen generate"
		if filepath.Clean(req.Out) != "." {
			generate += " --dir " + gen.ShellQuote(req.Out)
		}
		fmt.Fprintf(&b, "to change inputs in place, edit %s and run %s\n", file, generate)
		fmt.Fprintf(&b, "to reset them to their defaults, add --reset")
		return &project.Error{Err: errors.New(b.String())}
	}
	say := func(what string, changes []inputChange) {
		if len(changes) == 0 {
			return
		}
		var parts []string
		for _, ch := range changes {
			parts = append(parts, fmt.Sprintf("%s from %s to %s", ch.flag, ch.recorded, ch.next))
		}
		fmt.Fprintf(out.Stderr, "shmemgen: note: %s %s's inputs: %s\n", what, file, strings.Join(parts, ", "))
	}
	say("the flags change", asked)
	say("--reset puts back the defaults of", resets)
	return nil
}

// recordText is c's record as a change shows it: Sample(count:u64, …),
// with the records it uses, or none.
func recordText(c config.Config) string {
	if c.Record == nil {
		return "none"
	}
	var parts []string
	for _, r := range append([]config.Record{*c.Record}, c.Types...) {
		var fields []string
		for _, f := range r.Fields {
			fields = append(fields, f.Name+":"+f.Type)
		}
		parts = append(parts, r.Name+"("+strings.Join(fields, ", ")+")")
	}
	return strings.Join(parts, " using ")
}

// flagText is v as its flag takes it, unquoted.
func flagText(v reflect.Value) string {
	if m, ok := v.Interface().(encoding.TextMarshaler); ok {
		if text, err := m.MarshalText(); err == nil {
			return string(text)
		}
	}
	return fmt.Sprint(v.Interface())
}

// answerValue is v as the answers file writes it, quoted when it is empty
// or holds a space or a control character, so that a message shows where
// it ends.
func answerValue(v reflect.Value) string {
	s := flagText(v)
	if s == "" || strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return config.Quote(s)
	}
	return s
}

// renderProject is project.Render with gofmt's verdicts remembered in the
// user's cache, as every command that renders uses it.
func renderProject(c config.Config, opts gen.Options, templates string) (gen.FileSet, error) {
	cache := gofmtcache.Open()
	opts.Gofmt = cache
	files, err := project.Render(c, opts, templates)
	cache.Flush()
	return files, err
}
