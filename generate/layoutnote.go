package generate

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/shmemgen/shmemgen/gen"
	"github.com/shmemgen/shmemgen/internal/lazyregexp"
)

// recordLayoutNote says, when a regeneration changes the typed record's
// layout, how: the layout hash before and after and the fields that move,
// and that every program sharing the mapping must be rebuilt, since one
// built for the old layout finds BAD_LAYOUT. It compares the header on
// disk, dll/api.h, which the running programs were built from, with the
// one about to be written, so that both sides are read the same way. It
// returns "" when the layout stays, or when there is no header on disk.
func recordLayoutNote(dir string, files gen.FileSet) string {
	old, err := os.ReadFile(filepath.Join(dir, "dll", "api.h"))
	if err != nil {
		return ""
	}
	next, ok := files.Lookup("dll/api.h")
	if !ok {
		return ""
	}
	oldHash, oldFields := headerRecordLayout(string(old))
	newHash, newFields := headerRecordLayout(string(next.Data))
	if oldHash == newHash {
		return ""
	}
	var b strings.Builder
	switch {
	case oldHash == "":
		fmt.Fprintf(&b, "shmemgen: note: the mapping gains a typed record (layout hash %s): rebuild every program that shares the mapping; the new ones refuse a mapping the old ones made (BAD_LAYOUT)\n", newHash)
	case newHash == "":
		fmt.Fprintf(&b, "shmemgen: note: the mapping loses its typed record (layout hash %s): rebuild every program that shares the mapping\n", oldHash)
	default:
		fmt.Fprintf(&b, "shmemgen: note: the typed record's layout changes (layout hash %s, was %s): rebuild every program that shares the mapping; one built for the old layout finds BAD_LAYOUT\n", newHash, oldHash)
	}
	for _, f := range oldFields {
		if !slices.Contains(newFields, f) {
			fmt.Fprintf(&b, "  - %s\n", f)
		}
	}
	for _, f := range newFields {
		if !slices.Contains(oldFields, f) {
			fmt.Fprintf(&b, "  + %s\n", f)
		}
	}
	return b.String()
}

var (
	layoutHashLine = lazyregexp.New(`(?m)^#define \w+_RECORD_LAYOUT_HASH (0x[0-9a-f]+)ULL$`)
	structLine     = lazyregexp.New(`^typedef struct (\w+) \{$`)
	memberLine     = lazyregexp.New(`^    \S+ (\w+)(?:\[[0-9\]\[]*)?; /\* (.+) at ([0-9]+) \*/$`)
)

// headerRecordLayout reads the typed record's layout hash and fields
// ("Sample.count u64 at 0", padding as "Sample (padding) at 61") from a
// rendered api.h: "" and none when it declares no record.
func headerRecordLayout(header string) (hash string, fields []string) {
	m := layoutHashLine().FindStringSubmatch(header)
	if m == nil {
		return "", nil
	}
	record := ""
	for _, line := range strings.Split(header, "\n") {
		if s := structLine().FindStringSubmatch(line); s != nil {
			record = s[1]
		} else if f := memberLine().FindStringSubmatch(line); f != nil && record != "" {
			if f[2] == "padding" {
				fields = append(fields, fmt.Sprintf("%s (padding) at %s", record, f[3]))
			} else {
				fields = append(fields, fmt.Sprintf("%s.%s %s at %s", record, f[1], f[2], f[3]))
			}
		} else if strings.HasPrefix(line, "} ") {
			record = ""
		}
	}
	return m[1], fields
}
