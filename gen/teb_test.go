package gen

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/internal/testenv"
	"github.com/shmemgen/shmemgen/internal/wine"
)

// TestTEBSlotsOffset holds platform_windows.h's SHMEMGEN_TLS_SLOTS, where
// the status is stored without a call, to winternl.h's TEB on each Windows
// architecture. A wrong offset would write the status over another field
// of the calling thread's TEB: the end-to-end tests would catch it under
// 64-bit Wine, but nothing runs a 32-bit DLL here.
func TestTEBSlotsOffset(t *testing.T) {
	files, err := Render(config.Default("x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, ok := files.Lookup("dll/platform_windows.h")
	if !ok {
		t.Fatal("no dll/platform_windows.h")
	}
	m := regexp.MustCompile(`#ifdef _WIN64\n#define SHMEMGEN_TLS_SLOTS (\w+)\n#else\n#define SHMEMGEN_TLS_SLOTS (\w+)\n#endif`).FindSubmatch(f.Data)
	if m == nil {
		t.Fatal("dll/platform_windows.h defines no SHMEMGEN_TLS_SLOTS for _WIN64 and for 32-bit Windows")
	}
	for _, c := range []struct{ cc, offset string }{
		{wine.MinGWCC, string(m[1])},
		{"i686-w64-mingw32-gcc", string(m[2])},
	} {
		testenv.RequireTool(t, c.cc)
		src := "#include <windows.h>\n#include <winternl.h>\n#include <stddef.h>\n" +
			"_Static_assert(offsetof(TEB, TlsSlots) == " + c.offset + ", \"TlsSlots\");\n" +
			"_Static_assert(TLS_MINIMUM_AVAILABLE == sizeof(((TEB *)0)->TlsSlots) / sizeof(PVOID), \"slots\");\n"
		cmd := exec.Command(c.cc, "-fsyntax-only", "-std=c11", "-x", "c", "-")
		cmd.Stdin = strings.NewReader(src)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: TEB.TlsSlots is not at %s: %v\n%s", c.cc, c.offset, err, out)
		}
	}
}
