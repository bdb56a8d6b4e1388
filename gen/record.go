package gen

import (
	"github.com/shmemgen/shmemgen/config"
)

// recordArgs are the --record and --field flags that reproduce c's record,
// or none. Records used as types exist only in shmemgen.yaml: a command
// line for a record that uses them says so, in a comment, rather than
// spelling flags that new would refuse.
func recordArgs(c config.Config) []string {
	if c.Record == nil {
		return nil
	}
	if len(c.Types) > 0 {
		return []string{"# and the record " + c.Record.Name + " of shmemgen.yaml, whose types only the file can declare"}
	}
	args := []string{"--record", shellQuote(c.Record.Name)}
	for _, f := range c.Record.Fields {
		args = append(args, "--field", shellQuote(f.Name+":"+f.Type))
	}
	return args
}
