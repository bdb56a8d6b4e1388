package config

import (
	"reflect"
	"strings"
	"testing"
)

// TestInputsBindFields keeps Inputs and Config one declaration: every field
// is bound by exactly one row, whose flag is the field's key in the answers
// file, so that an input cannot be recorded without a flag or the other way
// round.
func TestInputsBindFields(t *testing.T) {
	var c Config
	v := reflect.ValueOf(&c).Elem()
	bound := map[uintptr]string{}
	for _, in := range Inputs {
		p := reflect.ValueOf(in.field(&c)).Pointer()
		if other, ok := bound[p]; ok {
			t.Errorf("--%s and --%s bind the same field", other, in.Flag)
		}
		bound[p] = in.Flag
	}
	// The record's fields have no row: RecordFlags set inputs.record, and
	// only shmemgen.yaml declares inputs.types.
	recordKeys := map[string]bool{"record": true, "types": true}
	if RecordFlags[0].Flag != "record" {
		t.Errorf("RecordFlags start with --%s, not --record, the key of Config.Record", RecordFlags[0].Flag)
	}
	for i := range v.NumField() {
		f := v.Type().Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		flag, ok := bound[v.Field(i).Addr().Pointer()]
		switch {
		case recordKeys[key]:
			if ok {
				t.Errorf("Config.%s is the record's, set by no row, but --%s binds it", f.Name, flag)
			}
		case !ok:
			t.Errorf("Config.%s has no row in Inputs", f.Name)
		case flag != key:
			t.Errorf("Config.%s is recorded as %s but set by --%s: the answers key is the flag's name", f.Name, key, flag)
		}
	}
	if len(bound) != v.NumField()-len(recordKeys) {
		t.Errorf("%d inputs bind %d fields: a row binds something else", len(bound), v.NumField())
	}
}

// TestInputsDeclared checks what every row must say: a flag of its own,
// help that names its value, and docs.
func TestInputsDeclared(t *testing.T) {
	seen := map[string]bool{}
	for _, in := range Inputs {
		for _, name := range append([]string{in.Flag}, in.Aliases...) {
			if seen[name] {
				t.Errorf("--%s is declared twice", name)
			}
			seen[name] = true
		}
		if strings.Count(in.Usage, "`") != 2 {
			t.Errorf("--%s: the usage names no `VALUE`: %s", in.Flag, in.Usage)
		}
		if in.Doc == "" {
			t.Errorf("--%s has no docs", in.Flag)
		}
		if in.Derived && (in.Default != "" || in.DefaultDoc == "") {
			t.Errorf("--%s: a derived default has no value of its own, and docs that say how it is derived", in.Flag)
		}
	}
}

// TestInputValuesRoundTrip reads every input back as its flag writes it.
func TestInputValuesRoundTrip(t *testing.T) {
	c := Default("rt")
	for _, in := range Inputs {
		var got Config
		if err := in.Set(&got, in.Value(c)); err != nil {
			t.Errorf("--%s %s: %v", in.Flag, in.Value(c), err)
		}
		if in.Value(got) != in.Value(c) {
			t.Errorf("--%s: %s reads back as %s", in.Flag, in.Value(c), in.Value(got))
		}
	}
}
