package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/internal/testenv"
	"github.com/shmemgen/shmemgen/internal/wine"
	"github.com/shmemgen/shmemgen/project"
	"github.com/shmemgen/shmemgen/verify"
)

// fakeProject makes a shmemgen project whose build.sh builds, instead of
// the Go DLL, bin/shmem.dll from a C file exporting exports, and, when
// importLib is set, importing a DLL of that name built beside it. newArgs
// go to shmemgen new.
func fakeProject(t *testing.T, exports []string, importLib string, newArgs ...string) string {
	t.Helper()
	testenv.RequireTool(t, wine.MinGWCC)
	dir := filepath.Join(t.TempDir(), "proj")
	var stdout, stderr bytes.Buffer
	if code := run(append([]string{"shmemgen", "new", "-o", dir}, newArgs...), &stdout, &stderr); code != 0 {
		t.Fatalf("shmemgen new: %d\n%s", code, stderr.String())
	}
	var src strings.Builder
	for _, name := range exports {
		src.WriteString("__declspec(dllexport) int " + name + "(void) { return 0; }\n")
	}
	script := "set -e\nmkdir -p bin\n"
	if importLib != "" {
		src.WriteString("__declspec(dllimport) int helper(void);\nint use(void) { return helper(); }\n")
		if err := os.WriteFile(filepath.Join(dir, "helper.c"), []byte("__declspec(dllexport) int helper(void) { return 1; }\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		script += wine.MinGWCC + " -shared -o bin/" + importLib + " helper.c\n"
		script += wine.MinGWCC + " -shared -o bin/shmem.dll fake.c bin/" + importLib + "\n"
	} else {
		script += wine.MinGWCC + " -shared -o bin/shmem.dll fake.c\n"
	}
	// Fake C parents that print what a real child would: enough for
	// verify's round trip steps, without Go.
	parent := "#include <stdio.h>\nint main(int argc, char **argv) { if (argc < 3) return 2; printf(\"Child process read from shared memory: %s\\n\", argv[2]); return 0; }\n"
	if err := os.WriteFile(filepath.Join(dir, "fakeparent.c"), []byte(parent), 0o644); err != nil {
		t.Fatal(err)
	}
	script += wine.MinGWCC + " -o bin/parent.exe fakeparent.c\n"
	script += "echo built the fake\n"
	if err := os.WriteFile(filepath.Join(dir, "fake.c"), []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "build.sh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

var defaultExports = []string{"GetSharedMem", "ReadSharedBytes", "SetSharedMem", "SharedMemLastError", "SharedMemLength", "SharedMemSize", "UnlinkSharedMem", "WaitSharedMem", "WriteSharedBytes"}

// TestVerifyABI runs verify, in process, on DLLs whose tables are wrong:
// it must stop at the step that checks them, exit 1 naming it, and say so
// in the JSON report, before anything runs.
func TestVerifyABI(t *testing.T) {
	for _, tc := range []struct {
		name      string
		exports   []string
		importLib string
		step      string
		want      string
	}{
		{"extra export", append([]string{"_cgo_dummy_export"}, defaultExports...), "", "exports", "not in shmemgen.yaml: _cgo_dummy_export"},
		{"missing export", defaultExports[1:], "", "exports", "missing GetSharedMem"},
		{"renamed export", append([]string{"GetSharedMem2"}, defaultExports[1:]...), "", "exports", "missing GetSharedMem; not in shmemgen.yaml: GetSharedMem2"},
		{"foreign import", defaultExports, "libhelper.dll", "imports", "shmem.dll imports libhelper.dll, not a system DLL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := fakeProject(t, tc.exports, tc.importLib)
			var stdout, stderr bytes.Buffer
			code := run([]string{"shmemgen", "verify", "--json", dir}, &stdout, &stderr)
			if code != exitFailure {
				t.Errorf("exit status %d, want %d", code, exitFailure)
			}
			if want := "shmemgen: verify failed at step " + tc.step + ": "; !strings.Contains(stderr.String(), want) || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr lacks %q and %q:\n%s", want, tc.want, stderr.String())
			}
			var report verify.Report
			if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
				t.Fatalf("stdout is not one JSON document: %v\n%s", err, stdout.String())
			}
			last := report.Steps[len(report.Steps)-1]
			if report.OK || last.Name != tc.step || last.OK || !strings.Contains(last.Error, tc.want) {
				t.Errorf("report: ok %v, last step %+v; want step %s failed with %q", report.OK, last, tc.step, tc.want)
			}
			if report.Steps[0].Name != "build" || !report.Steps[0].OK {
				t.Errorf("report's first step is %+v, want build, passed", report.Steps[0])
			}
			// The progress goes to stderr with --json: the build's own
			// output, indented, then a line per step.
			for _, want := range []string{"verify: build: running bash build.sh\n", "    built the fake\n", "FAIL " + tc.step + " ("} {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("progress lacks %q:\n%s", want, stderr.String())
				}
			}
			// Its last line sums the run up.
			summary := regexp.MustCompile(`\nverify: FAILED at ` + regexp.QuoteMeta(tc.step) + `, ` + strconv.Itoa(len(report.Steps)) + ` steps, [0-9.]+m?s\nshmemgen: verify failed at step `)
			if !summary.MatchString(stderr.String()) {
				t.Errorf("progress does not end with %s:\n%s", summary, stderr.String())
			}
		})
	}
}

// TestVerify386 runs verify on a project built for amd64 and 386 whose 386
// DLL exports its names __stdcall-decorated (GetSharedMem@0): the amd64
// checks pass, and verify stops at exports-386.
func TestVerify386(t *testing.T) {
	testenv.RequireTool(t, "i686-w64-mingw32-gcc")
	dir := fakeProject(t, defaultExports, "", "--arch", "amd64,386")
	var src strings.Builder
	for _, name := range defaultExports {
		src.WriteString("__declspec(dllexport) int __stdcall " + name + "(void) { return 0; }\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "fake386.c"), []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(filepath.Join(dir, "build.sh"))
	if err != nil {
		t.Fatal(err)
	}
	script = append(script, "mkdir -p bin/386\ni686-w64-mingw32-gcc -shared -o bin/386/shmem.dll fake386.c\n"...)
	if err := os.WriteFile(filepath.Join(dir, "build.sh"), script, 0o755); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"shmemgen", "verify", "--json", dir}, &stdout, &stderr); code != exitFailure {
		t.Errorf("exit status %d, want %d", code, exitFailure)
	}
	var report verify.Report
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, stdout.String())
	}
	var names []string
	for _, s := range report.Steps {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, " "); got != "build exports imports exports-386" {
		t.Errorf("steps %q, want build exports imports exports-386", got)
	}
	last := report.Steps[len(report.Steps)-1]
	if report.OK || last.OK || !strings.Contains(last.Error, "missing GetSharedMem") || !strings.Contains(last.Error, "GetSharedMem@0") {
		t.Errorf("report: ok %v, last step %+v; want exports-386 failed, missing GetSharedMem, with GetSharedMem@0 extra", report.OK, last)
	}
	if want := "shmemgen: verify failed at step exports-386: "; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
	}
}

// TestVerifyOptions runs verify to the end on a fake project: --pair picks
// the pair, --text the text, and --keep-prefix keeps the Wine prefix and
// reports it.
func TestVerifyOptions(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs verify to the end under Wine (~15 s)")
	}
	t.Parallel() // verify's own prefix, and no name a script uses
	testenv.RequireWine(t)
	// On Linux the project is for Linux too: a fake library and parent
	// built with gcc, for the Linux steps.
	linux := runtime.GOOS == "linux"
	var newArgs []string
	if linux {
		testenv.RequireTool(t, "gcc")
		newArgs = []string{"--os", "windows,linux"}
	}
	dir := fakeProject(t, defaultExports, "", newArgs...)
	if linux {
		var so strings.Builder
		for _, name := range defaultExports {
			so.WriteString("int " + name + "(void) { return 0; }\n")
		}
		if err := os.WriteFile(filepath.Join(dir, "fakeso.c"), []byte(so.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.OpenFile(filepath.Join(dir, "build.sh"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprint(f, "gcc -shared -fPIC -o bin/libshmem.so fakeso.c\ngcc -o bin/parent fakeparent.c\n")
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"shmemgen", "verify", "--json", "--pair", "c", "--text", "hello there", "--keep-prefix", dir}, &stdout, &stderr)
	var report verify.Report
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, stdout.String())
	}
	if report.Prefix != "" {
		t.Cleanup(func() { os.RemoveAll(filepath.Dir(report.Prefix)) })
	}
	if code != 0 || !report.OK {
		t.Fatalf("verify: exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	var names []string
	for _, s := range report.Steps {
		names = append(names, s.Name)
	}
	wantSteps := "build exports imports wine c"
	wantOK := []string{`ok  parent.exe -> child.exe: the child read back "hello there"`}
	if linux {
		wantSteps += " exports-linux c-linux"
		wantOK = append(wantOK, `ok  parent -> child: the child read back "hello there"`)
	}
	if got := strings.Join(names, " "); got != wantSteps {
		t.Errorf("steps %q, want %s (--pair c)", got, wantSteps)
	}
	// Each round trip, the Linux one too, says ok; the last line sums up.
	for _, want := range wantOK {
		if !strings.Contains(stderr.String(), "\n"+want+" (") {
			t.Errorf("progress lacks %q:\n%s", want, stderr.String())
		}
	}
	summary := regexp.MustCompile(`\nverify: ok, ` + strconv.Itoa(len(names)) + ` steps, [0-9.]+m?s\n$`)
	if !summary.MatchString(stderr.String()) {
		t.Errorf("progress does not end with %s:\n%s", summary, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(report.Prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll")); err != nil {
		t.Errorf("--keep-prefix: the prefix with its stub is gone: %v", err)
	}
	if !strings.Contains(stderr.String(), "WINEPREFIX="+report.Prefix) {
		t.Errorf("--keep-prefix does not say how to use the prefix:\n%s", stderr.String())
	}
}

// TestCheckExportsExact passes a DLL that exports exactly the configured
// names, and reads the expected names from the config, whatever they are.
func TestCheckExportsExact(t *testing.T) {
	dir := fakeProject(t, defaultExports, "")
	var stdout, stderr bytes.Buffer
	if err := verify.Build(t.Context(), dir, &stdout); err != nil {
		t.Fatal(err)
	}
	a, _, err := project.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	dll := filepath.Join(dir, "bin", "shmem.dll")
	detail, err := verify.CheckExports(dll, a.Inputs)
	if err != nil || !strings.Contains(detail, "exports exactly GetSharedMem, ReadSharedBytes, SetSharedMem") {
		t.Errorf("checkExports = %q, %v", detail, err)
	}
	if detail, err := verify.CheckImports(dll); err != nil || !strings.Contains(detail, "KERNEL32.dll") {
		t.Errorf("checkImports = %q, %v", detail, err)
	}
	a.Inputs.Set = "PutText"
	if _, err := verify.CheckExports(dll, a.Inputs); err == nil || !strings.Contains(err.Error(), "missing PutText; not in shmemgen.yaml: SetSharedMem") {
		t.Errorf("checkExports with --set PutText = %v", err)
	}
	_ = stderr
}
