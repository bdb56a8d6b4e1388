/*
 * edge calls the default exports at their boundaries and prints one
 * "case: result" line each, for boundary_test.go to check. The mapping is
 * 4096 bytes: 2048 characters, terminator included.
 */
#include <stdio.h>
#include <string.h>

#include "shmem.h"
#include "port.h"
#include "status.h"

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

/* report prints the result and status of the call just made (a set or
 * get), the length read back and whether the first untouched slot still
 * holds the sentinel. */
static void report(const char *name, BOOL ok, int after)
{
    DWORD status = SharedMemLastError();
    printf("%s: ok=%d status=%s len=%d sentinel=%d\n", name, ok ? 1 : 0, status_name(status),
           out[0] == SENTINEL ? -1 : (int)u16len(out), after >= 0 ? out[after] == SENTINEL : -1);
}

/* set_then_read sets in, keeps the set's result and status, then reads the
 * string back whole into a poisoned out. */
static void set_then_read(const char *name)
{
    BOOL ok = SetSharedMem(in);
    DWORD status = SharedMemLastError();
    ULONGLONG length = SharedMemLength();
    poison();
    GetSharedMem(out, 4 * CAPACITY);
    printf("%s: ok=%d status=%s length=%llu len=%d sentinel=%d\n", name, ok ? 1 : 0, status_name(status), (unsigned long long)length,
           (int)u16len(out), out[CAPACITY] == SENTINEL);
}

/* alignments sets and gets strings of every length up to 40 from and to
 * every alignment, the odd one included, where the exports read 8
 * characters at a time, and counts the round trips that differ. */
static int alignments(void)
{
    static BYTE src[256], dst[256];
    int bad = 0;
    for (int from = 0; from < 17; from++) {
        for (int n = 0; n <= 40; n++) {
            WCHAR *s = (WCHAR *)(src + from), *d = (WCHAR *)(dst + 16 - from / 2 * 2);
            for (int i = 0; i < n; i++)
                s[i] = (WCHAR)(u'A' + (i + from) % 26);
            s[n] = 0;
            memset(dst, 0x5a, sizeof dst);
            if (!SetSharedMem(s) || !GetSharedMem(d, 64) || SharedMemLength() != (ULONGLONG)n ||
                u16ncmp(s, d, (size_t)n + 1) != 0 || ((BYTE *)(d + n + 1))[0] != 0x5a)
                bad++;
        }
    }
    return bad;
}

static int program(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    BOOL ok;

    ok = SetSharedMem(NULL);
    printf("set NULL: ok=%d status=%s\n", ok ? 1 : 0, status_name(SharedMemLastError()));
    ok = GetSharedMem(NULL, 10);
    printf("get NULL: ok=%d status=%s\n", ok ? 1 : 0, status_name(SharedMemLastError()));

    fill(u'a', 5);
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
    poison();
    ok = GetSharedMem(out, 6);
    report("get cch 6", ok, 6);

    fill(u'e', 0);
    set_then_read("set empty");
    fill(u'x', CAPACITY - 1);
    set_then_read("set capacity-1");
    fill(u'y', CAPACITY);
    set_then_read("set capacity");
    fill(u'z', 3 * CAPACITY);
    set_then_read("set 3x capacity");

    ok = SetSharedMem((LPWSTR)u"a\xd83d\xde00z");
    poison();
    GetSharedMem(out, 10);
    printf("surrogates: ok=%d same=%d\n", ok ? 1 : 0, u16cmp(out, u"a\xd83d\xde00z") == 0);
    poison();
    ok = GetSharedMem(out, 3);
    report("get keeps surrogate pairs whole", ok, 3);

    /* A pair straddling the end of the mapping is dropped whole. */
    fill(u'w', CAPACITY - 2);
    in[CAPACITY - 2] = 0xd83d;
    in[CAPACITY - 1] = 0xde00;
    in[CAPACITY] = 0;
    set_then_read("set keeps surrogate pairs whole");

    printf("alignments: differ=%d\n", alignments());
    return 0;
}
