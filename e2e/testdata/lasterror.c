/*
 * lasterror checks that every export leaves the caller's last error as it
 * found it (GetLastError on Windows, errno on Linux): the library reports
 * through its status export, and a caller that reads the system's last
 * error after a call of its own must not find one the library left. Each
 * export is called on its fast path, on its failures, and on the slow
 * paths that call into the system: waiting for a live holder, taking the
 * lock over from a dead one, a wait that times out.
 *
 *   lasterror            drive; prints a line per call: kept or changed
 *   lasterror hold MODE GATE  a holder inside the lock (trap.h): slow
 *                        (300 ms, then done) or die; GATE is posted once
 *                        it is inside
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shmem.h"
#include "port.h"
#include "status.h"
#include "spawn.h"
#include "trap.h"

#define SENTINEL 12345678UL

static void put(void)
{
#ifdef _WIN32
    SetLastError(SENTINEL);
#else
    errno = (int)SENTINEL;
#endif
}

static unsigned long got(void)
{
#ifdef _WIN32
    return GetLastError();
#else
    return (unsigned long)errno;
#endif
}

/* CALL runs expr with the sentinel as the last error and says whether it
 * is still there after. */
#define CALL(what, expr)                                                                                              \
    do {                                                                                                              \
        put();                                                                                                        \
        (void)(expr);                                                                                                 \
        unsigned long e = got();                                                                                      \
        if (e == SENTINEL)                                                                                            \
            printf("%s: kept\n", what);                                                                               \
        else                                                                                                          \
            printf("%s: changed to %lu\n", what, e);                                                                  \
    } while (0)

static int hold(const char *mode, const char *gate_name)
{
    gate inside = gate_open(gate_name);
    SharedMemSize();
    BYTE *src = trap_source(64, 'H', strcmp(mode, "die") == 0 ? TRAP_DIE : TRAP_SLOW, 300, inside);
    WriteSharedBytes(src, 0, 128);
    return 0;
}

/* start_holder starts "lasterror hold MODE GATE" and returns once the holder
 * is inside the lock. */
static proc start_holder(const char *mode)
{
    char args[64];
    snprintf(args, sizeof args, "hold %s", mode);
    proc holder = trap_start(args);
    return holder;
}

static int drive(void)
{
    static WCHAR out[64];
    static BYTE b[16];
    ULONGLONG g = 0;
    unsigned long code;

    CALL("set", SetSharedMem((LPWSTR)u"x"));
    CALL("get", GetSharedMem(out, ARRAYSIZE(out)));
    CALL("write bytes", WriteSharedBytes(b, 0, sizeof b));
    CALL("read bytes", ReadSharedBytes(b, 0, sizeof b));
    CALL("size", SharedMemSize());
    CALL("length", SharedMemLength());
    CALL("wait from 0", WaitSharedMem(&g, 0));
    CALL("status", SharedMemLastError());
    CALL("set NULL", SetSharedMem(NULL));
    CALL("get NULL", GetSharedMem(NULL, 0));
    CALL("write bytes out of range", WriteSharedBytes(b, SHMEM_PAYLOAD_SIZE, 1));
    CALL("wait NULL", WaitSharedMem(NULL, 0));
    CALL("wait timing out", WaitSharedMem(&g, 30));

    proc holder = start_holder("slow");
    CALL("set waiting for a live holder", SetSharedMem((LPWSTR)u"y"));
    proc_wait(holder, 60000, &code);

    holder = start_holder("die");
    proc_wait(holder, 60000, &code);
    CALL("read bytes taking the lock over", ReadSharedBytes(b, 0, sizeof b));
    CALL("status after the takeover", SharedMemLastError());
    /* Last: on Linux it removes the segment's name. */
    CALL("unlink", UnlinkSharedMem());
    return 0;
}

static int program(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "hold") == 0)
        return hold(argv[2], argv[3]);
    if (argc == 1)
        return drive();
    fprintf(stderr, "usage: lasterror | lasterror hold slow|die GATE\n");
    return 2;
}
