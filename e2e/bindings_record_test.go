package e2e

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// everyTypeYAML is a record with every type: bool, each integer, both
// floats, text, bytes, arrays of each kind (texts, bools, an array of
// arrays), a record of inputs.types and an array of them.
const everyTypeYAML = `  record:
    name: Every
    fields:
      - {name: flag, type: bool}
      - {name: i8v, type: i8}
      - {name: i16v, type: i16}
      - {name: i32v, type: i32}
      - {name: i64v, type: i64}
      - {name: u8v, type: u8}
      - {name: u16v, type: u16}
      - {name: u32v, type: u32}
      - {name: u64v, type: u64}
      - {name: f32v, type: f32}
      - {name: f64v, type: f64}
      - {name: label, type: 'utf16[8]'}
      - {name: raw, type: 'bytes[3]'}
      - {name: doubles, type: 'f64[30]'}
      - {name: singles, type: 'f32[30]'}
      - {name: flags, type: 'bool[2]'}
      - {name: names, type: 'utf16[4][2]'}
      - {name: grid, type: 'u8[2][3]'}
      - {name: pos, type: Point}
      - {name: path, type: 'Point[2]'}
  types:
    - name: Point
      fields:
        - {name: x, type: f32}
        - {name: "y", type: f64}
        - {name: tag, type: 'utf16[3]'}
`

// TestBindingsRecordLinux: every parent (C, Go, Python, C#, Rust) writes
// a record with every type at its bounds (integers at their extremes,
// floats at the edges of the shortest-form rules and random bit patterns,
// text at full capacity with surrogate pairs, escapes and a lone
// surrogate, bytes, arrays, nested records) with --record JSON, and every
// child prints it with --record: byte for byte the input normalised
// (fields in declaration order, floats in their shortest form). Each
// binding's parent refuses what the C parent refuses; every child refuses
// a NaN and an infinity, naming the field; REFERENCE.md's record examples
// run as printed; each binding's typed fields (text accessors, fixed
// buffers, nested records, elements of arrays of records) land where the
// C child reads them. The project is built once; the pairs share its mapping,
// so they run one after another, and the refusals, which write nothing,
// side by side.
func TestBindingsRecordLinux(t *testing.T) {
	lin.require(t)
	requireBindingTools(t)
	alone(t) // its own mapping name
	t.Cleanup(func() { os.Remove("/dev/shm/" + bindingsName("bindrec")) })
	dir := sharedProject(t, "bindings-record", bindingsArgs("bindrec")...)
	bin := filepath.Join(dir, "bin")
	p := func(name string) string { return filepath.Join(bin, name) }
	languages := []language{
		{"c", []string{p("parent")}, []string{p("child")}},
		{"go", []string{p("parent-go")}, []string{p("child-go")}},
		{"python", []string{p("parent.py")}, []string{p("child.py")}},
		{"csharp", []string{"mono", p("parent-cs.exe")}, []string{"mono", p("child-cs.exe")}},
		{"rust", []string{p("parent-rs")}, []string{p("child-rs")}},
	}
	run := func(argv []string, args ...string) (string, string, int) {
		cmd := exec.Command(argv[0], append(argv[1:len(argv):len(argv)], args...)...)
		cmd.Dir = t.TempDir()
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			return stdout.String(), stderr.String(), ee.ExitCode()
		} else if err != nil {
			t.Errorf("%q: %v", argv, err) // not Fatal: refusals run in goroutines
			return "", "", -1
		}
		return stdout.String(), stderr.String(), 0
	}

	r := rand.New(rand.NewSource(20))
	for round := range 2 {
		doubles, singles := jsonFloats(r, 30, 64, round == 0), jsonFloats(r, 30, 32, round == 0)
		// The fields out of order in the input, and a label of 7 units,
		// its capacity: two surrogate pairs, a quote, a backslash and a
		// lone surrogate.
		rest := `"raw":[0,128,255],"flags":[true,false],"names":["a\nb","\u0001\t\""],"grid":[[1,2],[3,4],[255,0]],` +
			`"pos":{"x":-0,"y":1e+21,"tag":"😀"},"path":[{"x":1.5,"y":1e-7,"tag":""},{"x":16777216,"y":123456789012345680000,"tag":"é\\"}]`
		input := fmt.Sprintf(`{"label":"😀\"𝄞\\\udc00","u64v":18446744073709551615,"i64v":-9223372036854775808,"flag":true,"i8v":-128,"i16v":-32768,"i32v":-2147483648,`+
			`"u8v":255,"u16v":65535,"u32v":4294967295,"f32v":3.4028235e38,"f64v":5e-324,"doubles":%s,"singles":%s,%s}`,
			jsonArray(doubles, 64), jsonArray(singles, 32), rest)
		want := fmt.Sprintf(`{"flag":true,"i8v":-128,"i16v":-32768,"i32v":-2147483648,"i64v":-9223372036854775808,"u8v":255,"u16v":65535,"u32v":4294967295,`+
			`"u64v":18446744073709551615,"f32v":3.4028235e+38,"f64v":5e-324,"label":"😀\"𝄞\\\udc00","raw":[0,128,255],"doubles":%s,"singles":%s,`+
			`"flags":[true,false],"names":["a\nb","\u0001\t\""],"grid":[[1,2],[3,4],[255,0]],`+
			`"pos":{"x":-0,"y":1e+21,"tag":"😀"},"path":[{"x":1.5,"y":1e-7,"tag":""},{"x":16777216,"y":123456789012345680000,"tag":"é\\"}]}`+"\n",
			ecmaArray(doubles, 64), ecmaArray(singles, 32))
		for _, parent := range languages {
			for _, child := range languages {
				out, errOut, code := run(parent.parent, "--record", input, strings.Join(child.child, " "))
				if code != 0 || out != want {
					t.Errorf("round %d: %s parent --record, %s child --record: status %d, %s\nstdout:\n%s\nstderr:\n%s\nwant stdout:\n%s",
						round, parent.name, child.name, code, firstDifference(out, want), out, errOut, want)
				}
			}
		}
	}

	// REFERENCE.md's record examples, as printed, each in a program
	// beside the library: each sets i8v, the first integer, to 7, writes
	// the record and prints it.
	reference, err := os.ReadFile(filepath.Join(dir, "REFERENCE.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(reference), "\n### The record from C#, Python and Rust\n")
	if !ok {
		t.Fatal("REFERENCE.md has no section on the record from the bindings")
	}
	block := func(lang string) string {
		_, rest, ok := strings.Cut(section, "\n```"+lang+"\n")
		if !ok {
			t.Fatalf("REFERENCE.md's record section has no %s block", lang)
		}
		code, _, _ := strings.Cut(rest, "```")
		return code
	}
	tmp := t.TempDir()
	sources := map[string]string{
		p("readme-record.py"):           block("python"),
		filepath.Join(tmp, "record.rs"): "fn main() -> Result<(), Box<dyn std::error::Error>> {\n" + block("rust") + "Ok(())\n}\n",
		filepath.Join(tmp, "Record.cs"): "using System;\nstatic class P {\nstatic void Main() {\n" + block("csharp") + "}\n}\n",
	}
	for name, src := range sources {
		if err := os.WriteFile(name, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, argv := range [][]string{
		{"rustc", "--edition", "2021", "-D", "warnings", "--extern", "sharedmem=" + p("obj/libsharedmem.rlib"), "-o", p("readme-record-rs"), filepath.Join(tmp, "record.rs")},
		{"mcs", "-nologo", "-unsafe", "-warnaserror+", "-out:" + p("readme-record-cs.exe"), filepath.Join(dir, "bindings", "csharp", "SharedMem.cs"), filepath.Join(tmp, "Record.cs")},
	} {
		if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%q: %v\n%s", argv, err, out)
		}
	}
	for _, argv := range [][]string{{"python3", p("readme-record.py")}, {p("readme-record-rs")}, {"mono", p("readme-record-cs.exe")}} {
		run(languages[0].parent, "--record", `{"i8v":1,"u8v":9}`, "true")
		out, errOut, code := run(argv)
		if code != 0 || !strings.HasPrefix(out, `{"flag":false,"i8v":7,"i16v":0,"i32v":0,"i64v":0,"u8v":9,`) {
			t.Errorf("%q, REFERENCE.md's record example: status %d\nstdout:\n%s\nstderr:\n%s", argv, code, out, errOut)
		}
		if out, _, _ := run(languages[0].child, "--record"); !strings.HasPrefix(out, `{"flag":false,"i8v":7,`) {
			t.Errorf("%q, REFERENCE.md's record example, did not write the record: the C child prints %s", argv, out)
		}
	}

	// Each binding's typed record: fields set by name (a bool, integers,
	// floats, text, an element of an array of floats, of texts and of
	// records, a nested record's field) land where the C child reads
	// them, and read back.
	typed := map[string]string{
		"typed.py": `import sharedmem
lib = sharedmem.SharedMem()
r = sharedmem.Every()
r.flag = 1
r.i64v = -5
r.u16v = 65535
r.f64v = 0.5
sharedmem.set_text(r.label, "h\U0001F600")
r.doubles[2] = 2.5
sharedmem.set_text(r.names[1], "x")
r.path[1].x = 3
sharedmem.set_text(r.path[1].tag, "t")
r.pos.y = 1e21
lib.write_record(r)
print("ok" if sharedmem.text(lib.read_record().label) == "h\U0001F600" else "not ok")
`,
		"typed.rs": `fn main() {
    let lib = sharedmem::SharedMem::load().unwrap();
    let mut r = sharedmem::Every::default();
    r.flag = 1;
    r.i64v = -5;
    r.u16v = 65535;
    r.f64v = 0.5;
    sharedmem::set_text(&mut r.label, "h\u{1F600}").unwrap();
    r.doubles[2] = 2.5;
    sharedmem::set_text(&mut r.names[1], "x").unwrap();
    assert!(sharedmem::set_text(&mut r.path[0].tag, "abc").is_err());
    r.path[1].x = 3.0;
    r.path[1].tag[0] = 't' as u16;
    r.pos.y = 1e21;
    lib.write_record(&r).unwrap();
    let back = lib.read_record().unwrap();
    println!("{}", if sharedmem::text(&back.label) == "h\u{1F600}" { "ok" } else { "not ok" });
}
`,
		"Typed.cs": `static class P {
    static unsafe void Main() {
        var lib = new SharedMem.SharedMemory();
        var r = new SharedMem.Every();
        r.flag = true;
        r.i64v = -5;
        r.u16v = 65535;
        r.f64v = 0.5;
        r.SetLabel("h\U0001F600");
        r.doubles[2] = 2.5;
        r.SetNames("x", 1);
        SharedMem.Point pt = r.GetPath(1);
        pt.x = 3;
        pt.SetTag("t");
        r.SetPath(1, pt);
        r.pos.y = 1e21;
        lib.WriteRecord(ref r);
        System.Console.WriteLine(lib.ReadRecord().GetLabel() == "h\U0001F600" ? "ok" : "not ok");
    }
}
`,
	}
	for name, src := range typed {
		if err := os.WriteFile(filepath.Join(tmp, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Rename(filepath.Join(tmp, "typed.py"), p("typed.py")); err != nil {
		t.Fatal(err)
	}
	for _, argv := range [][]string{
		{"rustc", "--edition", "2021", "-D", "warnings", "--extern", "sharedmem=" + p("obj/libsharedmem.rlib"), "-o", p("typed-rs"), filepath.Join(tmp, "typed.rs")},
		{"mcs", "-nologo", "-unsafe", "-warnaserror+", "-out:" + p("typed-cs.exe"), filepath.Join(dir, "bindings", "csharp", "SharedMem.cs"), filepath.Join(tmp, "Typed.cs")},
	} {
		if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%q: %v\n%s", argv, err, out)
		}
	}
	zeros := func(n int) string { return "[" + strings.TrimSuffix(strings.Repeat("0,", n), ",") + "]" }
	wantTyped := `{"flag":true,"i8v":0,"i16v":0,"i32v":0,"i64v":-5,"u8v":0,"u16v":65535,"u32v":0,"u64v":0,"f32v":0,"f64v":0.5,` +
		`"label":"h😀","raw":[0,0,0],"doubles":[0,0,2.5,` + strings.TrimPrefix(zeros(27), "[") + `,"singles":` + zeros(30) +
		`,"flags":[false,false],"names":["","x"],"grid":[[0,0],[0,0],[0,0]],"pos":{"x":0,"y":1e+21,"tag":""},` +
		`"path":[{"x":0,"y":0,"tag":""},{"x":3,"y":0,"tag":"t"}]}` + "\n"
	for _, argv := range [][]string{{"python3", p("typed.py")}, {p("typed-rs")}, {"mono", p("typed-cs.exe")}} {
		run(languages[0].parent, "--record", `{"u64v":1}`, "true")
		if out, errOut, code := run(argv); code != 0 || out != "ok\n" {
			t.Errorf("%q, the typed record: status %d\nstdout:\n%s\nstderr:\n%s", argv, code, out, errOut)
		}
		if out, _, _ := run(languages[0].child, "--record"); out != wantTyped {
			t.Errorf("%q, the typed record: the C child prints\n%s\nwant\n%s%s", argv, out, wantTyped, firstDifference(out, wantTyped))
		}
	}

	// What the C parent refuses, each binding's refuses, saying why, and
	// writes nothing: the child then prints the last record written. The
	// parents write nothing, so each language's run beside the others.
	_, _, _ = run(languages[0].parent, "--record", `{"i8v":5}`, "true")
	refusals := []struct{ json, why string }{
		{`{"i8v":128}`, "out of range"},
		{`{"u64v":18446744073709551616}`, "out of range"},
		{`{"u8v":-1}`, "out of range"},
		{`{"f64v":1e400}`, "out of range"},
		{`{"f32v":3.5e38}`, "out of range"},
		{`{"label":"12345678"}`, "text is"},
		{`{"label":"123456😀"}`, "text is"},
		{`{"nothing":1}`, "field"},
		{`{"i8v":1,"i8v":2}`, "given twice"},
		{`{"flags":[true]}`, "array of"},
		{`{"grid":[[1,2],[3,4]]}`, "array of"},
		{`{"raw":[0,1,256]}`, "byte"},
		{`{"i8v":1.5}`, "integer"},
		{`{"flag":1}`, "true or false"},
		{`{"pos":{"z":1}}`, "field"},
		{`{"i8v":1} x`, "after the record"},
	}
	var wg sync.WaitGroup
	for _, l := range languages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, bad := range refusals {
				_, errOut, code := run(l.parent, "--record", bad.json, strings.Join(languages[0].child, " "))
				if code == 0 || !strings.Contains(errOut, bad.why) {
					t.Errorf("%s parent --record %s: status %d, stderr:\n%s\nwant a failure that says %q", l.name, bad.json, code, errOut, bad.why)
				}
			}
		}()
	}
	wg.Wait()
	for _, l := range languages {
		out, errOut, code := run(l.child, "--record")
		if code != 0 || !strings.HasPrefix(out, `{"flag":false,"i8v":5,"i16v":0,`) {
			t.Errorf("%s child --record after the refusals: status %d\nstdout:\n%s\nstderr:\n%s\nwant the record the C parent wrote", l.name, code, out, errOut)
		}
	}

	bindingSetters(t, dir, run)

	// A NaN or an infinity, which the Python binding's record can hold and
	// JSON cannot, is refused by every child, naming the field.
	for _, tc := range []struct{ field, value string }{{"f32v", "float('nan')"}, {"f64v", "float('-inf')"}} {
		write := exec.Command("python3", "-c", "import sharedmem\nlib = sharedmem.SharedMem()\nr = sharedmem.Every()\nr."+tc.field+" = "+tc.value+"\nlib.write_record(r)")
		write.Env = append(os.Environ(), "PYTHONPATH="+bin)
		if out, err := write.CombinedOutput(); err != nil {
			t.Fatalf("writing %s = %s with the Python binding: %v\n%s", tc.field, tc.value, err, out)
		}
		for _, l := range languages {
			out, errOut, code := run(l.child, "--record")
			if code != 1 || out != "" || !strings.Contains(errOut, "record's "+tc.field+" is") || !strings.Contains(errOut, "JSON cannot hold") {
				t.Errorf("%s child --record of %s = %s: status %d\nstdout:\n%s\nstderr:\n%s\nwant status 1 and the field named", l.name, tc.field, tc.value, code, out, errOut)
			}
		}
	}
}

// firstDifference says where got first differs from want, with the
// comma-separated items there.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, ","), strings.Split(want, ",")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("item %d is %q, want %q", i, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d items, want %d", len(g), len(w))
}

// TestBindingsRecordExample compiles examples/custom's bindings, whose
// record uses only some types, warnings as errors, as build.sh does, and
// imports the Python module, which checks every offset and size: a
// binding must not warn about what a record leaves out (the Rust one did:
// JSON kinds never used).
func TestBindingsRecordExample(t *testing.T) {
	requireBindingTools(t)
	alone(t) // nothing runs
	b := filepath.Join("..", "examples", "custom", "bindings")
	out := t.TempDir()
	for _, argv := range [][]string{
		{"python3", "-c", "import sys; sys.path.insert(0, sys.argv[1]); import sharedmem; print(sharedmem.record_json(sharedmem.record_from_json('{\"temp\":0.1,\"label\":\"h\\\\u00e9\"}')))", filepath.Join(b, "python")},
		{"rustc", "--edition", "2021", "-D", "warnings", "--crate-type", "rlib", "--crate-name", "sharedmem", "-o", filepath.Join(out, "libsharedmem.rlib"), filepath.Join(b, "rust", "src", "lib.rs")},
		{"mcs", "-nologo", "-unsafe", "-warnaserror+", "-target:library", "-out:" + filepath.Join(out, "SharedMem.dll"), filepath.Join(b, "csharp", "SharedMem.cs")},
	} {
		got, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
		if err != nil {
			t.Errorf("%q: %v\n%s", argv, err, got)
		}
		if argv[0] == "python3" && string(got) != `{"count":0,"temp":0.1,"label":"hé","ok":false}`+"\n" {
			t.Errorf("%q: %s", argv, got)
		}
	}
}
