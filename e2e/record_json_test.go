package e2e

import (
	"fmt"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// jsonRecordArgs make the project of TestRecordJSON: arrays of floats of
// both sizes, whose shortest forms C and Go must agree on, text, bools,
// bytes and integers at their bounds, under a name of its own.
var jsonRecordArgs = []string{"--name", "shmemgen-e2e-json", "--os", "windows,linux", "--record", "Values",
	"--field", "doubles:f64[40]", "--field", "singles:f32[40]", "--field", "text:utf16[12]",
	"--field", "flags:bool[2]", "--field", "small:i8", "--field", "big:u64", "--field", "neg:i64",
	"--field", "raw:bytes[3]", "--field", "grid:u16[2][3]"}

// jsonFloats are doubles at the edges of the shortest-form rules (the
// exponent where ECMAScript's form switches, powers of two, whose rounding
// interval is lopsided, subnormals, the largest), with edges, and random
// bit patterns.
func jsonFloats(r *rand.Rand, n int, bits int, edges bool) []float64 {
	var out []float64
	switch {
	case !edges:
	case bits == 64:
		out = []float64{0, math.Copysign(0, -1), 0.1, 1.0 / 3, 1e21, 1e20, 123456789012345680000, 1e-7, 1e-6, 0.000001234,
			5e-324, math.SmallestNonzeroFloat64 * 3, 0x1p-1022, 0x1p-1074 * 1000, math.MaxFloat64, 0x1p1023, 0x1p52, 0x1p53, 9007199254740993,
			-2.5, 1e100, 0x1p-100, 0x1p-500}
	default:
		out = []float64{0, math.Copysign(0, -1), float64(float32(0.1)), float64(float32(1.0 / 3)), 1e21, 1e-7,
			float64(float32(math.SmallestNonzeroFloat32)), float64(math.MaxFloat32), 0x1p-126, 0x1p-149 * 5, 0x1p127, 0x1p-20, 16777217 - 1,
			float64(float32(3.4e38)), -2.5, float64(float32(1e-10))}
	}
	for len(out) < n {
		var f float64
		if bits == 64 {
			f = math.Float64frombits(r.Uint64())
		} else {
			f = float64(math.Float32frombits(r.Uint32()))
		}
		if !math.IsNaN(f) && !math.IsInf(f, 0) {
			out = append(out, f)
		}
	}
	return out[:n]
}

// jsonArray writes floats as a JSON array, each in Go's shortest form for
// its size, which reads back as the same value in C and in Go.
func jsonArray(fs []float64, bits int) string {
	var parts []string
	for _, f := range fs {
		parts = append(parts, strconv.FormatFloat(f, 'g', -1, bits))
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// TestRecordJSON: parent --record JSON writes the record and starts the
// child with --record, which prints it as one line of JSON; the C and the
// Go hosts print it byte for byte alike, whichever parent wrote it, on
// each system: floats in their shortest round-trip form (checked here
// against Go's strconv, value by value), text with its escapes and
// surrogates, arrays, bools and integers at their bounds. A value JSON
// or the field cannot hold is refused by both parents.
func TestRecordJSON(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		dir := sharedProject(t, "recordjson", jsonRecordArgs...)
		bin := filepath.Join(dir, "bin")
		h.run(t, bin, h.Prog("parent"), "--unlink")
		t.Cleanup(func() { h.run(t, bin, h.Prog("parent"), "--unlink") })

		r := rand.New(rand.NewSource(19))
		for round := range 3 {
			doubles, singles := jsonFloats(r, 40, 64, round == 0), jsonFloats(r, 40, 32, round == 0)
			input := fmt.Sprintf(`{"doubles":%s,"singles":%s,"text":"a\"\\\n\u0001é😀\udc00","flags":[true,false],"small":-128,"big":18446744073709551615,"neg":-9223372036854775808,"raw":[0,128,255],"grid":[[1,2],[3,65535],[0,7]]}`,
				jsonArray(doubles, 64), jsonArray(singles, 32))
			want := fmt.Sprintf(`{"doubles":%s,"singles":%s,"text":"a\"\\\n\u0001é😀\udc00","flags":[true,false],"small":-128,"big":18446744073709551615,"neg":-9223372036854775808,"raw":[0,128,255],"grid":[[1,2],[3,65535],[0,7]]}`,
				ecmaArray(doubles, 64), ecmaArray(singles, 32))
			for _, run := range [][2]string{{"parent", "child"}, {"parent-go", "child-go"}, {"parent", "child-go"}, {"parent-go", "child"}} {
				got := h.run(t, bin, h.Prog(run[0]), "--record", input, h.ChildArg(filepath.Join(bin, h.Prog(run[1]))))
				if got.status != 0 || strings.TrimSpace(got.stdout) != want {
					t.Errorf("round %d: %s writing, %s printing: %s\nwant:\n%s", round, run[0], run[1], got, want)
				}
			}
		}
		// REFERENCE.md's example is one the parents take.
		readme, err := os.ReadFile(filepath.Join(dir, "REFERENCE.md"))
		if err != nil {
			t.Fatal(err)
		}
		example := regexp.MustCompile("`bin/parent --record '([^']*)'`").FindSubmatch(readme)
		if example == nil {
			t.Fatal("REFERENCE.md shows no bin/parent --record example")
		}
		for _, parent := range []string{"parent", "parent-go"} {
			if got := h.run(t, bin, h.Prog(parent), "--record", string(example[1])); got.status != 0 || !strings.Contains(got.stdout, strings.Trim(string(example[1]), "{}")) {
				t.Errorf("%s --record %s, the README's example: %s", parent, example[1], got)
			}
		}
		for _, bad := range []struct{ json, why string }{
			{`{"small":128}`, "out of range"},
			{`{"big":-1}`, "out of range"},
			{`{"doubles":[1e400]}`, "out of range"},
			{`{"text":"123456789012"}`, "text is"},
			{`{"nothing":1}`, "field"},
			{`{"small":1,"small":2}`, "given twice"},
			{`{"flags":[true]}`, "array of"},
			{`{"small":1.5}`, "integer"},
			{`{"small":1} x`, "after the record"},
		} {
			for _, parent := range []string{"parent", "parent-go"} {
				got := h.run(t, bin, h.Prog(parent), "--record", bad.json)
				if got.status == 0 || !strings.Contains(got.stderr, bad.why) {
					t.Errorf("%s --record %s: %s; want a failure that says %q", parent, bad.json, got, bad.why)
				}
			}
		}
	})
}

// ecmaArray writes floats as the hosts must: the shortest round-trip
// digits for the size, in ECMAScript's Number-to-string form.
func ecmaArray(fs []float64, bits int) string {
	var parts []string
	for _, f := range fs {
		e := strconv.FormatFloat(f, 'e', -1, bits)
		sign := ""
		if e[0] == '-' {
			sign, e = "-", e[1:]
		}
		mant, exp, _ := strings.Cut(e, "e")
		digits := strings.Replace(mant, ".", "", 1)
		x, _ := strconv.Atoi(exp)
		k, n := len(digits), x+1
		var s string
		switch {
		case k <= n && n <= 21:
			s = digits + strings.Repeat("0", n-k)
		case 0 < n && n <= 21:
			s = digits[:n] + "." + digits[n:]
		case -6 < n && n <= 0:
			s = "0." + strings.Repeat("0", -n) + digits
		default:
			s = digits[:1]
			if k > 1 {
				s += "." + digits[1:]
			}
			s += fmt.Sprintf("e%+d", x)
		}
		parts = append(parts, sign+s)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// TestRecordJSONRefusesNaN: a record that holds a NaN or an infinity,
// which a C writer can store and JSON cannot hold, is refused by both
// children, naming the field, rather than printed as something else.
func TestRecordJSONRefusesNaN(t *testing.T) {
	serial(t)
	overHosts(t, func(t *testing.T, h *host) {
		freshRecord(t, h)
		bin := filepath.Join(sharedProject(t, "record", recordArgs...), "bin")
		h.cProgram(t, bin, "record", false)
		for _, child := range []string{"child", "child-go"} {
			got := h.run(t, bin, h.Prog("record"), "nan", h.Prog(child))
			wantOutput(t, got, "written: ok=1 status=0", h.Prog(child)+": exit=1")
			if !strings.Contains(got.stderr, "temp") || !strings.Contains(got.stderr, "JSON cannot hold") {
				t.Errorf("%s --record of a NaN: %s; want a failure naming temp", child, got)
			}
		}
	})
}

// nestedRecordYAML is a record whose fields are records of inputs.types,
// which only shmemgen.yaml declares: a record, an array of records, and
// an array of texts.
const nestedRecordYAML = `  record:
    name: Track
    fields:
      - {name: id, type: u32}
      - {name: at, type: Point}
      - {name: path, type: 'Point[2]'}
      - {name: tags, type: 'utf16[4][2]'}
  types:
    - name: Point
      fields:
        - {name: x, type: f32}
        - {name: "y", type: f64}
`

// nestedArgs are TestRecordJSONNested's project's flags, before
// nestRecord gives it nestedRecordYAML's record (prebuiltProjects).
var nestedArgs = []string{"--name", "shmemgen-e2e-nested", "--os", "windows,linux"}

// nestRecord declares nestedRecordYAML's record in the project's
// shmemgen.yaml and regenerates it.
func nestRecord(dir string) error {
	file := filepath.Join(dir, "shmemgen.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	edited := strings.Replace(string(data), "\nfiles:", "\n"+nestedRecordYAML+"files:", 1)
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		return err
	}
	if out, err := exec.Command(shmemgen, "generate", "--dir", dir).CombinedOutput(); err != nil {
		return fmt.Errorf("shmemgen generate: %v\n%s", err, out)
	}
	return nil
}

// TestRecordJSONNested: nested records print as objects, arrays of them
// as arrays of objects, alike from C and Go, on each system.
func TestRecordJSONNested(t *testing.T) {
	serial(t)
	dir := newProject(t, "nested", nestedArgs...)
	bin := filepath.Join(dir, "bin")
	input := `{"tags":["ab","\u00e9"],"path":[{"x":1.5,"y":-0.1},{"y":1e-7}],"at":{"x":3.4028235e38,"y":5e-324},"id":7}`
	want := `{"id":7,"at":{"x":3.4028235e+38,"y":5e-324},"path":[{"x":1.5,"y":-0.1},{"x":0,"y":1e-7}],"tags":["ab","é"]}`
	overHosts(t, func(t *testing.T, h *host) {
		// A segment of its own, which an earlier run may have left.
		h.run(t, bin, h.Prog("parent"), "--unlink")
		t.Cleanup(func() { h.run(t, bin, h.Prog("parent"), "--unlink") })
		for _, run := range [][2]string{{"parent", "child"}, {"parent-go", "child-go"}, {"parent", "child-go"}, {"parent-go", "child"}} {
			got := h.run(t, bin, h.Prog(run[0]), "--record", input, h.ChildArg(filepath.Join(bin, h.Prog(run[1]))))
			if got.status != 0 || strings.TrimSpace(got.stdout) != want {
				t.Errorf("%s writing, %s printing: %s\nwant:\n%s", run[0], run[1], got, want)
			}
		}
	})
}
