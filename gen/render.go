// Package gen renders a validated configuration into a project: templates in,
// an in-memory, sorted, gofmt'ed file set out, with no I/O beyond reading the
// templates.
package gen

import (
	"bytes"
	"fmt"
	"go/format"
	"io/fs"
	"path"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/templates"
)

// Render renders the embedded templates for c, which must be valid.
func Render(c config.Config) (FileSet, error) {
	return RenderFS(c, templates.FS)
}

// RenderFS renders the templates under templates.Root in fsys for c.
func RenderFS(c config.Config, fsys fs.FS) (FileSet, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	model := NewModel(c)
	var files FileSet
	// fs.WalkDir visits in lexical order, so the output order never depends
	// on the file system.
	err := fs.WalkDir(fsys, templates.Root, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !strings.HasSuffix(name, ".tmpl") {
			return fmt.Errorf("template %s: name must end in .tmpl", name)
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		out := strings.TrimSuffix(strings.TrimPrefix(name, templates.Root+"/"), ".tmpl")
		data, err := renderOne(name, src, model)
		if err != nil {
			return err
		}
		files = append(files, File{Path: out, Data: data, Mode: modeFor(out)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	files.sort()
	return files, nil
}

// renderOne executes one template and gofmts Go output; a format failure is
// a template bug and names the template.
func renderOne(name string, src []byte, model Model) ([]byte, error) {
	t, err := template.New(name).Option("missingkey=error").Funcs(funcs).Parse(string(src))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, model); err != nil {
		return nil, err
	}
	if path.Ext(strings.TrimSuffix(name, ".tmpl")) != ".go" {
		return buf.Bytes(), nil
	}
	formatted, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("template %s: output is not valid Go: %w", name, err)
	}
	return formatted, nil
}

func modeFor(name string) fs.FileMode {
	if path.Ext(name) == ".sh" {
		return 0o755
	}
	return 0o644
}

// funcs is sprig's hermetic set, less the functions whose output is not a
// function of their input: rendering must be byte-for-byte repeatable.
var funcs = func() template.FuncMap {
	m := sprig.HermeticTxtFuncMap()
	for _, name := range []string{
		"randInt", "shuffle", "ago", "bcrypt", "htpasswd", "encryptAES", "genPrivateKey",
		"genCA", "genCAWithKey", "genSelfSignedCert", "genSelfSignedCertWithKey",
		"genSignedCert", "genSignedCertWithKey",
	} {
		delete(m, name)
	}
	return m
}()
