package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/shmemgen/shmemgen/config"
)

// TestDocsShowOnlyAcceptedOS keeps the README and docs/ from promising an
// --os that new refuses (the README once showed --os linux, which must
// include windows): every --os value they show, and every os: in a
// shmemgen.yaml they show, must pass validation.
func TestDocsShowOnlyAcceptedOS(t *testing.T) {
	docs, err := filepath.Glob(filepath.Join("docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	docs = append(docs, "README.md", "CONTRIBUTING.md")
	value := regexp.MustCompile(`(?:--os[ =]|\bos: )([a-z]+(?:,[a-z]+)*)\b`)
	seen := 0
	for _, doc := range docs {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range value.FindAllStringSubmatch(string(data), -1) {
			seen++
			c := config.Default("x")
			c.OS = m[1]
			if err := c.Validate(); err != nil {
				t.Errorf("%s shows %q, which shmemgen refuses: %v", doc, m[0], err)
			}
		}
	}
	if seen == 0 {
		t.Error("no --os value found in the docs: the pattern is broken")
	}
}
