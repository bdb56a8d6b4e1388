package verify

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/gen"
)

// TestCheckRecordHash: verify's record step names the record and its
// layout hash, read from the header a build put in bin, and fails, naming
// both hashes, when the header was built for another layout.
func TestCheckRecordHash(t *testing.T) {
	c := config.Default("rec")
	c.Record = &config.Record{Name: "Sample", Fields: []config.Field{{Name: "count", Type: "u64"}, {Name: "ok", Type: "bool"}}}
	other := c
	other.Record = &config.Record{Name: "Sample", Fields: []config.Field{{Name: "count", Type: "i64"}, {Name: "ok", Type: "bool"}}}
	hash := func(c config.Config) string { return fmt.Sprintf("0x%016x", gen.NewModel(c).Record.LayoutHash) }
	bin := func(c config.Config) string {
		files, err := gen.Render(c, gen.Options{})
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		for _, f := range files {
			if f.Path == "dll/api.h" {
				if err := os.WriteFile(filepath.Join(dir, c.DLL+".h"), f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
				return dir
			}
		}
		t.Fatal("no dll/api.h rendered")
		return ""
	}

	detail, err := CheckRecordHash(bin(c), c)
	if err != nil || !strings.Contains(detail, "Sample, layout hash "+hash(c)) {
		t.Errorf("built for its own layout: got %q, %v; want the record and its hash %s", detail, err, hash(c))
	}
	_, err = CheckRecordHash(bin(other), c)
	if err == nil || !strings.Contains(err.Error(), hash(other)) || !strings.Contains(err.Error(), hash(c)) {
		t.Errorf("built for another layout: got %v; want an error naming %s and %s", err, hash(other), hash(c))
	}
	if hash(c) == hash(other) {
		t.Fatal("the two layouts have one hash")
	}
}
