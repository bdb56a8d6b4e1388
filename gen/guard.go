package gen

import (
	"bytes"
	"sync"

	"github.com/shmemgen/shmemgen/internal/lazyregexp"
)

// A template that applies to some projects only wraps the whole of itself
// in one {{- if COND -}} … {{- end }}, after at most a comment: for any other
// project it renders nothing and makes no file. The embedded templates'
// guards are tested alone, a few bytes to parse, before the rest is: for the
// default project 23 of the 66 templates render nothing, and parsing them was
// more than half of a process's first render. An overlay's template is
// parsed whole, as written. TestGuardsWrapWholeTemplates holds every
// embedded template that opens with an if to that shape.

// leadingIf matches a template's leading {{if}}, after at most a comment, and
// captures its condition.
var leadingIf = lazyregexp.New(`^\s*(?:\{\{-?\s*/\*(?s:.*?)\*/\s*-?\}\}\s*)?\{\{-?\s*if\s+((?:[^}]|\}[^}])+?)\s*-?\}\}`)

// guardOf returns the condition of the if that opens src, if one does.
func guardOf(src string) (string, bool) {
	m := leadingIf().FindStringSubmatch(src)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// skips reports whether t, an embedded template, renders nothing for model,
// by its guard alone.
func skips(t Template, model Model) (bool, error) {
	if t.Overlay {
		return false, nil
	}
	cond, ok := guardOfEmbedded(t)
	if !ok {
		return false, nil
	}
	guard := Template{Path: t.Path + "#guard", Name: t.Name, Source: "{{if " + cond + "}}1{{end}}"}
	out, err := execute(guard, model)
	if err != nil {
		return false, err
	}
	return !bytes.Equal(out, []byte("1")), nil
}

// guards memoizes guardOf for the embedded templates, by path: they never
// change, and matching leadingIf again was most of skips' cost in every
// render after a process's first. An empty condition is no guard.
var guards sync.Map

// guardOfEmbedded is guardOf(t.Source) for t, an embedded template.
func guardOfEmbedded(t Template) (string, bool) {
	if cond, ok := guards.Load(t.Path); ok {
		return cond.(string), cond != ""
	}
	cond, _ := guardOf(t.Source)
	guards.Store(t.Path, cond)
	return cond, cond != ""
}
