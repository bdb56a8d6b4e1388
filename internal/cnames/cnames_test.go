package cnames

import (
	"slices"
	"testing"
)

func TestDeclared(t *testing.T) {
	src := `
# 1 "x.h"
typedef unsigned long DWORD;
typedef int (__attribute__((__stdcall__)) *FARPROC)(void);
void (*signal(int sig, void (*handler)(int)))(int);
__attribute__((dllimport)) void __attribute__((__stdcall__)) Sleep(DWORD dwMilliseconds);
int Query(void *Handle, void **Value, char *Name);
extern int errno_value;
struct tagPOINT { long x; long y; };
enum COLOR { RED = 1, GREEN, BLUE };
typedef enum { WAIT_ONE = 0, WAIT_TWO } WAITS;
static __inline__ int inlined(int a) { int local = a; return local; }
const char *s = "NotAName(";
/* Comment */ int after;
`
	got := Declared([]byte(src))
	for _, want := range []string{"DWORD", "FARPROC", "signal", "Sleep", "errno_value", "tagPOINT", "RED", "GREEN", "BLUE", "COLOR", "WAIT_ONE", "WAIT_TWO", "WAITS", "inlined", "s", "after", "Query"} {
		if !slices.Contains(got, want) {
			t.Errorf("Declared misses %s: %v", want, got)
		}
	}
	for _, not := range []string{"dwMilliseconds", "x", "y", "local", "a", "NotAName", "Comment", "sig", "Handle", "Value", "Name"} {
		if slices.Contains(got, not) {
			t.Errorf("Declared has %s, which is not at file scope: %v", not, got)
		}
	}
}

func TestMacros(t *testing.T) {
	got := Macros([]byte("#define MAX_PATH 260\n#  define near\n#define min(a,b) x\nint y;\n"))
	if want := []string{"MAX_PATH", "min", "near"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
