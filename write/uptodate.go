package write

import (
	"path/filepath"

	"github.com/shmemgen/shmemgen/answers"
)

// UpToDate reports whether dir, on fsys, holds exactly the files whose
// hashes (answers.Sum) sums lists, by slash-separated path, and nothing
// that would make PlanRegenerate plan a change for a render of those files
// whose answers file's manifest lists the same: every file there, with
// those bytes, reached through no symbolic link, and no temporary file of
// an interrupted run anywhere below dir. It is the check behind generate's
// fast path (internal/uptodate), so it follows PlanRegenerate's rules; an
// error reading is not an answer, and reports false.
func UpToDate(fsys FS, dir string, sums map[string]string) bool {
	p := Plan{Dir: dir, fs: fsys}
	// One buffer for every file: a whole project read into fresh memory
	// was a third of this check's page faults.
	buf := make([]byte, 32<<10)
	for path, sum := range sums {
		if !filepath.IsLocal(filepath.FromSlash(path)) || p.symlinkIn(path) != "" || p.symlinkIn(path+NewSuffix) != "" {
			return false
		}
		f, err := fsys.Open(p.abs(path))
		if err != nil {
			return false
		}
		got, err := answers.SumReader(f, buf)
		f.Close()
		if err != nil || got != sum {
			return false
		}
	}
	found, err := strays(fsys, dir)
	return err == nil && len(found) == 0
}
