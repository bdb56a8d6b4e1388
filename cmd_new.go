package main

import (
	"encoding"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"unicode"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/answers"
	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/project"
	"github.com/shmemgen/shmemgen/write"
)

func newCommand() *cli.Command {
	return &cli.Command{
		Name:      "new",
		Usage:     "scaffold a new project",
		ArgsUsage: "[DIR]",
		UsageText: "shmemgen new [--name NAME] [--size SIZE] [--set NAME] [--get NAME] [--dll NAME] [--module PATH] [--out DIR | DIR] [--force] [--reset] [--templates DIR] [--var KEY=VALUE]... [--dry-run] [--json]",
		Description: `Renders the whole project in memory, checks it, then writes it to --out. Every flag
has a default, so "shmemgen new" alone reproduces Microsoft's sample. The project's
shmemgen.yaml records every input and the files written, for shmemgen generate. An
--out that already holds a project is regenerated in place as shmemgen generate does,
with the flags as the answers: files already right are not touched, edits are kept, and
a run with nothing to do prints nothing, so the command suits a go:generate directive.
A flag changes the input shmemgen.yaml records (new says so on stderr); an input it
records that no flag gives is not put back to its default: new refuses, naming each
such input, and writes nothing, unless --reset. Any other non-empty --out is refused
unless --force. On any error nothing is written.

Examples:

   shmemgen new
   shmemgen new --name 'Local\Telemetry' --size 1MiB --set PutText --get TakeText --dll telemetry -o telemetry
   shmemgen new --name 'Global\Fleet' --module github.com/acme/fleet-shm --out fleet
   shmemgen new --templates my-templates --var team=ops --dry-run --json
   //go:generate shmemgen new -o shm --name Local\Telemetry --size 1MiB`,
		OnUsageError: onUsageError,
		Flags:        append(inputFlags(), newCommandFlags()...),
		Action:       runNew,
	}
}

// inputFlags are new's flags for the project's inputs, one for each row
// of config.Inputs, and the record's.
func inputFlags() []cli.Flag {
	// The record's flags first: its category lists them before the rows of
	// its exports.
	flags := recordFlags()
	for _, in := range config.Inputs {
		flags = append(flags, &cli.StringFlag{Name: in.Flag, Aliases: in.Aliases, Category: in.Category, Value: in.Default, Usage: in.Usage})
	}
	return flags
}

// categoryOutput groups in new --help the flags that shape what new
// renders and prints rather than the project.
const categoryOutput = "Templates and output"

// newCommandFlags are new's flags that are not inputs: they say where and
// how to write the project, and are not recorded in it.
func newCommandFlags() []cli.Flag {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "out", Aliases: []string{"o", "dir"}, Usage: "output `DIR`, also accepted as the argument (default: ./ and the mapping name without its prefix)"},
		&cli.BoolFlag{Name: "force", Usage: "write into a non-empty --out that is not a project, overwriting the files shmemgen generates; over a project, as for generate: overwrite edited files shmemgen has a new version for"},
		&cli.BoolFlag{Name: "reset", Usage: "over a project, let the inputs its shmemgen.yaml records and these flags do not give go back to their defaults (without it, new refuses, naming them)"},
	}
	output := append(templateFlags(), planFlags()...)
	for _, f := range output {
		switch f := f.(type) {
		case *cli.StringFlag:
			f.Category = categoryOutput
		case *cli.StringSliceFlag:
			f.Category = categoryOutput
		case *cli.BoolFlag:
			f.Category = categoryOutput
		}
	}
	// urfave/cli groups a command's flags before it adds --help to them:
	// without it here, a command with categories would not list --help.
	return append(append(flags, output...), cli.HelpFlag)
}

func runNew(c *cli.Context) error {
	cfg, out, err := configFromFlags(c)
	if err != nil {
		return err
	}
	opts, templates, err := optionsFromFlags(c, out)
	if err != nil {
		return err
	}
	files, err := project.Render(cfg, opts, templates)
	if err != nil {
		return err
	}
	prev, isProject, err := readProject(out)
	if err != nil {
		return err
	}
	var plan write.Plan
	if isProject {
		// An existing project, as a go:generate directive finds it on every
		// run after the first: plan exactly as generate does, with the
		// flags as the answers, so that nothing already right is touched
		// and no edit is lost.
		// Inputs the flags do not give are refused before anything is
		// planned or written, unless --reset.
		if err := checkResets(c, filepath.Join(out, answers.FileName), out, inputChanges(c, prev, cfg, opts, templates, out)); err != nil {
			return err
		}
		plan, err = write.PlanRegenerate(projectFS(), out, files, prev.Manifest(), c.Bool("force"))
	} else {
		plan, err = write.PlanNew(projectFS(), out, files, c.Bool("force"))
	}
	if err != nil {
		return err
	}
	// Over an existing project, as for generate, a run that changes
	// nothing says nothing.
	if !isProject || plan.Changed() {
		for _, w := range cfg.Warnings() {
			fmt.Fprintf(c.App.ErrWriter, "shmemgen: warning: %s\n", w)
		}
	}
	if err := report(c, plan); err != nil {
		return err
	}
	if err := conflictError(c, plan); err != nil {
		return err
	}
	if !isProject && !c.Bool("dry-run") && !c.Bool("json") {
		fmt.Fprintf(c.App.Writer, "next: cd %s && ./build.sh\n", gen.ShellQuote(out))
	}
	return nil
}

// readProject reads the answers file of the project in dir, if dir holds
// one. A project whose answers file cannot be read is an error: without its
// manifest, shmemgen cannot tell the user's edits from its own output.
func readProject(dir string) (answers.Answers, bool, error) {
	file := filepath.Join(dir, answers.FileName)
	if _, err := os.Lstat(file); errors.Is(err, fs.ErrNotExist) {
		return answers.Answers{}, false, nil
	}
	a, _, err := loadAnswers(dir)
	if err != nil {
		return answers.Answers{}, false, err
	}
	return a, true, nil
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
// answers file prev that new's flags (cfg, opts and templates, for a project
// in out) would change.
func inputChanges(c *cli.Context, prev answers.Answers, cfg config.Config, opts gen.Options, templates, out string) []inputChange {
	var changes []inputChange
	pv, nv := reflect.ValueOf(prev.Inputs), reflect.ValueOf(cfg)
	for i := range pv.NumField() {
		key := strings.Split(pv.Type().Field(i).Tag.Get("yaml"), ",")[0]
		if key == "record" || key == "types" {
			continue // below, as one input
		}
		if a, b := answerValue(pv.Field(i)), answerValue(nv.Field(i)); a != b {
			changes = append(changes, inputChange{flag: "--" + key, recorded: a, next: b, given: c.IsSet(key),
				keep: "--" + key + " " + gen.ShellQuote(flagText(pv.Field(i)))})
		}
	}
	if !reflect.DeepEqual(prev.Inputs.Record, cfg.Record) || !reflect.DeepEqual(prev.Inputs.Types, cfg.Types) {
		keep := strings.Join(gen.RecordArgs(prev.Inputs), " ")
		if len(prev.Inputs.Types) > 0 {
			keep = "(the record " + prev.Inputs.Record.Name + " uses inputs.types, which only " + answers.FileName + " declares)"
		}
		changes = append(changes, inputChange{flag: "--record", recorded: recordText(prev.Inputs), next: recordText(cfg),
			given: c.IsSet("record") || c.IsSet("field"), keep: keep})
	}
	if prev.Templates != templates {
		// The answers file records the overlay relative to the project;
		// the flag takes it relative to the working directory.
		dir := filepath.FromSlash(prev.Templates)
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(out, dir)
		}
		changes = append(changes, inputChange{flag: "--templates", recorded: answerValue(reflect.ValueOf(prev.Templates)),
			next: answerValue(reflect.ValueOf(templates)), given: c.IsSet("templates"),
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
// not given, unless --reset: new over a project would otherwise put every
// input left off its command line back to its default. Changes that were
// asked for, and resets that --reset accepts, are said on stderr.
func checkResets(c *cli.Context, file, dir string, changes []inputChange) error {
	var asked, resets []inputChange
	for _, ch := range changes {
		if ch.given {
			asked = append(asked, ch)
		} else {
			resets = append(resets, ch)
		}
	}
	if len(resets) > 0 && !c.Bool("reset") {
		var b strings.Builder
		fmt.Fprintf(&b, "%s records inputs that these flags do not give, and new would reset them to their defaults; nothing was written:\n", file)
		var keep []string
		for _, ch := range resets {
			fmt.Fprintf(&b, "  %s: %s, would become %s\n", ch.flag, ch.recorded, ch.next)
			keep = append(keep, ch.keep)
		}
		fmt.Fprintf(&b, "to keep them, give them too: %s\n", strings.Join(keep, " "))
		generate := "shmemgen generate"
		if filepath.Clean(dir) != "." {
			generate += " --dir " + gen.ShellQuote(dir)
		}
		fmt.Fprintf(&b, "to change inputs in place, edit %s and run %s\n", file, generate)
		fmt.Fprintf(&b, "to reset them to their defaults, add --reset")
		return usageError{errors.New(b.String())}
	}
	say := func(what string, changes []inputChange) {
		if len(changes) == 0 {
			return
		}
		var parts []string
		for _, ch := range changes {
			parts = append(parts, fmt.Sprintf("%s from %s to %s", ch.flag, ch.recorded, ch.next))
		}
		fmt.Fprintf(c.App.ErrWriter, "shmemgen: note: %s %s's inputs: %s\n", what, file, strings.Join(parts, ", "))
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

// configFromFlags turns new's flags into a validated config and the output
// directory. An error names the flag the user gave and echoes its value as
// typed: one in a value shmemgen derived (the default --out from --name,
// the default --module from --out) is blamed on the flag it came from.
func configFromFlags(c *cli.Context) (config.Config, string, error) {
	var cfg config.Config
	for _, in := range config.Inputs {
		if err := in.Set(&cfg, c.String(in.Flag)); err != nil {
			return config.Config{}, "", err
		}
	}
	record, err := recordFromFlags(c)
	if err != nil {
		return config.Config{}, "", err
	}
	cfg.Record = record
	// A stand-in until the default is known: every other value is checked
	// first, so that an error in one is not hidden behind a default derived
	// from another.
	cfg.Module = "example.com/m"
	if err := asTyped(c, cfg.Validate()); err != nil {
		return config.Config{}, "", err
	}

	out, err := dirArg(c, "out")
	if err != nil {
		return config.Config{}, "", err
	}
	outGiven := out != ""
	if out == "" {
		if out, err = config.DefaultOut(cfg.Name); err != nil {
			return config.Config{}, "", err
		}
	}
	cfg.Module = c.String("module")
	if cfg.Module == "" {
		abs, err := filepath.Abs(out)
		if err != nil {
			return config.Config{}, "", err
		}
		cfg.Module = config.DefaultModule(filepath.Base(abs))
		var ce *config.Error
		if err := cfg.Validate(); errors.As(err, &ce) && ce.Flag == "module" {
			rule := strings.TrimPrefix(ce.Rule, "is ")
			if outGiven {
				return config.Config{}, "", &config.Error{Flag: "out", Value: out,
					Rule: fmt.Sprintf("gives the default --module %s, which is %s: give --module", config.Quote(cfg.Module), rule)}
			}
			return config.Config{}, "", &config.Error{Flag: "name", Value: cfg.Name,
				Rule: fmt.Sprintf("gives the default --out %s and --module %s, which is %s: give --module", config.Quote(out), config.Quote(cfg.Module), rule)}
		}
	}
	return cfg, out, asTyped(c, cfg.Validate())
}

// asTyped puts the value of a rejected flag back as the user typed it: the
// config holds what shmemgen read (1PiB is 1125899906842624 bytes, 2h is
// 2h0m0s), which is not what the user wrote.
func asTyped(c *cli.Context, err error) error {
	var ce *config.Error
	if errors.As(err, &ce) && ce.Value != "" && c.IsSet(ce.Flag) {
		ce.Value = c.String(ce.Flag)
	}
	return err
}
