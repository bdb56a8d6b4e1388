package generate

import (
	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/write"
)

// ExportTemplates writes every embedded template below dir, on fsys, at
// the path an overlay reads it from, and returns the plan it applied: a
// non-empty dir is refused unless force, which overwrites the templates
// there.
func ExportTemplates(fsys write.FS, dir string, force bool) (write.Plan, error) {
	tmpls, err := gen.Templates(nil, "")
	if err != nil {
		return write.Plan{}, err
	}
	var files gen.FileSet
	for _, t := range tmpls {
		files = append(files, gen.File{Path: t.Path, Data: []byte(t.Source), Mode: 0o644})
	}
	plan, err := write.PlanNew(fsys, dir, files, force)
	if err != nil {
		return write.Plan{}, err
	}
	return plan, plan.Apply()
}
