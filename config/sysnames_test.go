package config

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/internal/cnames"
)

// needCompiler skips a test without the mingw-w64 compiler, and fails it
// in CI, where it is installed.
func needCompiler(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath(cnames.Compiler); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found, and CI=true", cnames.Compiler)
		}
		t.Skipf("%s not found (apt-get install mingw-w64)", cnames.Compiler)
	}
}

func goroot(t *testing.T) string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// TestSysNamesCurrent regenerates sysnames.txt from the headers and fails
// when the checked-in list differs: go generate ./config rewrites it.
func TestSysNamesCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: preprocesses the system headers with both compilers (~4 s)")
	}
	needCompiler(t)
	want, err := cnames.SysNamesFile(goroot(t))
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != sysNamesFile {
		t.Errorf("sysnames.txt is not what the headers declare: run go generate ./config and review the diff")
	}
}

// TestAcceptedNamesCompile declares a sample of the export names validation
// accepts as cgo's header does, beside windows.h and the C runtime's
// headers as the hosts include them, and compiles the result: any name
// that clashes fails it. The same file with one refused name must fail, so
// that the test is known to have teeth.
func TestAcceptedNamesCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: compiles the names beside the system headers (~10 s)")
	}
	needCompiler(t)
	prolog, err := cnames.CgoExportProlog(goroot(t))
	if err != nil {
		t.Fatal(err)
	}
	var sample []string
	for _, e := range Default("x").Exports() {
		sample = append(sample, e[1])
	}
	sample = append(sample, "PutText", "TakeText", "put_text", "TakeText2", "kernel", "Telemetry")
	// Near misses of names the headers declare, and every 500th of them
	// with a suffix: close to a real name, but not one.
	names := slices.Collect(systemNames.all())
	for _, n := range []string{"Sleep", "CreateFile", "GoString", "near", "fopen", "rand", "MAX_PATH", "WAIT_ABANDONED"} {
		sample = append(sample, n+"Shm", "Shm"+n)
	}
	for i := 0; i < len(names); i += 500 {
		sample = append(sample, names[i]+"_shm")
	}
	var accepted []string
	for _, n := range sample {
		if CheckExport("set", n) == nil && !slices.Contains(accepted, n) {
			accepted = append(accepted, n)
		}
	}
	if len(accepted) < 50 {
		t.Fatalf("only %d sample names accepted: %v", len(accepted), accepted)
	}
	compile := func(exports []string) (string, error) {
		var src strings.Builder
		// The DLL's cgo preamble, then cgo's prolog and the exports, as in
		// the generated header; then what the C hosts include.
		src.WriteString("#include <windows.h>\n")
		src.WriteString(prolog)
		for _, n := range exports {
			fmt.Fprintf(&src, "extern __declspec(dllexport) DWORD %s(LPWSTR text, DWORD n);\n", n)
		}
		src.WriteString("#ifdef __cplusplus\n}\n#endif\n")
		for _, h := range cnames.Headers {
			fmt.Fprintf(&src, "#include <%s>\n", h)
		}
		src.WriteString("int wmain(void) {\n\tDWORD total = 0;\n")
		for _, n := range exports {
			fmt.Fprintf(&src, "\ttotal += %s(NULL, 0);\n", n)
		}
		src.WriteString("\treturn (int)total;\n}\n")
		file := filepath.Join(t.TempDir(), "h.c")
		if err := os.WriteFile(file, []byte(src.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(cnames.Compiler, "-fsyntax-only", "-Wall", "-Werror", file).CombinedOutput()
		return string(out), err
	}
	if out, err := compile(accepted); err != nil {
		t.Errorf("accepted export names do not compile: %v\n%s", err, out)
	}
	for _, refused := range []string{"Sleep", "GoString", "near"} {
		if CheckExport("set", refused) == nil {
			t.Errorf("%s is accepted", refused)
		}
		if _, err := compile(append(slices.Clone(accepted[:3]), refused)); err == nil {
			t.Errorf("%s, which validation refuses, compiles: the test has no teeth", refused)
		}
	}
}
