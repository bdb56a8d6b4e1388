/*
 * edge calls the default exports at their boundaries and prints one
 * "case: result" line each, for boundary_test.go to check. The mapping is
 * 4096 bytes: 2048 characters, terminator included.
 */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

#include "shmem.h"

#define CAPACITY 2048
#define SENTINEL 0x5a5a

static WCHAR in[4 * CAPACITY];
static WCHAR out[4 * CAPACITY];

static void fill(WCHAR c, int n)
{
    for (int i = 0; i < n; i++)
        in[i] = c;
    in[n] = 0;
}

static void poison(void)
{
    for (int i = 0; i < 4 * CAPACITY; i++)
        out[i] = SENTINEL;
}

/* report prints the call's result, the length read back and whether the
 * first untouched slot still holds the sentinel. */
static void report(const char *name, BOOL ok, int after)
{
    printf("%s: ok=%d len=%d sentinel=%d\n", name, ok ? 1 : 0, out[0] == SENTINEL ? -1 : (int)wcslen(out),
           after >= 0 ? out[after] == SENTINEL : -1);
}

int main(void)
{
    BOOL ok;

    printf("set NULL: ok=%d\n", SetSharedMem(NULL) ? 1 : 0);
    printf("get NULL: ok=%d\n", GetSharedMem(NULL, 10) ? 1 : 0);
    printf("set bad pointer: ok=%d\n", SetSharedMem((LPWSTR)(ULONG_PTR)8) ? 1 : 0);
    printf("get bad pointer: ok=%d\n", GetSharedMem((LPWSTR)(ULONG_PTR)8, 10) ? 1 : 0);

    fill(L'a', 5);
    SetSharedMem(in);
    poison();
    ok = GetSharedMem(out, 0);
    report("get cch 0", ok, 0);
    poison();
    ok = GetSharedMem(out, 1);
    report("get cch 1", ok, 1);
    poison();
    ok = GetSharedMem(out, 2);
    report("get cch 2", ok, 2);

    fill(L'e', 0);
    ok = SetSharedMem(in);
    poison();
    GetSharedMem(out, 10);
    report("set empty", ok, 1);

    fill(L'x', CAPACITY - 1);
    ok = SetSharedMem(in);
    poison();
    GetSharedMem(out, 4 * CAPACITY);
    report("set capacity-1", ok, CAPACITY);

    fill(L'y', CAPACITY);
    ok = SetSharedMem(in);
    poison();
    GetSharedMem(out, 4 * CAPACITY);
    report("set capacity", ok, CAPACITY);

    fill(L'z', 3 * CAPACITY);
    ok = SetSharedMem(in);
    poison();
    GetSharedMem(out, 4 * CAPACITY);
    report("set 3x capacity", ok, CAPACITY);

    ok = SetSharedMem((LPWSTR)L"a\xd83d\xde00z");
    poison();
    GetSharedMem(out, 10);
    printf("surrogates: ok=%d same=%d\n", ok ? 1 : 0, wcscmp(out, L"a\xd83d\xde00z") == 0);
    poison();
    ok = GetSharedMem(out, 3);
    report("get keeps surrogate pairs whole", ok, 3);

    /* A pair straddling the end of the mapping is dropped whole. */
    fill(L'w', CAPACITY - 2);
    in[CAPACITY - 2] = 0xd83d;
    in[CAPACITY - 1] = 0xde00;
    in[CAPACITY] = 0;
    ok = SetSharedMem(in);
    poison();
    GetSharedMem(out, 4 * CAPACITY);
    report("set keeps surrogate pairs whole", ok, CAPACITY);
    return 0;
}
