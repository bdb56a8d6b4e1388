package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// settersBase is a record of everyTypeYAML with every field set, as the C
// child prints it; settersWant is it after the setters' programs below:
// exactly the fields and elements they set changed (text shorter than what
// it replaces leaves no old units behind, a nested field by its path leaves
// its siblings), and what they refused unwritten.
var (
	settersBase = `{"flag":true,"i8v":-1,"i16v":-2,"i32v":-3,"i64v":-4,"u8v":5,"u16v":6,"u32v":7,"u64v":8,"f32v":1.5,"f64v":2.5,` +
		`"label":"abcdefg","raw":[1,2,3],"doubles":[` + settersCount(30, "") + `],"singles":[` + settersCount(30, "") + `],` +
		`"flags":[true,true],"names":["abc","def"],"grid":[[1,2],[3,4],[5,6]],"pos":{"x":1,"y":2,"tag":"pq"},` +
		`"path":[{"x":3,"y":4,"tag":"rs"},{"x":5,"y":6,"tag":"tu"}]}` + "\n"
	settersWant = `{"flag":false,"i8v":-1,"i16v":-2,"i32v":123456,"i64v":-4,"u8v":5,"u16v":6,"u32v":7,"u64v":18446744073709551615,"f32v":0.25,"f64v":2.5,` +
		`"label":"h😀","raw":[1,9,3],"doubles":[` + settersCount(28, ",7.5,8.5") + `],"singles":[` + settersCount(30, "") + `],` +
		`"flags":[true,false],"names":["abc","xy"],"grid":[[1,2],[3,4],[7,8]],"pos":{"x":11,"y":0.5,"tag":"z"},` +
		`"path":[{"x":9,"y":10,"tag":"w"},{"x":5,"y":6,"tag":"tu"}]}` + "\n"
)

// settersCount is 1,2,…,n and then tail.
func settersCount(n int, tail string) string {
	var s []string
	for i := 1; i <= n; i++ {
		s = append(s, fmt.Sprint(i))
	}
	return strings.Join(s, ",") + tail
}

// The setters' programs, one per binding: the same calls, then refusals,
// each printed as "refused STATUS last STATUS" with the library's status
// after it. All but the last are the binding's own (a slice past the
// array's end, a first element past it, text too long, text with a NUL;
// Python's an integer its field cannot hold, C#'s a flattened slice that is
// not whole elements), so the library is not called and its status is
// still the last setter's success; the last is a range past the record's
// end (528 bytes), which the library refuses.
var settersPrograms = map[string]string{
	"setters.py": `import sharedmem
lib = sharedmem.SharedMem()
lib.set_flag(False)
lib.set_i32v(123456)
lib.set_u64v(18446744073709551615)
lib.set_f32v(0.25)
lib.set_label("h\U0001F600")
lib.set_raw(1, [9])
lib.set_doubles(28, [7.5, 8.5])
lib.set_flags(1, [False])
lib.set_names(1, [[120, 121, 0, 0]])
lib.set_grid(2, [[7, 8]])
p = sharedmem.Point(x=11, y=12)
sharedmem.set_text(p.tag, "k")
lib.set_pos(p)
lib.set_pos_y(0.5)
lib.set_pos_tag("z")
q = sharedmem.Point(x=9, y=10)
sharedmem.set_text(q.tag, "w")
lib.set_path(0, [q])


def name(status):
    return "BAD_ARGUMENT" if status == sharedmem.STATUS_BAD_ARGUMENT else str(status)


for call in [lambda: lib.set_doubles(29, [1.0, 2.0]), lambda: lib.set_flags(3, []), lambda: lib.set_label("12345678"),
             lambda: lib.set_label("a\0b"), lambda: lib.set_i8v(128), lambda: lib.write_record_range(527, b"\1\2")]:
    try:
        call()
        print("written")
    except sharedmem.SharedMemError as e:
        print("refused", name(e.status), "last", name(lib.status()))
`,
	"setters.rs": `use sharedmem::*;

fn name(status: u32) -> String {
    if status == STATUS_BAD_ARGUMENT { "BAD_ARGUMENT".to_string() } else { status.to_string() }
}

fn main() {
    let lib = SharedMem::load().unwrap();
    lib.set_flag(false).unwrap();
    lib.set_i32v(123456).unwrap();
    lib.set_u64v(u64::MAX).unwrap();
    lib.set_f32v(0.25).unwrap();
    lib.set_label("h\u{1F600}").unwrap();
    lib.set_raw(1, &[9]).unwrap();
    lib.set_doubles(28, &[7.5, 8.5]).unwrap();
    lib.set_flags(1, &[0]).unwrap();
    lib.set_names(1, &[[120, 121, 0, 0]]).unwrap();
    lib.set_grid(2, &[[7, 8]]).unwrap();
    let mut p = Point::default();
    p.x = 11.0;
    p.y = 12.0;
    set_text(&mut p.tag, "k").unwrap();
    lib.set_pos(&p).unwrap();
    lib.set_pos_y(0.5).unwrap();
    lib.set_pos_tag("z").unwrap();
    let mut q = Point::default();
    q.x = 9.0;
    q.y = 10.0;
    set_text(&mut q.tag, "w").unwrap();
    lib.set_path(0, &[q]).unwrap();
    let calls: [&dyn Fn() -> Result<(), Error>; 5] = [
        &|| lib.set_doubles(29, &[1.0, 2.0]),
        &|| lib.set_flags(3, &[]),
        &|| lib.set_label("12345678"),
        &|| lib.set_label("a\0b"),
        &|| lib.write_record_range(527, &[1, 2]),
    ];
    for call in calls {
        match call() {
            Ok(()) => println!("written"),
            Err(e) => println!("refused {} last {}", name(e.status), name(lib.status())),
        }
    }
}
`,
	"Setters.cs": `using System;
using SharedMem;

static class P {
    static string Name(uint status) { return status == Status.BadArgument ? "BAD_ARGUMENT" : status.ToString(); }

    static void Main() {
        var lib = new SharedMemory();
        lib.SetFlag(false);
        lib.SetI32v(123456);
        lib.SetU64v(ulong.MaxValue);
        lib.SetF32v(0.25f);
        lib.SetLabel("h\U0001F600");
        lib.SetRaw(1, new byte[] { 9 });
        lib.SetDoubles(28, new double[] { 7.5, 8.5 });
        lib.SetFlags(1, new byte[] { 0 });
        lib.SetNames(1, new char[] { 'x', 'y', '\0', '\0' });
        lib.SetGrid(2, new byte[] { 7, 8 });
        var p = new Point();
        p.x = 11;
        p.y = 12;
        p.SetTag("k");
        lib.SetPos(p);
        lib.SetPosY(0.5);
        lib.SetPosTag("z");
        var q = new Point();
        q.x = 9;
        q.y = 10;
        q.SetTag("w");
        lib.SetPath(0, new Point[] { q });
        Action[] calls = {
            () => lib.SetDoubles(29, new double[] { 1, 2 }),
            () => lib.SetFlags(3, new byte[0]),
            () => lib.SetLabel("12345678"),
            () => lib.SetLabel("a\0b"),
            () => lib.SetNames(0, new char[] { 'x', 'y', '\0' }),
            () => lib.WriteRecordRange(527, new byte[] { 1, 2 }),
        };
        foreach (var call in calls) {
            try {
                call();
                Console.WriteLine("written");
            } catch (SharedMemException e) {
                Console.WriteLine("refused " + Name(e.Status) + " last " + Name(lib.LastStatus()));
            }
        }
    }
}
`,
}

// bindingSetters: each binding's range write and typed setters, over the
// project TestBindingsRecordLinux built (dir): from a record with every
// field set by the C parent, each binding sets single fields, slices of
// arrays, whole elements of arrays of arrays and of records, a record
// whole and a nested field by its path, and text, and the C child then
// prints exactly those changed; each binding's refusals (the Python one
// also refuses an integer its field cannot hold, the C# one a flattened
// slice that is not whole elements) raise its error with BAD_ARGUMENT,
// without calling the library, and the library's refusal of a range past
// the record's end comes back as the same error; none of them writes.
func bindingSetters(t *testing.T, dir string, run func(argv []string, args ...string) (string, string, int)) {
	bin := filepath.Join(dir, "bin")
	p := func(name string) string { return filepath.Join(bin, name) }
	tmp := t.TempDir()
	for name, src := range settersPrograms {
		at := filepath.Join(tmp, name)
		if strings.HasSuffix(name, ".py") {
			at = p(name)
		}
		if err := os.WriteFile(at, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, argv := range [][]string{
		{"rustc", "--edition", "2021", "-D", "warnings", "--extern", "sharedmem=" + p("obj/libsharedmem.rlib"), "-o", p("setters-rs"), filepath.Join(tmp, "setters.rs")},
		{"mcs", "-nologo", "-unsafe", "-warnaserror+", "-out:" + p("setters-cs.exe"), filepath.Join(dir, "bindings", "csharp", "SharedMem.cs"), filepath.Join(tmp, "Setters.cs")},
	} {
		if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%q: %v\n%s", argv, err, out)
		}
	}
	own, library := "refused BAD_ARGUMENT last 0\n", "refused BAD_ARGUMENT last BAD_ARGUMENT\n"
	for _, tc := range []struct {
		argv []string
		want string
	}{
		{[]string{"python3", p("setters.py")}, strings.Repeat(own, 5) + library},
		{[]string{p("setters-rs")}, strings.Repeat(own, 4) + library},
		{[]string{"mono", p("setters-cs.exe")}, strings.Repeat(own, 5) + library},
	} {
		if out, errOut, code := run([]string{p("parent")}, "--record", strings.TrimSuffix(settersBase, "\n"), "true"); code != 0 {
			t.Fatalf("C parent --record: status %d\n%s%s", code, out, errOut)
		}
		if out, _, _ := run([]string{p("child")}, "--record"); out != settersBase {
			t.Fatalf("the C child prints the base record as\n%s\nwant\n%s%s", out, settersBase, firstDifference(out, settersBase))
		}
		out, errOut, code := run(tc.argv)
		if code != 0 || out != tc.want {
			t.Errorf("%q: status %d\nstdout:\n%s\nstderr:\n%s\nwant stdout:\n%s", tc.argv, code, out, errOut, tc.want)
		}
		if out, _, _ := run([]string{p("child")}, "--record"); out != settersWant {
			t.Errorf("%q: the C child then prints\n%s\nwant\n%s%s", tc.argv, out, settersWant, firstDifference(out, settersWant))
		}
	}
}
