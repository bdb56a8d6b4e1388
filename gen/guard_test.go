package gen

import (
	"strings"
	"testing"
	tparse "text/template/parse"

	"github.com/shmemgen/shmemgen/config"
)

// TestGuardsWrapWholeTemplates holds the embedded templates to what skips
// assumes: one that opens with an if is that if and nothing else, with no
// else, so that a false guard means no output.
func TestGuardsWrapWholeTemplates(t *testing.T) {
	tmpls, err := Templates(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	guarded := 0
	for _, tmpl := range tmpls {
		cond, ok := guardOf(tmpl.Source)
		if !ok {
			continue
		}
		guarded++
		trees, err := tparse.Parse(tmpl.Name, tmpl.Source, "", "", funcs, builtinNames)
		if err != nil {
			t.Fatal(err)
		}
		var ifs []*tparse.IfNode
		for _, n := range trees[tmpl.Name].Root.Nodes {
			switch n := n.(type) {
			case *tparse.IfNode:
				ifs = append(ifs, n)
			case *tparse.TextNode:
				if strings.TrimSpace(string(n.Text)) != "" {
					t.Errorf("%s opens with {{if %s}} but has text outside it: %.40q", tmpl.Path, cond, n.Text)
				}
			default:
				t.Errorf("%s opens with {{if %s}} but has %s outside it", tmpl.Path, cond, n)
			}
		}
		if len(ifs) != 1 {
			t.Errorf("%s opens with {{if %s}}: the whole template must be that one if, it has %d", tmpl.Path, cond, len(ifs))
			continue
		}
		if ifs[0].ElseList != nil {
			t.Errorf("%s: its opening {{if %s}} has an else: a false guard would render something", tmpl.Path, cond)
		}
		if got := ifs[0].Pipe.String(); got != cond {
			t.Errorf("%s: guard read as %q, the parser's if is %q", tmpl.Path, cond, got)
		}
	}
	if guarded == 0 {
		t.Fatal("no embedded template opens with an if: guardOf finds nothing")
	}
}

// TestGuardOf reads the shapes a guard comes in, and leaves alone a
// template that does not open with one.
func TestGuardOf(t *testing.T) {
	for src, want := range map[string]string{
		"{{- if .Linux -}}\nx\n{{- end }}\n": ".Linux",
		"{{- /* Linux only: without linux in --os this renders nothing. */ -}}\n{{- if and .Linux .Record -}}\nx{{end}}": "and .Linux .Record",
		"{{if eq .Trust \"header\"}}x{{end}}":            "eq .Trust \"header\"",
		"{{- if .HasBinding \"rust\" -}}":                ".HasBinding \"rust\"",
		"// x\n{{if .Linux}}x{{end}}":                    "",
		"{{ .DLL }}{{if .Linux}}x{{end}}":                "",
		"{{- /* a */ -}}{{ .DLL }}{{if .Linux}}x{{end}}": "",
	} {
		got, ok := guardOf(src)
		if got != want || ok != (want != "") {
			t.Errorf("guardOf(%q) = %q, %v; want %q", src, got, ok, want)
		}
	}
}

// TestSkippedRenderNothing renders every embedded guarded template whole
// for projects whose guard is false, and expects nothing: the skip changes
// no output.
func TestSkippedRenderNothing(t *testing.T) {
	tmpls, err := Templates(nil, "")
	if err != nil {
		t.Fatal(err)
	}
	linux := config.Default("x")
	linux.OS = "windows,linux"
	skipped := 0
	for _, c := range []config.Config{config.Default("x"), linux} {
		m := NewModel(c)
		m.Vars = map[string]string{}
		for _, tmpl := range tmpls {
			skip, err := skips(tmpl, m)
			if err != nil {
				t.Fatal(err)
			}
			if !skip {
				continue
			}
			skipped++
			out, err := execute(tmpl, m)
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(string(out)) != "" {
				t.Errorf("%s: skipped by its guard, but renders %.60q", tmpl.Path, out)
			}
		}
	}
	if skipped == 0 {
		t.Fatal("nothing skipped")
	}
}
