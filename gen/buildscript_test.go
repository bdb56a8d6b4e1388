package gen

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/shmemgen/shmemgen/config"
	"github.com/shmemgen/shmemgen/internal/testenv"
)

// TestBuildScriptReportsSteps runs the generated build.sh, in a rendered
// project, with stand-ins for go and the C compiler: each step must print a line as it starts and
// one with its time as it ends, and the script one line with the total.
func TestBuildScriptReportsSteps(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	files, err := Render(config.Default("x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := writeProject(t, files)
	fakes := filepath.Join(dir, "fakes")
	if err := os.Mkdir(fakes, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"go", "cc", "dlltool", "windres"} {
		if err := os.WriteFile(filepath.Join(fakes, name), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bash, "build.sh")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+fakes+string(os.PathListSeparator)+os.Getenv("PATH"), "CC="+filepath.Join(fakes, "cc"),
		"DLLTOOL="+filepath.Join(fakes, "dlltool"), "WINDRES="+filepath.Join(fakes, "windres"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("build.sh: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	steps := []string{"version resources (amd64)", "bin/shmem.dll, bin/shmem.h", "bin/shmem.def, bin/libshmem.dll.a", "bin/parent.exe", "bin/child.exe", "bin/parent-go.exe", "bin/child-go.exe"}
	if len(lines) != 2*len(steps)+1 {
		t.Fatalf("build.sh printed %d lines, want %d:\n%s", len(lines), 2*len(steps)+1, out)
	}
	for i, step := range steps {
		if lines[2*i] != "building "+step {
			t.Errorf("line %d = %q, want %q", 2*i+1, lines[2*i], "building "+step)
		}
		if !regexp.MustCompile(`^built    ` + regexp.QuoteMeta(step) + ` in \d+\.\ds$`).MatchString(lines[2*i+1]) {
			t.Errorf("line %d = %q, want built %s in its time", 2*i+2, lines[2*i+1], step)
		}
	}
	if !regexp.MustCompile(`^built bin/shmem.dll .* in \d+\.\ds$`).MatchString(lines[len(lines)-1]) {
		t.Errorf("last line = %q, want the total", lines[len(lines)-1])
	}
}

// TestBuildPS1LeavesSessionAlone checks build.ps1 as text, since PowerShell
// is not here to run it: ./build.ps1 runs in the caller's session, so every
// variable it sets with $env: must be saved first and put back in a finally
// block; and it must honour CFLAGS, as build.sh does. (The Windows workflow
// runs it for real.)
func TestBuildPS1LeavesSessionAlone(t *testing.T) {
	files, err := Render(config.Default("x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, _ := files.Lookup("build.ps1")
	src := string(f.Data)
	saved := regexp.MustCompile(`foreach \(\$name in ((?:'\w+'(?:, )?)+)\) \{\n\s+\$saved\[\$name\] = \[Environment\]::GetEnvironmentVariable\(\$name, 'Process'\)`).FindStringSubmatch(src)
	if saved == nil {
		t.Fatalf("build.ps1 does not save the environment it changes:\n%s", src)
	}
	set := regexp.MustCompile(`\$env:(\w+) = `).FindAllStringSubmatch(src, -1)
	if len(set) == 0 {
		t.Fatal("build.ps1 sets no $env: variable: the check is broken")
	}
	for _, m := range set {
		if !strings.Contains(saved[1], "'"+m[1]+"'") {
			t.Errorf("build.ps1 sets $env:%s without saving it (saves %s)", m[1], saved[1])
		}
	}
	try, finally := strings.Index(src, "\ntry {"), strings.Index(src, "\n} finally {")
	restore := strings.Index(src, "[Environment]::SetEnvironmentVariable($name, $saved[$name], 'Process')")
	firstSet := strings.Index(src, "$env:GOOS = ")
	if try < 0 || !(try < firstSet && firstSet < finally && finally < restore) {
		t.Errorf("build.ps1 must set the environment inside try and restore it in finally:\n%s", src)
	}
	// The location too: Set-Location in a script moves the caller's
	// session. It is pushed just before try and popped in finally, and
	// nothing else moves it.
	push, pop := strings.Index(src, "\nPush-Location -Path $PSScriptRoot\ntry {"), strings.Index(src, "\n    Pop-Location\n}")
	if push < 0 || pop < finally || strings.Contains(src, "Set-Location") || strings.Count(src, "Push-Location") != 1 {
		t.Errorf("build.ps1 must Push-Location just before try and Pop-Location in finally, and never Set-Location:\n%s", src)
	}
	if !strings.Contains(src, "-ExecutionPolicy Bypass -File build.ps1") || !strings.Contains(src, "Unblock-File") {
		t.Errorf("build.ps1's header does not say how to run it under the default execution policy:\n%s", src)
	}
	if !strings.Contains(src, "$env:CFLAGS") || !strings.Contains(src, "($cflags + @(") {
		t.Errorf("build.ps1 ignores CFLAGS:\n%s", src)
	}
}

// TestModuleDefinition checks the .def file the import libraries are made
// from: the DLL's name quoted (golang/go#78238: a name with '-' must read as
// one), and exactly the configured exports, undecorated, in flag order.
func TestModuleDefinition(t *testing.T) {
	c := config.Default("x")
	c.DLL = "my-shm"
	c.Set, c.Get = "PutText", "TakeText"
	files, err := Render(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, ok := files.Lookup("dll/exports.def")
	if !ok {
		t.Fatal("no dll/exports.def")
	}
	if f.Owner != Generated {
		t.Errorf("dll/exports.def is %s, want generated", f.Owner)
	}
	var body []string
	for _, line := range strings.Split(strings.TrimSuffix(string(f.Data), "\n"), "\n") {
		if !strings.HasPrefix(line, ";") {
			body = append(body, strings.TrimSpace(line))
		}
	}
	want := []string{`LIBRARY "my-shm.dll"`, "EXPORTS"}
	for _, e := range c.Exports() {
		want = append(want, e[1])
	}
	if strings.Join(body, "\n") != strings.Join(want, "\n") {
		t.Errorf("dll/exports.def:\n%s\nwant, besides comments:\n%s", f.Data, strings.Join(want, "\n"))
	}
	// build.sh and build.ps1 name the library through build.env's dll.
	for script, implib := range map[string]string{"build.sh": "lib$dll.dll.a", "build.ps1": "lib$dll.dll.a"} {
		s, _ := files.Lookup(script)
		for _, want := range []string{"dll/exports.def", implib, "DLLTOOL"} {
			if !strings.Contains(string(s.Data), want) {
				t.Errorf("%s does not mention %s", script, want)
			}
		}
	}
	if env, _ := files.Lookup("build.env"); !strings.Contains(string(env.Data), "\ndll=my-shm\n") {
		t.Errorf("build.env does not set dll=my-shm:\n%s", env.Data)
	}
	if dll := ps1BuildEnv(t, files)["dll"]; dll != "my-shm" {
		t.Errorf("build.ps1 reads dll %q from build.env, want my-shm", dll)
	}
	ps1, _ := files.Lookup("build.ps1")
	for _, want := range []string{"/def:$Out\\$dll.def", "/machine:$Machine", "-Out 'bin' -CC $cc -DllTool $dlltool -RcTarget 'pe-x86-64' -Machine 'x64'", "/out:$Out\\$dll.lib", "skipped  $Out\\$dll.lib"} {
		if !strings.Contains(string(ps1.Data), want) {
			t.Errorf("build.ps1 does not run lib.exe as %s, or say it skipped it", want)
		}
	}
}

// TestBuildScriptArch runs the generated build.sh for each --arch with
// stand-ins for go, the C compilers and dlltool that log how they were
// called: amd64 goes to bin/ with CC and DLLTOOL, 386 to bin/386/ with
// GOARCH=386, CC_386 and DLLTOOL_386, and nothing is built for an
// architecture not asked for. build.ps1 is checked as text.
func TestBuildScriptArch(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	for _, arch := range []string{"amd64", "386", "amd64,386"} {
		t.Run(arch, func(t *testing.T) {
			c := config.Default("x")
			c.Arch = arch
			files, err := Render(c, Options{})
			if err != nil {
				t.Fatal(err)
			}
			dir := writeProject(t, files)
			fakes := filepath.Join(dir, "fakes")
			log := filepath.Join(dir, "log")
			if err := os.Mkdir(fakes, 0o755); err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"go", "cc64", "cc32", "dt64", "dt32", "windres"} {
				// go logs its target and, when cgo is on, its C compiler.
				script := "#!/bin/sh\necho \"" + name + " $*\" >>" + log + "\n"
				if name == "go" {
					script = "#!/bin/sh\nif [ \"$CGO_ENABLED\" = 1 ]; then c=\" CC=$CC\"; else c=; fi\n" +
						"echo \"go GOARCH=$GOARCH CGO_ENABLED=$CGO_ENABLED$c $*\" >>" + log + "\n"
				}
				if err := os.WriteFile(filepath.Join(fakes, name), []byte(script), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command(bash, "build.sh")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "PATH="+fakes+string(os.PathListSeparator)+os.Getenv("PATH"),
				"CC="+filepath.Join(fakes, "cc64"), "CC_386="+filepath.Join(fakes, "cc32"),
				"DLLTOOL="+filepath.Join(fakes, "dt64"), "DLLTOOL_386="+filepath.Join(fakes, "dt32"),
				"WINDRES="+filepath.Join(fakes, "windres"))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("build.sh: %v\n%s", err, out)
			}
			data, err := os.ReadFile(log)
			if err != nil {
				t.Fatal(err)
			}
			calls := strings.Split(strings.TrimSpace(string(data)), "\n")
			var want []string
			if c.HasArch("amd64") {
				want = append(want,
					"windres --target=pe-x86-64 -DVI_DLL -O coff -i version.rc -o dll/version_windows_amd64.syso",
					"windres --target=pe-x86-64 -DVI_PARENT_GO -O coff -i version.rc -o hosts/go/parent/version_windows_amd64.syso",
					"windres --target=pe-x86-64 -DVI_CHILD_GO -O coff -i version.rc -o hosts/go/child/version_windows_amd64.syso",
					"windres --target=pe-x86-64 -DVI_PARENT -O coff -i version.rc -o bin/obj/parent-version.o",
					"windres --target=pe-x86-64 -DVI_CHILD -O coff -i version.rc -o bin/obj/child-version.o",
					"go GOARCH=amd64 CGO_ENABLED=1 CC="+filepath.Join(fakes, "cc64")+" build -buildmode=c-shared -trimpath -ldflags -extldflags '-static-libgcc -Wl,--export-all-symbols -Wl,--exclude-all-symbols' -o bin/shmem.dll ./dll",
					"dt64 --input-def bin/shmem.def --dllname shmem.dll --output-lib bin/libshmem.dll.a",
					"cc64 -O2 -Wall -Wextra -municode -Ibin -o bin/parent.exe hosts/c/parent.c bin/obj/parent-version.o",
					"cc64 -O2 -Wall -Wextra -municode -Ibin -o bin/child.exe hosts/c/child.c bin/obj/child-version.o",
					"go GOARCH=amd64 CGO_ENABLED=0 build -trimpath -o bin/parent-go.exe ./hosts/go/parent",
					"go GOARCH=amd64 CGO_ENABLED=0 build -trimpath -o bin/child-go.exe ./hosts/go/child")
			}
			if c.HasArch("386") {
				want = append(want,
					"windres --target=pe-i386 -DVI_DLL -O coff -i version.rc -o dll/version_windows_386.syso",
					"windres --target=pe-i386 -DVI_PARENT_GO -O coff -i version.rc -o hosts/go/parent/version_windows_386.syso",
					"windres --target=pe-i386 -DVI_CHILD_GO -O coff -i version.rc -o hosts/go/child/version_windows_386.syso",
					"windres --target=pe-i386 -DVI_PARENT -O coff -i version.rc -o bin/386/obj/parent-version.o",
					"windres --target=pe-i386 -DVI_CHILD -O coff -i version.rc -o bin/386/obj/child-version.o",
					"go GOARCH=386 CGO_ENABLED=1 CC="+filepath.Join(fakes, "cc32")+" build -buildmode=c-shared -trimpath -ldflags -extldflags '-static-libgcc -Wl,--export-all-symbols -Wl,--exclude-all-symbols' -o bin/386/shmem.dll ./dll",
					"dt32 --input-def bin/386/shmem.def --dllname shmem.dll --output-lib bin/386/libshmem.dll.a",
					"cc32 -O2 -Wall -Wextra -municode -Ibin/386 -o bin/386/parent.exe hosts/c/parent.c bin/386/obj/parent-version.o",
					"cc32 -O2 -Wall -Wextra -municode -Ibin/386 -o bin/386/child.exe hosts/c/child.c bin/386/obj/child-version.o",
					"go GOARCH=386 CGO_ENABLED=0 build -trimpath -o bin/386/parent-go.exe ./hosts/go/parent",
					"go GOARCH=386 CGO_ENABLED=0 build -trimpath -o bin/386/child-go.exe ./hosts/go/child")
			}
			if strings.Join(calls, "\n") != strings.Join(want, "\n") {
				t.Errorf("build.sh ran:\n%s\nwant:\n%s", data, strings.Join(want, "\n"))
			}
			for _, f := range []string{"bin/shmem.def", "bin/386/shmem.def", "bin/shmem.h", "bin/386/shmem.h"} {
				_, err := os.Stat(filepath.Join(dir, f))
				if in386 := strings.HasPrefix(f, "bin/386/"); (err == nil) != c.HasArch(map[bool]string{true: "386", false: "amd64"}[in386]) {
					t.Errorf("%s exists: %v, want it only when building for its architecture", f, err == nil)
				}
			}

			// build.ps1 is the same for every --arch (it is yours): it
			// builds the architectures it reads from build.env, each in
			// a block of its own.
			ps1, _ := files.Lookup("build.ps1")
			src := string(ps1.Data)
			arches := strings.Fields(ps1BuildEnv(t, files)["arches"])
			for arch, call := range map[string]string{
				"amd64": "Build-Arch -GoArch 'amd64' -Out 'bin' -CC $cc -DllTool $dlltool -RcTarget 'pe-x86-64' -Machine 'x64'",
				"386":   "Build-Arch -GoArch '386' -Out 'bin\\386' -CC $cc386 -DllTool $dlltool386 -RcTarget 'pe-i386' -Machine 'x86'",
			} {
				block := regexp.MustCompile(`(?m)^    if \(\$arches -contains '` + arch + `'\) \{\n(?:        .*\n)*?        ` + regexp.QuoteMeta(call) + `\n    \}\n`)
				if !block.MatchString(src) {
					t.Errorf("build.ps1 does not call %q in a block of its own, if ($arches -contains '%s')", call, arch)
				}
				if slices.Contains(arches, arch) != c.HasArch(arch) {
					t.Errorf("build.ps1 reads arches %q from build.env: %s in it is %v, want %v", arches, arch, !c.HasArch(arch), c.HasArch(arch))
				}
			}
		})
	}
}

// ps1Match is the pattern with which build.ps1 reads build.env's lines.
var ps1Match = regexp.MustCompile(`\$line -match '([^']+)'`)

// ps1BuildEnv is build.env's settings as build.ps1 reads them: its pattern,
// taken from it and applied here (.NET's and Go's regular expressions
// agree on it), to each line of build.env, the first group the name, the
// second the value.
func ps1BuildEnv(t *testing.T, files FileSet) map[string]string {
	t.Helper()
	ps1, _ := files.Lookup("build.ps1")
	m := ps1Match.FindStringSubmatch(string(ps1.Data))
	if m == nil {
		t.Fatalf("build.ps1 does not read build.env with $line -match:\n%s", ps1.Data)
	}
	pattern := regexp.MustCompile(m[1])
	env, _ := files.Lookup("build.env")
	settings := map[string]string{}
	for _, line := range strings.Split(string(env.Data), "\n") {
		if s := pattern.FindStringSubmatch(line); s != nil {
			settings[s[1]] = s[2]
		}
	}
	return settings
}

// writeProject writes files into a new temporary directory and returns it.
func writeProject(t *testing.T, files FileSet) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, f.Mode); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestBuildScriptSaysWhatToInstall runs the generated build.sh on a PATH
// that has Go but neither mingw-w64 nor gcc: before it builds anything it
// must name every missing tool and what to install, not stop half-way at
// "x86_64-w64-mingw32-windres: command not found".
func TestBuildScriptSaysWhatToInstall(t *testing.T) {
	c := config.Default("x")
	c.OS = "windows,linux"
	c.Arch = "amd64,386"
	files, err := Render(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := testenv.PathWith(t, "bash", "dirname", "go")
	for _, tc := range []struct {
		system string
		want   []string
	}{
		{"windows", []string{
			"build.sh: not found: x86_64-w64-mingw32-windres x86_64-w64-mingw32-gcc x86_64-w64-mingw32-dlltool i686-w64-mingw32-gcc i686-w64-mingw32-dlltool",
			"  install mingw-w64 (Debian, Ubuntu: sudo apt-get install mingw-w64; macOS: brew install mingw-w64), or name the tools with CC, DLLTOOL and WINDRES (CC_386, DLLTOOL_386); ./build.sh linux builds the Linux side alone",
			"build.sh: nothing built",
		}},
		{"linux", []string{
			"build.sh: not found: gcc",
			"  install gcc (Debian, Ubuntu: sudo apt-get install gcc), or name a C compiler with CC_LINUX",
			"build.sh: nothing built",
		}},
	} {
		t.Run(tc.system, func(t *testing.T) {
			dir := writeProject(t, files)
			cmd := exec.Command(filepath.Join(path, "bash"), "build.sh", tc.system)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "PATH="+path, "CC=", "CC_386=", "DLLTOOL=", "DLLTOOL_386=", "WINDRES=", "CC_LINUX=")
			out, err := cmd.CombinedOutput()
			if code := cmd.ProcessState.ExitCode(); code != 1 || strings.TrimSuffix(string(out), "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("build.sh %s without its C tools: exit %d (%v)\n%s\nwant exit 1 and:\n%s", tc.system, code, err, out, strings.Join(tc.want, "\n"))
			}
			if _, err := os.Stat(filepath.Join(dir, "bin")); err == nil {
				t.Error("build.sh made bin/ although a tool was missing")
			}
		})
	}
}

// TestBuildScriptRefusesOtherSystem: build.sh, asked for a system the
// project is not built for, says which systems it is built for, taken from
// build.env since build.sh itself names none.
func TestBuildScriptRefusesOtherSystem(t *testing.T) {
	files, err := Render(config.Default("x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := writeProject(t, files)
	path := testenv.PathWith(t, "bash", "dirname")
	cmd := exec.Command(filepath.Join(path, "bash"), "build.sh", "linux")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+path)
	out, _ := cmd.CombinedOutput()
	want := "build.sh: this project is not built for linux (os: windows)\n"
	if code := cmd.ProcessState.ExitCode(); code != 2 || string(out) != want {
		t.Errorf("build.sh linux in a Windows project: exit %d\n%s\nwant exit 2 and:\n%s", code, out, want)
	}
}

// TestBuildScriptSaysWhatToInstallForBindings: with the bindings chosen,
// build.sh looks for each one's toolchain before it builds anything, and
// names what to install: mcs and python3 for either system, mono to run the
// C# programs and rustc with linux; without them it asks for none (the test
// above: its output is exact).
func TestBuildScriptSaysWhatToInstallForBindings(t *testing.T) {
	c := config.Default("x")
	c.OS = "windows,linux"
	c.Bindings = "csharp,python,rust"
	files, err := Render(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := testenv.PathWith(t, "bash", "dirname", "go", "gcc")
	mcs := []string{
		"build.sh: not found: mcs",
		"  install Mono's C# compiler for the C# binding (Debian, Ubuntu: sudo apt-get install mono-mcs; macOS: brew install mono)",
		"build.sh: not found: python3",
		"  install Python 3.8 or later for the Python binding (Debian, Ubuntu: sudo apt-get install python3)",
		"build.sh: nothing built",
	}
	for _, tc := range []struct {
		system string
		want   []string
	}{
		{"linux", append([]string{
			"build.sh: not found: mono",
			"  install Mono to run the C# binding's programs (Debian, Ubuntu: sudo apt-get install mono-runtime)",
			"build.sh: not found: rustc",
			"  install Rust for the Rust binding (https://rustup.rs, or Debian, Ubuntu: sudo apt-get install rustc), or name the compiler with RUSTC",
		}, mcs...)},
		{"windows", append([]string{
			"build.sh: not found: x86_64-w64-mingw32-windres x86_64-w64-mingw32-gcc x86_64-w64-mingw32-dlltool",
			"  install mingw-w64 (Debian, Ubuntu: sudo apt-get install mingw-w64; macOS: brew install mingw-w64), or name the tools with CC, DLLTOOL and WINDRES; ./build.sh linux builds the Linux side alone",
		}, mcs...)},
	} {
		t.Run(tc.system, func(t *testing.T) {
			dir := writeProject(t, files)
			cmd := exec.Command(filepath.Join(path, "bash"), "build.sh", tc.system)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "PATH="+path, "CC=", "DLLTOOL=", "WINDRES=", "CC_LINUX=", "RUSTC=")
			out, err := cmd.CombinedOutput()
			want := strings.Join(tc.want, "\n")
			if code := cmd.ProcessState.ExitCode(); code != 1 || strings.TrimSuffix(string(out), "\n") != want {
				t.Errorf("build.sh %s without the bindings' tools: exit %d (%v)\n%s\nwant exit 1 and:\n%s", tc.system, code, err, out, want)
			}
			if _, err := os.Stat(filepath.Join(dir, "bin")); err == nil {
				t.Error("build.sh made bin/ although a tool was missing")
			}
		})
	}
}

// TestBuildPS1BuildsTheBindingsAsBuildSh runs build.sh linux with
// stand-ins that log their calls, and checks that build.ps1, read as text
// (PowerShell is not here), makes each binding's programs with the same
// compiler arguments, a Rust program's name ending in .exe, and copies the
// same Python files; and that a project without bindings has no such step.
func TestBuildPS1BuildsTheBindingsAsBuildSh(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	c := config.Default("x")
	c.OS = "windows,linux"
	c.Bindings = "csharp,python,rust"
	files, err := Render(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := writeProject(t, files)
	fakes := filepath.Join(dir, "fakes")
	log := filepath.Join(dir, "log")
	if err := os.Mkdir(fakes, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"go", "gcc", "mcs", "mono", "python3", "rustc"} {
		script := "#!/bin/sh\necho \"" + name + " $*\" >>" + log + "\n"
		if err := os.WriteFile(filepath.Join(fakes, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bash, "build.sh", "linux")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+fakes+string(os.PathListSeparator)+os.Getenv("PATH"), "CC_LINUX=gcc", "RUSTC=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build.sh linux: %v\n%s", err, out)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	var sh []string
	for _, call := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if strings.HasPrefix(call, "mcs ") || strings.HasPrefix(call, "rustc ") {
			sh = append(sh, call)
		}
	}
	if len(sh) != 5 {
		t.Fatalf("build.sh linux ran %d binding compiles, want 5 (2 mcs, 3 rustc):\n%s", len(sh), data)
	}

	ps1, _ := files.Lookup("build.ps1")
	src := string(ps1.Data)
	var ps []string
	for _, m := range regexp.MustCompile(`Invoke-Step '[^']*' \$(csc|rustc) @\(([^)]*)\)`).FindAllStringSubmatch(src, -1) {
		tool := map[string]string{"csc": "mcs", "rustc": "rustc"}[m[1]]
		args := strings.Split(strings.Trim(m[2], "'"), "', '")
		// Windows' programs end in .exe; build.sh's Linux ones do not.
		ps = append(ps, strings.ReplaceAll(tool+" "+strings.Join(args, " "), "-rs.exe ", "-rs "))
	}
	// build.sh makes Rust's with linux and C#'s after every system: the
	// order is not the point.
	slices.Sort(ps)
	slices.Sort(sh)
	if strings.Join(ps, "\n") != strings.Join(sh, "\n") {
		t.Errorf("build.ps1's binding steps:\n%s\nwant build.sh's:\n%s", strings.Join(ps, "\n"), strings.Join(sh, "\n"))
	}
	sh1, _ := files.Lookup("build.sh")
	shPy := regexp.MustCompile(`for f in ([a-z. ]+); do`).FindStringSubmatch(string(sh1.Data))
	psPy := regexp.MustCompile(`foreach \(\$f in ('[a-z.]+'(?:, '[a-z.]+')*)\)`).FindStringSubmatch(src)
	if shPy == nil || psPy == nil || strings.ReplaceAll(strings.ReplaceAll(psPy[1], "'", ""), ",", "") != shPy[1] {
		t.Errorf("build.ps1 copies the Python files %q, build.sh %q", psPy, shPy)
	}

	// build.ps1 is the user's and the same whatever the bindings: each
	// binding's steps run only when build.env names it, and build.env names
	// none in a project without bindings.
	for lang, step := range map[string]string{"csharp": "$csc @(", "python": "bindings/python/", "rust": "$rustc @("} {
		open := "if ($bindings -contains '" + lang + "') {\n"
		i := strings.Index(src, open)
		if i < 0 {
			t.Errorf("build.ps1 has no %q", strings.TrimSpace(open))
			continue
		}
		end := strings.Index(src[i:], "\n    }\n")
		block, rest := src[i:i+end], src[:i]+src[i+end:]
		if !strings.Contains(block, step) || strings.Contains(rest, step) {
			t.Errorf("build.ps1's %s steps (%q) are not all inside %q", lang, step, strings.TrimSpace(open))
		}
	}
	files, err = Render(config.Default("x"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	env, _ := files.Lookup("build.env")
	if !strings.Contains(string(env.Data), "\nbindings=\"\"\n") {
		t.Errorf("build.env of a project without bindings names some:\n%s", env.Data)
	}
}

// TestScriptsPassShellcheck runs shellcheck, every check at every
// severity, over build.sh (following its source of build.env) and run.sh,
// for projects that take each branch the scripts have: Windows alone, both
// systems, both architectures, every binding.
func TestScriptsPassShellcheck(t *testing.T) {
	shellcheck := testenv.RequireTool(t, "shellcheck")
	for name, change := range map[string]func(c *config.Config){
		"default": func(*config.Config) {},
		"linux-bindings": func(c *config.Config) {
			c.OS = "windows,linux"
			c.Bindings = "csharp,python,rust"
		},
		"x86": func(c *config.Config) { c.Arch = "amd64,386" },
	} {
		t.Run(name, func(t *testing.T) {
			c := config.Default("x")
			change(&c)
			files, err := Render(c, Options{})
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(shellcheck, "--external-sources", "--severity=style", "build.sh", "run.sh")
			cmd.Dir = writeProject(t, files)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("shellcheck: %v\n%s", err, out)
			}
		})
	}
}
