package main

import (
	"bytes"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/project"
)

// scaffoldedInputs are the inputs each scaffolded file is known to depend
// on: a user who edits the file and then changes one of these in
// shmemgen.yaml gets a conflict. A scaffolded file not listed must depend on
// no input at all, as dll/user.go, the file users are told to edit, must.
// Shrink this table; never grow it to make the test pass.
var scaffoldedInputs = map[string][]string{
	// The exceptions no generated file can take over. go.mod is the
	// module's declaration, the user's for their own requirements: its
	// module line must be the literal path, which the go command reads and
	// nothing can include.
	"go.mod": {"module"},
	// Go imports name the module literally, and the Go hosts import the
	// project's client package: a path is a string literal in an import
	// declaration, which nothing generated can supply.
	"hosts/go/child/main.go":  {"module"},
	"hosts/go/parent/main.go": {"module"},
}

// inputVariants change one input each, to another value it may take;
// variants a case's other inputs make invalid are skipped.
var inputVariants = []struct {
	input  string
	change func(*config.Config)
}{
	{"name", func(c *config.Config) { c.Name = "othername" }},
	{"name", func(c *config.Config) { c.Name = `Global\Other` }},
	{"size", func(c *config.Config) { c.Size = 8192 }},
	{"set", func(c *config.Config) { c.Set = "OtherSet" }},
	{"get", func(c *config.Config) { c.Get = "OtherGet" }},
	{"dll", func(c *config.Config) { c.DLL = "other" }},
	{"module", func(c *config.Config) { c.Module = "example.com/other" }},
	{"write-bytes", func(c *config.Config) { c.WriteBytes = "OtherWrite" }},
	{"read-bytes", func(c *config.Config) { c.ReadBytes = "OtherRead" }},
	{"size-export", func(c *config.Config) { c.SizeExport = "OtherSize" }},
	{"length", func(c *config.Config) { c.Length = "OtherLength" }},
	{"wait", func(c *config.Config) { c.Wait = "OtherWait" }},
	{"status", func(c *config.Config) { c.Status = "OtherStatus" }},
	{"lock-timeout", func(c *config.Config) { c.LockTimeout = config.Duration(7 * time.Second) }},
	{"sddl", func(c *config.Config) { c.SDDL = "D:P(A;;GA;;;SY)" }},
	{"sddl", func(c *config.Config) { c.SDDL = "" }},
	{"arch", func(c *config.Config) { c.Arch = "amd64,386" }},
	{"arch", func(c *config.Config) { c.Arch = "amd64" }},
	{"unlink", func(c *config.Config) { c.Unlink = "OtherUnlink" }},
	{"os", func(c *config.Config) { c.OS = "windows,linux" }},
	{"os", func(c *config.Config) { c.OS = "windows" }},
	{"mode", func(c *config.Config) { c.Mode = "0640" }},
	{"file-version", func(c *config.Config) { c.FileVersion = "2.0" }},
	// Bindings added: a binding's files are there only when it is chosen,
	// so taking one away takes away its files, which is what it asks for;
	// no other file may change.
	{"bindings", func(c *config.Config) { c.Bindings = "csharp,python,rust" }},
	{"bindings", func(c *config.Config) {
		if c.Bindings == "" {
			c.Bindings = "python"
		}
	}},
	{"trust", func(c *config.Config) { c.Trust = config.TrustHeader; c.Owner = "" }},
	{"trust", func(c *config.Config) { c.Trust = config.TrustOwner }},
	{"trust", func(c *config.Config) { c.Trust = config.TrustNamespace }},
	{"owner", func(c *config.Config) { c.Owner = "S-1-5-18" }},
	{"owner", func(c *config.Config) { c.Owner = "" }},
	// The record's variants build new values: c shares the case's.
	{"record", func(c *config.Config) { c.Record = withField(c.Record, "Added") }},
	{"record", func(c *config.Config) {
		c.Record, c.Types, c.ReadRecord, c.WriteRecord, c.WriteRecordRange = nil, nil, "", "", ""
	}},
	{"types", func(c *config.Config) {
		if len(c.Types) > 0 {
			c.Types = append([]config.Record{*withField(&c.Types[0], "")}, c.Types[1:]...)
		}
	}},
	{"read-record", func(c *config.Config) { c.ReadRecord = "OtherReadRecord" }},
	{"write-record", func(c *config.Config) { c.WriteRecord = "OtherWriteRecord" }},
	{"write-record-range", func(c *config.Config) { c.WriteRecordRange = "OtherWriteRecordRange" }},
}

// withField is r with a field added, or a record named name of one field
// if r is nil.
func withField(r *config.Record, name string) *config.Record {
	added := config.Field{Name: "added", Type: "u32"}
	if r == nil {
		return &config.Record{Name: name, Fields: []config.Field{added}}
	}
	return &config.Record{Name: r.Name, Fields: append(slices.Clone(r.Fields), added)}
}

// TestScaffoldedInputs renders every golden case with each input changed in
// turn and checks that no scaffolded file changes with an input it is not
// listed for in scaffoldedInputs: the bug it guards against is a user's own
// file coming back as a conflict after an edit to shmemgen.yaml. An overlay
// is left out: its files are its author's, the rule is about shmemgen's.
func TestScaffoldedInputs(t *testing.T) {
	seen := map[string]bool{}
	// needed records the listed inputs a file was seen to change with: an
	// entry never seen is stale, and would hide the file coming to depend
	// on that input again.
	needed := map[string]map[string]bool{}
	for _, dir := range goldenCases(t) {
		a, opts, err := project.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		opts.Overlay, opts.OverlayName = nil, ""
		base, err := gen.Render(a.Inputs, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range inputVariants {
			c := a.Inputs
			v.change(&c)
			if reflect.DeepEqual(c, a.Inputs) || c.Validate() != nil {
				continue
			}
			seen[v.input] = true
			files, err := gen.Render(c, opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range base {
				if f.Owner != gen.Scaffolded {
					continue
				}
				g, ok := files.Lookup(f.Path)
				changed := !ok || !bytes.Equal(g.Data, f.Data)
				switch {
				case !changed:
				case slices.Contains(scaffoldedInputs[f.Path], v.input):
					if needed[f.Path] == nil {
						needed[f.Path] = map[string]bool{}
					}
					needed[f.Path][v.input] = true
				default:
					t.Errorf("%s: scaffolded %s changes with %s, which it must not depend on (a user who edits it and then changes %[3]s gets a conflict)", dir, f.Path, v.input)
				}
			}
		}
	}
	for path, inputs := range scaffoldedInputs {
		for _, input := range inputs {
			if !needed[path][input] {
				t.Errorf("scaffoldedInputs lists %s for %s, which no golden case's change of it changes: remove it", input, path)
			}
		}
	}
	// Every input was changed somewhere: every row of config.Inputs, so
	// that a new input needs a variant, and the record, which no row holds.
	keys := []string{"record", "types"}
	for _, in := range config.Inputs {
		keys = append(keys, in.Flag)
	}
	for _, key := range keys {
		if !seen[key] {
			t.Errorf("no golden case took a change of %s", key)
		}
	}
}
