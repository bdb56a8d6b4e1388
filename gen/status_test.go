package gen

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/internal/testenv"
)

// TestStatusText compiles the header's status-to-text function and asks it
// for every code the library can leave: 0, each of its own statuses, taken
// from statuses (the one list they are defined in, by value, so that a
// code the function has no case for falls through to the system's text),
// and a wait's timeout. Each must have a text of its own, its name and its
// short phrase (Status.Text); on Linux BAD_LAYOUT's names the segment's
// path and the way to remove it. The header is compiled for Linux as it is, and once more
// without __linux__, for the text the other systems print.
func TestStatusText(t *testing.T) {
	gcc := testenv.RequireTool(t, "gcc")
	c := config.Default("x")
	c.OS = "windows,linux"
	files, err := Render(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	header, ok := files.Lookup("dll/api.h")
	if !ok {
		t.Fatal("dll/api.h not rendered")
	}
	prefix := config.MacroPrefix(c.DLL)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "api.h"), header.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, s := range statuses {
		codes = append(codes, fmt.Sprintf("0x%08xUL", s.Code))
	}
	// 5 stands for any code of the system's.
	codes = append(codes, "0", prefix+"_ERROR_TIMEOUT", "5")
	prog := fmt.Sprintf(`#include <stdio.h>
#include "api.h"
int main(void)
{
    static const unsigned long codes[] = {%s};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        printf("%%lu\t%%s\n", codes[i], %s_StatusText(codes[i]));
    return 0;
}
`, strings.Join(codes, ", "), prefix)
	if err := os.WriteFile(filepath.Join(dir, "text.c"), []byte(prog), 0o644); err != nil {
		t.Fatal(err)
	}
	path := "/dev/shm" + c.POSIXName()
	for _, tc := range []struct {
		system string
		flags  []string
	}{
		{"linux", nil},
		{"other", []string{"-U__linux__"}},
	} {
		t.Run(tc.system, func(t *testing.T) {
			exe := filepath.Join(dir, "text-"+tc.system)
			args := append([]string{"-std=c11", "-Wall", "-Wextra", "-Werror", "-o", exe}, tc.flags...)
			if out, err := exec.Command(gcc, append(args, filepath.Join(dir, "text.c"))...).CombinedOutput(); err != nil {
				t.Fatalf("compiling the header's %s_StatusText: %v\n%s", prefix, err, out)
			}
			out, err := exec.Command(exe).Output()
			if err != nil {
				t.Fatal(err)
			}
			text := map[uint32]string{}
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				var code uint32
				number, msg, _ := strings.Cut(line, "\t")
				fmt.Sscan(number, &code)
				text[code] = msg
			}
			system := text[5]
			if system != "an errno value" {
				t.Errorf("a system code's text = %q, want %q", system, "an errno value")
			}
			if text[0] != "success" {
				t.Errorf("0's text = %q, want success", text[0])
			}
			if got := text[1460]; !strings.HasPrefix(got, "ERROR_TIMEOUT: ") {
				t.Errorf("a wait's timeout (1460) reads %q, want it named ERROR_TIMEOUT", got)
			}
			seen := map[string]string{}
			for _, s := range statuses {
				got := text[s.Code]
				if s.Code == 0x20000001 && tc.system == "linux" {
					// The stale segment's text, checked below.
				} else if got != s.Text() {
					t.Errorf("%s (%#08x) reads %q, want its name and its short phrase, %q", s.Name, s.Code, got, s.Text())
				}
				if other, dup := seen[got]; dup {
					t.Errorf("%s and %s read the same: %q", other, s.Name, got)
				}
				seen[got] = s.Name
			}
			stale := text[0x20000001]
			if tc.system == "linux" {
				for _, want := range []string{path, "bin/parent --unlink", "rm " + path} {
					if !strings.Contains(stale, want) {
						t.Errorf("BAD_LAYOUT on Linux reads %q, want it to name %q", stale, want)
					}
				}
			} else if strings.Contains(stale, "/dev/shm") {
				t.Errorf("BAD_LAYOUT off Linux reads %q, which names Linux's segment", stale)
			}
		})
	}
}

// TestHostsPrintStatusText: every status a C host prints, it prints as
// text beside the code, never as bare hex.
func TestHostsPrintStatusText(t *testing.T) {
	c := config.Default("x")
	c.OS = "windows,linux"
	files, err := Render(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The hosts, which name nothing of the library's, call the header's
	// StatusText as load.h's shmemgen_status_text.
	statusText := config.MacroPrefix(c.DLL) + "_StatusText"
	if f, _ := files.Lookup("hosts/c/load.h"); !strings.Contains(string(f.Data), "\n#define shmemgen_status_text "+statusText+"\n") {
		t.Errorf("hosts/c/load.h does not define shmemgen_status_text as %s", statusText)
	}
	printed := regexp.MustCompile(`fprintf\(stderr, "[^;]*status 0x%08lx[^;]*;`)
	found := 0
	for _, f := range files {
		if !strings.HasPrefix(f.Path, "hosts/c/") {
			continue
		}
		for _, call := range printed.FindAllString(string(f.Data), -1) {
			found++
			if !strings.Contains(call, "failed: %s (status 0x%08lx)") || !strings.Contains(call, statusText+"(") && !strings.Contains(call, "shmemgen_status_text(") {
				t.Errorf("%s prints a status without its text: %s", f.Path, call)
			}
		}
	}
	if found < 4 {
		t.Errorf("found %d status messages in the C hosts, want the parent's, the child's two and --unlink's", found)
	}
}

// TestOlderHostsCompile: hosts/c/parent.c and child.c are the user's once
// edited, and generate then leaves them as they were, while it rewrites
// load.h. A host written before load.h gained a helper (one that calls
// only shmemgen_load, as every host does) must still compile, warnings as
// errors: an unused static function would stop it.
func TestOlderHostsCompile(t *testing.T) {
	gcc := testenv.RequireTool(t, "gcc")
	// With a record too: record_json.h's functions, which load.h includes
	// for --record, must not stop an older host either.
	for _, c := range []config.Config{config.Default("x"), recordConfig()} {
		c.OS = "windows,linux"
		files, err := Render(c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		for path, as := range map[string]string{"hosts/c/load.h": "load.h", "hosts/c/record_json.h": "record_json.h", "dll/api.h": c.DLL + ".h"} {
			f, ok := files.Lookup(path)
			if !ok {
				t.Fatalf("%s not rendered", path)
			}
			if err := os.WriteFile(filepath.Join(dir, as), f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		host := "#include \"load.h\"\nint main(void) { return shmemgen_load(\"host\") ? 0 : 1; }\n"
		if err := os.WriteFile(filepath.Join(dir, "host.c"), []byte(host), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(gcc, "-c", "-O2", "-Wall", "-Wextra", "-Werror", "-o", filepath.Join(dir, "host.o"), "host.c")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("a host that calls only shmemgen_load, against today's load.h (record %v): %v\n%s", c.Record != nil, err, out)
		}
	}
}
