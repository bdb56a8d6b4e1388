// Package gen renders a validated configuration into a project: templates in,
// an in-memory, sorted, gofmt'ed file set out, with no I/O beyond reading the
// templates.
package gen

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"go/format"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"
	tparse "text/template/parse"
	"time"

	"github.com/Masterminds/sprig/v3"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/templates"
)

// Options are the inputs of a render besides the config.
type Options struct {
	// Overlay, when not nil, is laid over the embedded templates: it mirrors
	// templates.Root, a file in it replaces the embedded one of the same
	// path and a new file adds one. OverlayName names it in errors.
	Overlay     fs.FS
	OverlayName string
	// Vars are the --var values, which templates read as .Vars.key.
	Vars map[string]string
	// Reserved are paths that the caller writes itself, such as the answers
	// file: a template that would produce one is an error.
	Reserved []string
	// Gofmt, when not nil, remembers across processes the Go outputs
	// go/format leaves as they are, which a render then need not format:
	// the commands pass the user's cache (internal/gofmtcache).
	Gofmt GofmtCache
}

// A GofmtCache remembers Go sources that go/format leaves as they are.
type GofmtCache interface {
	// Clean reports whether src is recorded as left as it was.
	Clean(src []byte) bool
	// Record records src, which go/format left as it was.
	Record(src []byte)
}

// Render renders the templates for c, which must be valid, into the
// project's files. It knows nothing of how the caller records them: the
// answers file is the caller's to add.
func Render(c config.Config, opts Options) (FileSet, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	for _, key := range sortedKeys(opts.Vars) {
		if err := config.CheckVar(key); err != nil {
			return nil, fmt.Errorf("--var: %w", err)
		}
	}
	tmpls, err := Templates(opts.Overlay, opts.OverlayName)
	if err != nil {
		return nil, err
	}
	model := NewModel(c)
	model.Vars = map[string]string{}
	for k, v := range opts.Vars {
		model.Vars[k] = v
	}
	// The templates are rendered on a goroutine a core: parsing, executing
	// and formatting (when gofmt's verdicts are not cached) are a render's
	// work, and each template's is its own.
	results := make([]result, len(tmpls))
	eachOnWorkers(len(tmpls), func(i int) { results[i] = render(tmpls[i], model, opts) })
	// The error of the first template in path order that failed, as
	// rendering one after another would give.
	var files FileSet
	for _, r := range results {
		if r.err != nil {
			return nil, r.err
		}
		// A template that renders to nothing makes no file: that is how
		// one for a system --os does not list leaves itself out.
		if len(bytes.TrimSpace(r.data)) > 0 {
			files = append(files, File{Path: r.out, Data: r.data, Mode: modeFor(r.out), Owner: ownerOf(r.data)})
		}
	}
	files.sort()
	return files, nil
}

// render renders one template for model: its output, formatted if Go, or
// an error naming it; nothing for a template its guard skips.
func render(t Template, model Model, opts Options) result {
	r := result{name: t.Name}
	if !strings.HasSuffix(t.Path, ".tmpl") {
		r.err = fmt.Errorf("template %s: name must end in .tmpl", t.Name)
		return r
	}
	out := strings.TrimSuffix(t.Path, ".tmpl")
	if slices.Contains(opts.Reserved, out) {
		r.err = fmt.Errorf("template %s: would overwrite %s, which shmemgen writes itself", t.Name, out)
		return r
	}
	// The path goes into the manifest, which refuses anything else,
	// and must mean the same file on Windows.
	if !config.ValidPath(out) {
		r.err = fmt.Errorf("template %s: makes %s, which is not a clean, slash-separated path inside the project (no backslash, colon or empty name)", t.Name, config.Quote(out))
		return r
	}
	if skip, err := skips(t, model); err != nil || skip {
		r.err = err
		return r
	}
	r.out = out
	if r.data, r.err = execute(t, model); r.err == nil && len(bytes.TrimSpace(r.data)) > 0 && path.Ext(out) == ".go" {
		r.format(opts.Gofmt)
	}
	return r
}

// eachOnWorkers calls fn(i) for every i below n, on one goroutine a core,
// the caller's among them, each taking the next i as it finishes one.
func eachOnWorkers(n int, fn func(int)) {
	var next atomic.Int64
	work := func() {
		for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
			fn(i)
		}
	}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
}

// execute parses and executes one template.
func execute(t Template, model Model) ([]byte, error) {
	tmpl, err := parse(t)
	if err != nil {
		return nil, err
	}
	// Output is about as long as its template: growing the buffer from
	// nothing made more garbage than the output itself.
	buf := bytes.NewBuffer(make([]byte, 0, len(t.Source)))
	if err := tmpl.Execute(buf, model); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// A result is one template's output: the file it makes, at out, or err.
type result struct {
	name, out string
	data      []byte
	err       error
}

// format gofmts Go output, unless cache (when not nil) has it as already
// gofmt'ed; a failure is a template bug and names the template.
func (r *result) format(cache GofmtCache) {
	sum := sha256.Sum256(r.data)
	if formatted, ok := gofmted.Load(sum); ok {
		if formatted != nil {
			// A copy: the caller owns its file's bytes.
			r.data = bytes.Clone(formatted.([]byte))
		}
		return
	}
	// The process's memo first, then the cache across processes: a
	// process that renders again asks neither twice.
	clean := cache != nil && cache.Clean(r.data)
	formatted := r.data
	if !clean {
		var err error
		if formatted, err = format.Source(r.data); err != nil {
			r.err = fmt.Errorf("template %s: output is not valid Go: %w", r.name, err)
			return
		}
		clean = bytes.Equal(formatted, r.data)
		if clean && cache != nil {
			cache.Record(r.data)
		}
	}
	if gofmtedCount.Add(1) <= maxGofmted {
		if clean {
			gofmted.Store(sum, nil)
		} else {
			gofmted.Store(sum, bytes.Clone(formatted))
		}
	}
	r.data = formatted
}

// gofmted memoizes go/format.Source within a process, by the SHA-256 of its
// input: nil for input it left as it was, which is most (the templates write
// gofmt'ed Go), else its output. go/format is a pure function and most of a
// render's work, and a process that renders again, as tests and benchmarks
// do, formats the same files again; a user's shmemgen renders once, and
// formats every file. maxGofmted bounds it.
var (
	gofmted      sync.Map
	gofmtedCount atomic.Int64
)

const maxGofmted = 1 << 14

// Template is one template of the set a render uses.
type Template struct {
	// Path is the template's slash-separated path relative to the
	// project's root, .tmpl included.
	Path string
	// Name is how errors name it: project/… for an embedded template, the
	// overlay's name and the path for one from an overlay.
	Name string
	// Overlay reports whether the template comes from the overlay, and
	// Replaces whether it replaces an embedded one.
	Overlay  bool
	Replaces bool
	// Source is the template text: a string, as text/template parses it,
	// so that a process copies each embedded template once, not twice.
	Source string
}

// Templates returns the embedded templates with overlay, if not nil, laid
// over them, sorted by path.
func Templates(overlay fs.FS, overlayName string) ([]Template, error) {
	embedded, err := embeddedTemplates()
	if err != nil {
		return nil, err
	}
	byPath := make(map[string]Template, len(embedded))
	for _, t := range embedded {
		byPath[t.Path] = t
	}
	if overlay != nil {
		if err := readTemplates(overlay, ".", overlayName, true, byPath); err != nil {
			return nil, fmt.Errorf("reading templates from %s: %w", overlayName, err)
		}
	}
	list := make([]Template, 0, len(byPath))
	for _, p := range sortedKeys(byPath) {
		list = append(list, byPath[p])
	}
	return list, nil
}

// embeddedTemplates reads the embedded templates once a process: they
// never change, and reading them again was a tenth of every later render.
var embeddedTemplates = sync.OnceValues(readEmbedded)

// readEmbedded reads the embedded templates, sorted by path.
func readEmbedded() ([]Template, error) {
	byPath := map[string]Template{}
	if err := readTemplates(templates.FS, templates.Root, templates.Root, false, byPath); err != nil {
		return nil, err
	}
	list := make([]Template, 0, len(byPath))
	for _, p := range sortedKeys(byPath) {
		list = append(list, byPath[p])
	}
	return list, nil
}

// readString reads the file name from fsys into a string, through buf,
// copying it once: half a megabyte of templates, read and then converted,
// touched as many new pages again in every process.
func readString(fsys fs.FS, name string, buf []byte) (string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b strings.Builder
	if info, err := f.Stat(); err == nil && info.Size() > 0 && info.Size() < 1<<30 {
		b.Grow(int(info.Size()) + 1) // +1: a full buffer is not known to be the end
	}
	if _, err := io.CopyBuffer(&b, f, buf); err != nil {
		return "", err
	}
	return b.String(), nil
}

// readTemplates adds the templates under root in fsys to byPath, by their
// path below root, replacing any there.
func readTemplates(fsys fs.FS, root, name string, fromOverlay bool, byPath map[string]Template) error {
	// fs.WalkDir visits in lexical order, so nothing depends on the file
	// system's order.
	buf := make([]byte, 32<<10)
	return fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("template %s: not a regular file", filepath.Join(name, filepath.FromSlash(p)))
		}
		src, err := readString(fsys, p, buf)
		if err != nil {
			return err
		}
		rel := p
		if root != "." {
			rel = strings.TrimPrefix(p, root+"/")
		}
		_, replaces := byPath[rel]
		tname := path.Join(name, rel)
		if fromOverlay {
			tname = filepath.Join(name, filepath.FromSlash(rel))
		}
		byPath[rel] = Template{Path: rel, Name: tname, Overlay: fromOverlay, Replaces: replaces, Source: src}
		return nil
	})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// parse parses a template as text/template's Parse does, but gives it only
// the functions it calls: adding sprig's two hundred to every template, or
// copying them, cost more than all the parsing. The embedded templates,
// which never change, are parsed once a process and kept, so that a
// project's renders after the first, as tests and go generate ./... make
// them, only execute.
func parse(t Template) (*template.Template, error) {
	if !t.Overlay {
		if tmpl, ok := parsed.Load(t.Path); ok {
			return tmpl.(*template.Template), nil
		}
	}
	trees, err := tparse.Parse(t.Name, t.Source, "", "", funcs, builtinNames)
	if err != nil {
		// Perhaps a builtin newer than builtinNames: text/template
		// decides, with every function.
		return template.New(t.Name).Option("missingkey=error").Funcs(funcs).Parse(t.Source)
	}
	called := template.FuncMap{}
	for _, tree := range trees {
		if !calls(tree.Root, called) {
			called = funcs
			break
		}
	}
	tmpl := template.New(t.Name).Option("missingkey=error").Funcs(called)
	for name, tree := range trees {
		if _, err := tmpl.AddParseTree(name, tree); err != nil {
			return nil, err
		}
	}
	if !t.Overlay {
		parsed.Store(t.Path, tmpl)
	}
	return tmpl, nil
}

// parsed holds the embedded templates parsed, by path.
var parsed sync.Map

// builtinNames are text/template's own functions, which the parser must
// know of besides funcs.
var builtinNames = map[string]any{
	"and": true, "call": true, "html": true, "index": true, "slice": true, "js": true, "len": true,
	"not": true, "or": true, "print": true, "printf": true, "println": true, "urlquery": true,
	"eq": true, "ge": true, "gt": true, "le": true, "lt": true, "ne": true,
}

// calls adds to called the functions of funcs that the tree at n calls. It
// reports false for a node it does not know, whose calls it cannot list.
func calls(n tparse.Node, called template.FuncMap) bool {
	walk := func(nodes ...tparse.Node) bool {
		for _, n := range nodes {
			if !calls(n, called) {
				return false
			}
		}
		return true
	}
	switch n := n.(type) {
	case *tparse.IdentifierNode:
		if f, ok := funcs[n.Ident]; ok {
			called[n.Ident] = f
		}
		return true
	case *tparse.ListNode:
		return n == nil || walk(n.Nodes...)
	case *tparse.PipeNode:
		if n == nil {
			return true
		}
		for _, c := range n.Cmds {
			if !walk(c) {
				return false
			}
		}
		return true
	case *tparse.CommandNode:
		return walk(n.Args...)
	case *tparse.ChainNode:
		return walk(n.Node)
	case *tparse.ActionNode:
		return walk(n.Pipe)
	case *tparse.IfNode:
		return walk(n.Pipe, n.List, n.ElseList)
	case *tparse.RangeNode:
		return walk(n.Pipe, n.List, n.ElseList)
	case *tparse.WithNode:
		return walk(n.Pipe, n.List, n.ElseList)
	case *tparse.TemplateNode:
		return walk(n.Pipe)
	case *tparse.TextNode, *tparse.CommentNode, *tparse.FieldNode, *tparse.VariableNode,
		*tparse.DotNode, *tparse.NilNode, *tparse.BoolNode, *tparse.NumberNode,
		*tparse.StringNode, *tparse.BreakNode, *tparse.ContinueNode:
		return true
	}
	return false
}

func modeFor(name string) fs.FileMode {
	if path.Ext(name) == ".sh" {
		return 0o755
	}
	return 0o644
}

// funcs is sprig's hermetic set, less the functions whose output is not a
// function of their input: rendering must be byte-for-byte repeatable, on
// any machine. durationRound reads the clock when given a time; toDate and
// mustToDate read dates in UTC, not in the machine's time zone.
var funcs = func() template.FuncMap {
	m := sprig.HermeticTxtFuncMap()
	for _, name := range []string{
		"randInt", "shuffle", "ago", "durationRound", "bcrypt", "htpasswd", "encryptAES", "genPrivateKey",
		"genCA", "genCAWithKey", "genSelfSignedCert", "genSelfSignedCertWithKey",
		"genSignedCert", "genSignedCertWithKey",
	} {
		delete(m, name)
	}
	m["toDate"] = func(layout, value string) time.Time {
		t, _ := time.ParseInLocation(layout, value, time.UTC)
		return t
	}
	m["mustToDate"] = func(layout, value string) (time.Time, error) {
		return time.ParseInLocation(layout, value, time.UTC)
	}
	return m
}()
