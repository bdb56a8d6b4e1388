package main

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/shmemgen/shmemgen/config"
)

// recordFlags are new's flags for the typed record, inputs.record: a flat
// record only, as records used as field types (inputs.types) are declared
// in shmemgen.yaml.
func recordFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "record", Usage: "`NAME` of a typed record shared in the mapping, in its own area after the payload; give its fields with --field"},
		&cli.StringFlag{Name: "read-record", Usage: "`NAME` of the export that reads the whole --record (default " + config.DefaultReadRecord + ")"},
		&cli.StringFlag{Name: "write-record", Usage: "`NAME` of the export that writes the whole --record (default " + config.DefaultWriteRecord + ")"},
		&cli.StringSliceFlag{Name: "field", Usage: "a field of --record, `NAME:TYPE`, repeated in order: TYPE is bool, i8…i64, u8…u64, f32, f64, utf16[N], bytes[N] or an array T[N] of these (records as types only in shmemgen.yaml)"},
	}
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
