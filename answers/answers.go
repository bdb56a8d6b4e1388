// Package answers reads and writes shmemgen.yaml, the answers file at the
// root of every generated project: the generator version, every input the
// project was generated from, and a manifest of the files shmemgen wrote
// with the SHA-256 of what it wrote. "shmemgen generate" reads it back to
// regenerate in place and to tell the user's edits from its own output.
package answers

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/shmemgen/shmemgen/config"
)

// FileName is the answers file's name, at the project root.
const FileName = "shmemgen.yaml"

// MaxFileSize caps an answers file's size: a real one is a few kilobytes,
// and a huge one would cost many times its size in memory to parse.
const MaxFileSize = 1 << 20

// Answers is the content of an answers file.
type Answers struct {
	// Version is the version of shmemgen that last wrote the project.
	Version string `yaml:"version"`
	// Inputs is the configuration, keyed by flag name.
	Inputs config.Config `yaml:"inputs"`
	// Templates is the overlay directory given with --templates, as a
	// slash-separated path relative to the project root (or absolute), or
	// empty for the embedded templates alone.
	Templates string `yaml:"templates,omitempty"`
	// Vars are the values given with --var, which templates see as
	// .Vars.key. The encoder writes map keys sorted, so the file's bytes do
	// not depend on map order.
	Vars map[string]string `yaml:"vars,omitempty"`
	// Files is the manifest, sorted by path.
	Files []Entry `yaml:"files"`
}

// Entry is one file of the manifest: its slash-separated path relative to
// the project root and the SHA-256 of the bytes shmemgen last rendered for
// it, in hex.
type Entry struct {
	Path   string `yaml:"path"`
	SHA256 string `yaml:"sha256"`
}

// Sum is the manifest hash of data.
func Sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// SumReader is the manifest hash of what r reads, read through buf.
func SumReader(r io.Reader, buf []byte) (string, error) {
	h := sha256.New()
	// The struct hides any WriteTo of r's (an *os.File has one), which
	// would copy through a buffer of its own.
	if _, err := io.CopyBuffer(h, struct{ io.Reader }{r}, buf); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Manifest returns the manifest as a map from path to hash.
func (a Answers) Manifest() map[string]string {
	m := make(map[string]string, len(a.Files))
	for _, e := range a.Files {
		m[e.Path] = e.SHA256
	}
	return m
}

// header opens every answers file: it is meant to be read and edited.
const header = `# shmemgen answers: the inputs this project is generated from and a manifest
# of the files shmemgen wrote. Edit the inputs, then run "shmemgen generate" to
# regenerate in place. shmemgen rewrites this file: comments are not kept.
`

// Marshal writes a as an answers file.
func (a Answers) Marshal() ([]byte, error) {
	// Only a record's fields need the document as nodes, to be styled:
	// building them encodes and parses the whole document once more, a
	// tenth of a new project's first render.
	if a.Inputs.Record == nil && len(a.Inputs.Types) == 0 {
		return a.marshal(a)
	}
	var doc yaml.Node
	if err := doc.Encode(a); err != nil {
		return nil, err
	}
	flowFields(&doc)
	return a.marshal(&doc)
}

// marshal writes doc, a or a's nodes, after the header.
func (a Answers) marshal(doc any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(header)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// flowFields writes each field of inputs.record and inputs.types on one
// line, {name: count, type: u64}, as a person would: a record reads as a
// list of its fields.
func flowFields(doc *yaml.Node) {
	inputs := valueNode(doc, "inputs")
	if inputs == nil {
		return
	}
	var records []*yaml.Node
	if r := valueNode(inputs, "record"); r != nil {
		records = append(records, r)
	}
	if t := valueNode(inputs, "types"); t != nil && t.Kind == yaml.SequenceNode {
		records = append(records, t.Content...)
	}
	for _, r := range records {
		if fields := valueNode(r, "fields"); fields != nil && fields.Kind == yaml.SequenceNode {
			for _, f := range fields.Content {
				f.Style = yaml.FlowStyle
			}
		}
	}
}

// Error is a problem with an answers file: the file, the line when known,
// and what is wrong.
type Error struct {
	File string
	Line int
	Err  error
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Parse reads the answers file data, named file in errors. Inputs missing
// from the file take their values from defaults, so that an answers file
// written before an input existed still reads. Every input is validated;
// an unknown key, a malformed value or a broken rule is an *Error naming
// the key and its line.
func Parse(file string, data []byte, defaults config.Config) (Answers, error) {
	a, root, err := decode(file, data, defaults)
	if err != nil {
		return Answers{}, err
	}
	bad := func(line int, format string, args ...any) error {
		return &Error{File: file, Line: line, Err: fmt.Errorf(format, args...)}
	}
	if err := a.Inputs.Validate(); err != nil {
		var ce *config.Error
		if errors.As(err, &ce) {
			// Echo the value as typed (2048GiB, 2h), not as read.
			if n := valueNode(root.Content[0], "inputs", ce.Flag); n != nil && n.Kind == yaml.ScalarNode && ce.Value != "" {
				ce.Value = n.Value
			}
			l := line(root, "inputs", ce.Flag)
			if rl := recordLine(root, ce); rl > 0 {
				l = rl
			}
			return Answers{}, &Error{File: file, Line: l, Err: &inputError{ce}}
		}
		return Answers{}, &Error{File: file, Err: err}
	}
	for _, key := range slices.Sorted(maps.Keys(a.Vars)) {
		if err := config.CheckVar(key); err != nil {
			return Answers{}, &Error{File: file, Line: line(root, "vars", key), Err: fmt.Errorf("vars: %w", err)}
		}
	}
	seen := map[string]bool{}
	for i, e := range a.Files {
		l := seqLine(root, "files", i)
		switch {
		case !ValidPath(e.Path):
			return Answers{}, bad(l, "files: path %s must be a clean, slash-separated path inside the project", config.Quote(e.Path))
		case seen[e.Path]:
			return Answers{}, bad(l, "files: path %s is listed twice", config.Quote(e.Path))
		case !isSHA256Hex(e.SHA256):
			return Answers{}, bad(l, "files: sha256 %s of %s must be 64 lowercase hex digits", config.Quote(e.SHA256), e.Path)
		}
		seen[e.Path] = true
	}
	return a, nil
}

// decode reads data over defaults, refusing unknown keys, without checking
// the values.
func decode(file string, data []byte, defaults config.Config) (Answers, *yaml.Node, error) {
	bad := func(line int, format string, args ...any) error {
		return &Error{File: file, Line: line, Err: fmt.Errorf(format, args...)}
	}
	if len(data) > MaxFileSize {
		return Answers{}, nil, bad(0, "is larger than %d bytes (1 MiB), the most an answers file may be", MaxFileSize)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		l, msg := splitLine(strings.TrimPrefix(err.Error(), "yaml: "))
		if strings.Contains(msg, "found unknown escape character") {
			msg += escapeHint
		}
		return Answers{}, nil, &Error{File: file, Line: l, Err: errors.New(msg)}
	}
	if len(root.Content) == 0 {
		return Answers{}, nil, bad(0, "is empty")
	}
	if err := checkKeys(root.Content[0], reflect.TypeFor[Answers](), ""); err != nil {
		var ke *keyError
		if errors.As(err, &ke) {
			return Answers{}, nil, &Error{File: file, Line: ke.line, Err: err}
		}
		return Answers{}, nil, &Error{File: file, Err: err}
	}

	if err := checkShapes(root.Content[0]); err != nil {
		var se *shapeError
		if errors.As(err, &se) {
			return Answers{}, nil, &Error{File: file, Line: se.line, Err: err}
		}
		return Answers{}, nil, &Error{File: file, Err: err}
	}
	// Each input takes what its flag takes (a size in units: 64KiB), read
	// as the flag reads it, so that an error names the input and its line;
	// the decoder then reads the field from what AnswersScalar gives. A
	// node keeps the text as typed, for messages.
	for _, in := range config.Inputs {
		n := valueNode(root.Content[0], "inputs", in.Flag)
		if n == nil || n.Kind != yaml.ScalarNode {
			continue
		}
		value, tag, err := in.AnswersScalar(n.Value)
		if err != nil {
			var ce *config.Error
			if errors.As(err, &ce) {
				return Answers{}, nil, &Error{File: file, Line: n.Line, Err: &inputError{ce}}
			}
			return Answers{}, nil, &Error{File: file, Line: n.Line, Err: err}
		}
		if value != n.Value || tag != n.Tag {
			typed := n.Value
			n.Tag, n.Value, n.Style = tag, value, 0
			defer func() { n.Value = typed }()
		}
	}

	a := Answers{Inputs: defaults}
	if err := root.Decode(&a); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			l, msg := splitLine(strings.Join(te.Errors, "; "))
			return Answers{}, nil, &Error{File: file, Line: l, Err: errors.New(msg)}
		}
		var ce *config.Error
		if errors.As(err, &ce) { // from a field's UnmarshalText
			return Answers{}, nil, &Error{File: file, Line: line(&root, "inputs", ce.Flag), Err: &inputError{ce}}
		}
		return Answers{}, nil, &Error{File: file, Err: errors.New(strings.TrimPrefix(err.Error(), "yaml: "))}
	}

	return a, &root, nil
}

// escapeHint explains the YAML error a Windows mapping name in double
// quotes gives: "Local\Telemetry" holds the escape \T, which YAML lacks.
const escapeHint = `: in YAML's double quotes a backslash starts an escape (\n, \t, \\); ` +
	`write the value in single quotes ('Local\Telemetry'), unquoted, or with the backslash doubled ("Local\\Telemetry")`

// splitLine splits the yaml decoder's "line N: " off msg.
func splitLine(msg string) (int, string) {
	var l int
	if _, err := fmt.Sscanf(msg, "line %d: ", &l); err == nil {
		return l, strings.TrimPrefix(msg, fmt.Sprintf("line %d: ", l))
	}
	return 0, msg
}

// isSHA256Hex reports whether s is a SHA-256 sum as Sum writes it: 64
// lowercase hex digits. (As a regular expression, the 64 repeats cost more
// to compile than every check of a manifest.)
func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := range len(s) {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// shapeError is a value of the wrong shape: a list or a mapping where a
// single value goes, or the other way round.
type shapeError struct {
	line      int
	key, rule string
}

func (e *shapeError) Error() string { return fmt.Sprintf("%s %s", e.key, e.rule) }

// checkShapes checks that every value in the answers file doc has the
// shape its key takes, and makes every single value a string, as a flag
// reads it, whatever YAML would make of it (an integer, a boolean, null,
// !!binary): the rules then see exactly what the flag would have. Keys are
// checked by checkKeys.
func checkShapes(doc *yaml.Node) error {
	doc = deref(doc)
	if doc.Kind != yaml.MappingNode {
		return &shapeError{doc.Line, "the answers file", "must be a mapping of version, inputs, templates, vars and files"}
	}
	scalar := func(n *yaml.Node, key string) error {
		n = deref(n)
		if n.Kind != yaml.ScalarNode {
			return &shapeError{n.Line, key, "must be a single value, as its flag takes it, not a list or a mapping"}
		}
		n.Tag = "!!str"
		return nil
	}
	mapping := func(n *yaml.Node, key string, each func(k, v *yaml.Node) error) error {
		n = deref(n)
		if n.Kind != yaml.MappingNode {
			if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
				return nil
			}
			return &shapeError{n.Line, key, "must be a mapping of keys to values"}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := each(n.Content[i], n.Content[i+1]); err != nil {
				return err
			}
		}
		return nil
	}
	return mapping(doc, "", func(k, v *yaml.Node) error {
		switch k.Value {
		case "inputs", "vars":
			return mapping(v, k.Value, func(ik, iv *yaml.Node) error {
				if err := scalar(ik, k.Value+" key"); err != nil {
					return err
				}
				if k.Value == "inputs" && (ik.Value == "record" || ik.Value == "types") {
					return checkRecordShapes(ik.Value, iv, scalar, mapping)
				}
				return scalar(iv, k.Value+": "+ik.Value)
			})
		case "files":
			v = deref(v)
			if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				return nil
			}
			if v.Kind != yaml.SequenceNode {
				return &shapeError{v.Line, "files", "must be a list of path and sha256 entries"}
			}
			for _, e := range v.Content {
				if err := mapping(e, "files: an entry", func(ek, ev *yaml.Node) error {
					return scalar(ev, "files: "+ek.Value)
				}); err != nil {
					return err
				}
			}
			return nil
		default:
			return scalar(v, k.Value)
		}
	})
}

// checkRecordShapes checks inputs.record, a record (a mapping of name and
// fields, a list of mappings of name and type), or inputs.types, a list of
// records, with checkShapes' scalar and mapping.
func checkRecordShapes(key string, v *yaml.Node,
	scalar func(n *yaml.Node, key string) error,
	mapping func(n *yaml.Node, key string, each func(k, v *yaml.Node) error) error,
) error {
	list := func(n *yaml.Node, key, rule string, each func(e *yaml.Node) error) error {
		n = deref(n)
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return nil
		}
		if n.Kind != yaml.SequenceNode {
			return &shapeError{n.Line, key, rule}
		}
		for _, e := range n.Content {
			if err := each(e); err != nil {
				return err
			}
		}
		return nil
	}
	record := func(n *yaml.Node, where string) error {
		if d := deref(n); d.Kind != yaml.MappingNode {
			return &shapeError{d.Line, where, "must be a record: a mapping of name and fields"}
		}
		return mapping(n, where, func(rk, rv *yaml.Node) error {
			if rk.Value != "fields" {
				return scalar(rv, where+": "+rk.Value)
			}
			return list(rv, where+": fields", "must be a list of fields, each a mapping of name and type", func(f *yaml.Node) error {
				if d := deref(f); d.Kind != yaml.MappingNode {
					return &shapeError{d.Line, where + ": fields", "must be a list of fields, each a mapping of name and type ({name: count, type: u64})"}
				}
				return mapping(f, where+": a field", func(fk, fv *yaml.Node) error {
					return scalar(fv, where+": a field's "+fk.Value)
				})
			})
		})
	}
	if key == "record" {
		if d := deref(v); d.Kind == yaml.ScalarNode && d.Tag == "!!null" {
			return nil
		}
		return record(v, "inputs: record")
	}
	return list(v, "inputs: types", "must be a list of records, each a mapping of name and fields", func(e *yaml.Node) error {
		return record(e, "inputs: types")
	})
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// valueNode finds the value at keys below the mapping doc, or nil.
func valueNode(doc *yaml.Node, keys ...string) *yaml.Node {
	n := deref(doc)
	for _, key := range keys {
		if n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				next = deref(n.Content[i+1])
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}

// inputError words a config error for the answers file: the key, not the
// flag, names the value.
type inputError struct{ err *config.Error }

func (e *inputError) Error() string {
	if e.err.Value == "" {
		return fmt.Sprintf("inputs: %s %s", e.err.Flag, e.err.Rule)
	}
	return fmt.Sprintf("inputs: %s %s %s", e.err.Flag, config.Quote(e.err.Value), e.err.Rule)
}

func (e *inputError) Unwrap() error { return e.err }

// ValidPath reports whether p is a path shmemgen may write or delete: one
// config.ValidPath accepts, and not the answers file. A manifest is
// user-editable, so its paths are checked before anything is deleted on
// their word.
func ValidPath(p string) bool { return p != FileName && config.ValidPath(p) }

// keyError is an unknown key.
type keyError struct {
	line  int
	key   string
	where string
	known []string
}

func (e *keyError) Error() string {
	where := "at the top level"
	if e.where != "" {
		where = "in " + e.where
	}
	return fmt.Sprintf("unknown key %s %s (known: %s)", config.Quote(e.key), where, strings.Join(e.known, ", "))
}

// checkKeys reports the first key in n that t has no field for, walking
// into nested structs, slices and maps. It reads the keys from the yaml
// tags, so new fields are known as soon as they exist.
func checkKeys(n *yaml.Node, t reflect.Type, where string) error {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch t.Kind() {
	case reflect.Pointer:
		return checkKeys(n, t.Elem(), where)
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return nil // Decode reports the type mismatch.
		}
		names, fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				return &keyError{line: k.Line, key: k.Value, where: where, known: names}
			}
			if err := checkKeys(v, ft, join(where, k.Value)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if n.Kind == yaml.SequenceNode {
			for _, e := range n.Content {
				if err := checkKeys(e, t.Elem(), where); err != nil {
					return err
				}
			}
		}
	case reflect.Map:
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if err := checkKeys(n.Content[i+1], t.Elem(), join(where, n.Content[i].Value)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func join(where, key string) string {
	if where == "" {
		return key
	}
	return where + "." + key
}

// yamlFields lists t's yaml keys in field order, and maps each to its type.
func yamlFields(t reflect.Type) ([]string, map[string]reflect.Type) {
	var names []string
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := strings.Split(f.Tag.Get("yaml"), ",")[0]
		switch name {
		case "-":
			continue
		case "":
			name = strings.ToLower(f.Name) // yaml's own default
		}
		names = append(names, name)
		fields[name] = f.Type
	}
	return names, fields
}

// line finds the line of the key at keys in the document root, or 0.
func line(root *yaml.Node, keys ...string) int {
	n := root.Content[0]
	l := 0
	for _, key := range keys {
		if n.Kind != yaml.MappingNode {
			return l
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				l, n, found = n.Content[i].Line, n.Content[i+1], true
				break
			}
		}
		if !found {
			return l
		}
	}
	return l
}

// recordLine finds the line of the record or type a config error names,
// or of its field when the rule names one, or 0.
func recordLine(root *yaml.Node, ce *config.Error) int {
	var records []*yaml.Node
	switch n := valueNode(root.Content[0], "inputs", ce.Flag); {
	case n == nil:
		return 0
	case ce.Flag == "record" && n.Kind == yaml.MappingNode:
		records = []*yaml.Node{n}
	case ce.Flag == "types" && n.Kind == yaml.SequenceNode:
		records = n.Content
	}
	for _, r := range records {
		if name := valueNode(r, "name"); name == nil || name.Value != ce.Value {
			continue
		}
		fields := valueNode(r, "fields")
		if fields != nil && fields.Kind == yaml.SequenceNode {
			for _, f := range fields.Content {
				if fn := valueNode(f, "name"); fn != nil && strings.Contains(ce.Rule, "field "+config.Quote(fn.Value)) {
					return fn.Line
				}
			}
		}
		return deref(r).Line
	}
	return 0
}

// seqLine finds the line of item i of the sequence at key, or 0.
func seqLine(root *yaml.Node, key string, i int) int {
	n := root.Content[0]
	if n.Kind != yaml.MappingNode {
		return 0
	}
	for j := 0; j+1 < len(n.Content); j += 2 {
		if n.Content[j].Value == key {
			seq := n.Content[j+1]
			if seq.Kind == yaml.SequenceNode && i < len(seq.Content) {
				return seq.Content[i].Line
			}
			return n.Content[j].Line
		}
	}
	return 0
}
