// Package cnames lists the identifiers that C headers declare at file
// scope, and the macros they define, by preprocessing them with a real
// compiler: the list of names an export may not take is derived from the
// headers the generated code includes, not written by hand.
package cnames

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Headers are what the generated C code and cgo's header include.
var Headers = []string{"windows.h", "stdio.h", "stdlib.h", "wchar.h", "stddef.h", "string.h", "stdint.h", "uchar.h", "limits.h", "errno.h", "time.h"}

// Compiler is the mingw-w64 C compiler the generated project builds with.
const Compiler = "x86_64-w64-mingw32-gcc"

// FromHeaders preprocesses a file including headers with cc and returns
// every macro it defines and every identifier declared at file scope:
// functions, variables, typedef names, tags and enumerators.
func FromHeaders(cc string, headers []string) ([]string, error) {
	dir, err := os.MkdirTemp("", "cnames")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var src strings.Builder
	for _, h := range headers {
		fmt.Fprintf(&src, "#include <%s>\n", h)
	}
	file := filepath.Join(dir, "h.c")
	if err := os.WriteFile(file, []byte(src.String()), 0o644); err != nil {
		return nil, err
	}
	run := func(args ...string) ([]byte, error) {
		cmd := exec.Command(cc, append(args, file)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("%s %s: %v\n%s", cc, strings.Join(args, " "), err, stderr.Bytes())
		}
		return out, nil
	}
	macros, err := run("-E", "-dM")
	if err != nil {
		return nil, err
	}
	decls, err := run("-E", "-P")
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, m := range Macros(macros) {
		names[m] = true
	}
	for _, d := range Declared(decls) {
		names[d] = true
	}
	return sorted(names), nil
}

var defineLine = regexp.MustCompile(`^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)`)

// Macros returns the names that the #define lines of src define.
func Macros(src []byte) []string {
	names := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if m := defineLine.FindSubmatch(sc.Bytes()); m != nil {
			names[string(m[1])] = true
		}
	}
	return sorted(names)
}

// Declared returns the identifiers that preprocessed C source declares or
// uses at file scope: every identifier outside braces, parentheses and
// brackets (declared names, and the type names they use, which are
// declared too); declarator names inside parentheses, as in
// typedef int (*FARPROC)(void) or void (*signal(int, void (*)(int)))(int);
// and enumerators. It is a superset of the file-scope names (a keyword, or
// a parameter of a function-pointer parameter, may slip in), which is the
// safe side for a list of names to refuse. Lines starting with # are
// skipped.
func Declared(src []byte) []string {
	toks := tokenize(src)
	names := map[string]bool{}
	var (
		paren, bracket int
		braces         []bool // one per open brace: whether it opens an enum body
		enumPending    bool   // "enum" seen, its brace not yet
	)
	for i, t := range toks {
		switch t {
		case "(":
			paren++
		case ")":
			paren--
		case "[":
			bracket++
		case "]":
			bracket--
		case "{":
			braces = append(braces, enumPending)
			enumPending = false
		case "}":
			if len(braces) > 0 {
				braces = braces[:len(braces)-1]
			}
		case ";":
			enumPending = false
		}
		if !isIdent(t) {
			continue
		}
		if t == "enum" {
			enumPending = true
		}
		prev, next := "", ""
		if i > 0 {
			prev = toks[i-1]
		}
		if i+1 < len(toks) {
			next = toks[i+1]
		}
		switch {
		case len(braces) == 0 && paren == 0 && bracket == 0:
			names[t] = true
		case len(braces) == 0 && prev == "*" && i >= 2 && (toks[i-2] == "(" || toks[i-2] == ")") && (next == ")" || next == "("):
			names[t] = true
		case len(braces) > 0 && braces[len(braces)-1] && (prev == "{" || prev == ",") && (next == "=" || next == "," || next == "}"):
			names[t] = true
		}
	}
	return sorted(names)
}

func isIdent(t string) bool {
	if t == "" {
		return false
	}
	c := t[0]
	return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// tokenize splits C source into identifiers, numbers and punctuation,
// dropping comments, string and character literals and # lines.
func tokenize(src []byte) []string {
	var toks []string
	s := string(src)
	lineStart := true
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\n':
			lineStart = true
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case lineStart && c == '#':
			// A directive (or a stray line marker): skip to the end of the
			// line, with continuations.
			for i < len(s) && s[i] != '\n' {
				if s[i] == '\\' && i+1 < len(s) && s[i+1] == '\n' {
					i++
				}
				i++
			}
			continue
		}
		lineStart = false
		switch {
		case strings.HasPrefix(s[i:], "//"):
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return toks
			}
			i += end + 4
		case c == '"' || c == '\'':
			i++
			for i < len(s) && s[i] != c && s[i] != '\n' {
				if s[i] == '\\' {
					i++
				}
				i++
			}
			i++
		case isIdentStart(c):
			j := i
			for j < len(s) && (isIdentStart(s[j]) || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && (isIdentStart(s[j]) || s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			toks = append(toks, string(c))
			i++
		}
	}
	return toks
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

func sorted(m map[string]bool) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// rawString matches a Go raw string constant or variable.
var rawString = regexp.MustCompile("(?s)(?:const|var)\\s+\\w+\\s*=\\s*`([^`]*)`")

// FromCgo returns the names cgo's own C code declares, read from the C in
// the raw strings of cmd/cgo's out.go under goroot (the prologs of every
// cgo file and of the export header: GoString, GoInt, _GoString_, …), and
// the functions cgo gives Go code as C.NAME.
func FromCgo(goroot string) ([]string, error) {
	src, err := os.ReadFile(filepath.Join(goroot, "src", "cmd", "cgo", "out.go"))
	if err != nil {
		return nil, err
	}
	names := map[string]bool{"CString": true, "CBytes": true, "GoString": true, "GoStringN": true, "GoBytes": true}
	for _, m := range rawString.FindAllSubmatch(src, -1) {
		c := m[1]
		for _, n := range Macros(c) {
			names[n] = true
		}
		for _, n := range Declared(c) {
			names[n] = true
		}
	}
	if !names["GoString"] || !names["_GoString_"] || !names["GoInt"] {
		return nil, fmt.Errorf("%s: found no GoInt, GoString or _GoString_: has cgo changed?", goroot)
	}
	return sorted(names), nil
}

// exportable matches the names an export could take at all: the rest need
// no listing.
var exportable = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)

// SysNamesFile is the content of config/sysnames.txt: a header, then every
// name from Headers (with Compiler) and from cgo under goroot that an
// export could take, sorted, one a line.
func SysNamesFile(goroot string) ([]byte, error) {
	fromHeaders, err := FromHeaders(Compiler, Headers)
	if err != nil {
		return nil, err
	}
	fromCgo, err := FromCgo(goroot)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, n := range append(fromHeaders, fromCgo...) {
		if exportable.MatchString(n) {
			names[n] = true
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Code generated by go run ./internal/cnames/mksysnames; DO NOT EDIT.\n")
	fmt.Fprintf(&b, "# Names declared or defined by %s with %s, and by cgo.\n", strings.Join(Headers, ", "), Compiler)
	for _, n := range sorted(names) {
		b.WriteString(n)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

var namedRawString = regexp.MustCompile("(?s)const\\s+(\\w+)\\s*=\\s*`([^`]*)`")

// CgoExportProlog returns the C that cgo writes at the top of an export
// header for a 64-bit target, read from cmd/cgo under goroot, so that a
// test can compile declarations as they appear in the generated header.
func CgoExportProlog(goroot string) (string, error) {
	src, err := os.ReadFile(filepath.Join(goroot, "src", "cmd", "cgo", "out.go"))
	if err != nil {
		return "", err
	}
	consts := map[string]string{}
	for _, m := range namedRawString.FindAllSubmatch(src, -1) {
		consts[string(m[1])] = string(m[2])
	}
	builtin, header := consts["builtinExportProlog"], consts["gccExportHeaderProlog"]
	if builtin == "" || header == "" {
		return "", fmt.Errorf("%s: no builtinExportProlog or gccExportHeaderProlog in cmd/cgo: has cgo changed?", goroot)
	}
	return builtin + strings.ReplaceAll(header, "GOINTBITS", "64"), nil
}
