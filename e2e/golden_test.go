package e2e

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"go.yaml.in/yaml/v3"
)

// goldenArgs returns shmemgen new's flags for the golden case
// ../golden/name: the inputs of its shmemgen.yaml, which are keyed by flag
// name. The tests build and run the projects the golden tests render,
// rather than a parallel list of flag sets. A case this cannot read is a
// broken checkout, so it panics.
func goldenArgs(name string) []string {
	file := filepath.Join("..", "golden", name, "shmemgen.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		panic(fmt.Sprintf("e2e: golden case %s: %v", name, err))
	}
	var answers struct {
		Inputs    map[string]string `yaml:"inputs"`
		Templates string            `yaml:"templates"`
		Vars      map[string]string `yaml:"vars"`
	}
	if err := yaml.Unmarshal(data, &answers); err != nil {
		panic(fmt.Sprintf("e2e: %s: %v", file, err))
	}
	if answers.Templates != "" || len(answers.Vars) > 0 {
		panic(fmt.Sprintf("e2e: %s uses templates or vars, which goldenArgs does not pass on", file))
	}
	var args []string
	for _, key := range slices.Sorted(maps.Keys(answers.Inputs)) {
		args = append(args, "--"+key, answers.Inputs[key])
	}
	return args
}
