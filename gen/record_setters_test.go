package gen

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/internal/testenv"
)

// TestRecordSetters runs api.h's typed setters, compiled with gcc against
// a stand-in for the range export that records its arguments: each setter
// hands the export its field's offset and size (nested fields' too, by
// their path), an array's setter the offset and bytes of the slice asked
// for, a text setter the field's whole room with the text and NULs; and a
// slice past the array's end, text too long for its field or NULL are
// handed an offset the export refuses, never a cut write.
func TestRecordSetters(t *testing.T) {
	testenv.RequireTool(t, "gcc")
	c := setterConfig()
	m := NewModel(c)
	files, err := Render(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := writeProject(t, files)
	const refused = "refused"
	var src, want strings.Builder
	src.WriteString(`#include <stdio.h>
#include <string.h>
#include "api.h"

static union { unsigned char bytes[65536]; long long align; } zero;
static SHMEM_WCHAR units[65536];
static int show_text;

SHMEM_BOOL ` + m.Record.WriteRange + `(const void *src, SHMEM_ULONGLONG offset, SHMEM_ULONGLONG n)
{
    if (offset > sizeof(Sample) || n > sizeof(Sample) - offset) {
        printf("` + refused + `\n");
        return 0;
    }
    printf("%llu+%llu", (unsigned long long)offset, (unsigned long long)n);
    if (src == units) /* a text setter copies, never passes the caller's */
        printf(" uncopied");
    if (show_text) {
        const SHMEM_WCHAR *copied = src;
        printf(" text=");
        for (SHMEM_ULONGLONG i = 0; i < n / 2; i++)
            printf("%c", copied[i] == 0 ? '0' : (char)copied[i]);
    }
    printf("\n");
    return 1;
}

int main(void)
{
`)
	for _, s := range m.Record.Setters {
		switch s.Kind {
		case "value":
			typ := strings.TrimSpace(fmt.Sprintf(s.ValueC, ""))
			fmt.Fprintf(&src, "    { %s value; memset(&value, 0, sizeof value); %s(value); }\n", typ, s.C)
			fmt.Fprintf(&want, "%d+%d\n", s.Offset, fieldSize(t, c, s))
		case "text":
			fmt.Fprintf(&src, "    show_text = 1;\n    for (int i = 0; i < %d; i++) units[i] = 'a';\n", s.Len)
			fmt.Fprintf(&src, "    units[%d] = 0; %s(units);\n", s.Len-1, s.C)
			fmt.Fprintf(&src, "    units[%d] = 'a'; units[%d] = 0; %s(units);\n", s.Len-1, s.Len, s.C)
			fmt.Fprintf(&src, "    units[1] = 0; %s(units);\n", s.C)
			fmt.Fprintf(&src, "    %s(NULL);\n    show_text = 0;\n", s.C)
			fmt.Fprintf(&want, "%d+%d text=%s0\n", s.Offset, s.Len*2, strings.Repeat("a", int(s.Len-1)))
			fmt.Fprintf(&want, "%s\n", refused)
			fmt.Fprintf(&want, "%d+%d text=a%s\n", s.Offset, s.Len*2, strings.Repeat("0", int(s.Len-1)))
			fmt.Fprintf(&want, "%s\n", refused)
		case "slice":
			size := fieldSize(t, c, s)
			elem := size / s.Len
			for _, call := range []struct{ first, n uint64 }{{0, s.Len}, {1, s.Len - 1}, {s.Len, 0}, {s.Len - 1, 2}, {s.Len + 1, 0}, {0, s.Len + 1}} {
				fmt.Fprintf(&src, "    %s(%d, (const void *)zero.bytes, %d);\n", s.C, call.first, call.n)
				if call.first > s.Len || call.n > s.Len-call.first {
					fmt.Fprintf(&want, "%s\n", refused)
				} else {
					fmt.Fprintf(&want, "%d+%d\n", s.Offset+call.first*elem, call.n*elem)
				}
			}
		default:
			t.Fatalf("%s: kind %q", s.C, s.Kind)
		}
	}
	src.WriteString("    return 0;\n}\n")
	if err := os.WriteFile(filepath.Join(dir, "dll", "setters.c"), []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "setters")
	cmd := exec.Command("gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", exe, "setters.c")
	cmd.Dir = filepath.Join(dir, "dll")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s\n%s", err, out, src.String())
	}
	out, err := exec.Command(exe).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", exe, err, out)
	}
	if got := string(out); got != want.String() {
		gotLines, wantLines := strings.Split(got, "\n"), strings.Split(want.String(), "\n")
		for i := range max(len(gotLines), len(wantLines)) {
			g, w := "", ""
			if i < len(gotLines) {
				g = gotLines[i]
			}
			if i < len(wantLines) {
				w = wantLines[i]
			}
			if g != w {
				t.Errorf("line %d: got %q, want %q", i+1, g, w)
			}
		}
	}
	// Every kind is there: the config has a scalar, a record, a nested
	// field, an array of scalars, of texts and of records, bytes and text.
	kinds := map[string]bool{}
	for _, s := range m.Record.Setters {
		kinds[s.Kind] = true
		if strings.Contains(s.Path, ".") {
			kinds["nested"] = true
		}
	}
	for _, k := range []string{"value", "text", "slice", "nested"} {
		if !kinds[k] {
			t.Errorf("recordConfig has no setter of kind %s", k)
		}
	}
}

// setterConfig is recordConfig with the range export and records named
// like the setters' parameters would be without their shmemgen_ prefix:
// a parameter v would hide the export v, and one named first the record
// first in the declaration of the parameter after it.
func setterConfig() config.Config {
	c := recordConfig()
	c.WriteRecordRange = "v"
	c.Types = append(c.Types,
		config.Record{Name: "first", Fields: []config.Field{{Name: "a", Type: "u16"}}},
		config.Record{Name: "text", Fields: []config.Field{{Name: "b", Type: "u8"}}})
	c.Record.Fields = append(c.Record.Fields,
		config.Field{Name: "firsts", Type: "first[2]"}, config.Field{Name: "note", Type: "text"})
	return c
}

// fieldSize is the size of the field a setter writes, from c's layout.
func fieldSize(t *testing.T, c config.Config, s RecordSetter) uint64 {
	t.Helper()
	l, err := c.LayOutRecord()
	if err != nil {
		t.Fatal(err)
	}
	for _, ls := range l.Setters() {
		if ls.CName(l.Record.Name) == s.C {
			return ls.Field().Size
		}
	}
	t.Fatalf("no setter %s in the layout", s.C)
	return 0
}
