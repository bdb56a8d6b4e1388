package main

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/config"
)

// recordFlags are new's flags for the typed record (config.RecordFlags):
// a flat record only, as records used as field types (inputs.types) are
// declared in shmemgen.yaml.
func recordFlags() []cli.Flag {
	var flags []cli.Flag
	for _, f := range config.RecordFlags {
		if f.Repeated {
			flags = append(flags, &cli.StringSliceFlag{Name: f.Flag, Category: config.CategoryRecord, Usage: f.Usage})
		} else {
			flags = append(flags, &cli.StringFlag{Name: f.Flag, Category: config.CategoryRecord, Usage: f.Usage})
		}
	}
	return flags
}

// recordFromFlags reads --record and --field, or nil when neither is
// given. The record's rules are config's.
func recordFromFlags(c *cli.Context) (*config.Record, error) {
	name, fields := c.String("record"), c.StringSlice("field")
	switch {
	case !c.IsSet("record") && len(fields) == 0:
		return nil, nil
	case !c.IsSet("record"):
		return nil, &config.Error{Flag: "field", Rule: "needs --record NAME: fields belong to a record"}
	}
	r := &config.Record{Name: name}
	for _, f := range fields {
		fieldName, typ, ok := strings.Cut(f, ":")
		if !ok {
			return nil, &config.Error{Flag: "field", Value: f, Rule: "must be NAME:TYPE, such as count:u64 or label:utf16[12]"}
		}
		r.Fields = append(r.Fields, config.Field{Name: fieldName, Type: typ})
	}
	return r, nil
}
