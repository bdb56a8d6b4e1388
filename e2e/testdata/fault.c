/*
 * fault makes a caller die inside an export, half-way through a write, as
 * a caller whose source pointer runs into an unreadable page dies in a
 * memcpy: the export marks the range it writes before it starts, so that
 * whoever takes the lock over records it as torn, and every read of it,
 * in every process, says ABANDONED until a write covers it.
 *
 *   fault           drive: for set and for write-bytes, start a child that
 *                   dies in the middle of the copy, then read and write
 *   fault die WHAT  die in the middle of WHAT (set or write), exit code 3
 *
 * The child dies by trap.h's TRAP_DIE, at once, as TerminateProcess or
 * SIGKILL would end it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shmem.h"
#include "port.h"
#include "status.h"
#include "spawn.h"
#include "trap.h"

/* The dead set copies DEAD_UNITS units of 'B' and faults on the next. */
#define DEAD_UNITS 1000

static int die(const char *what)
{
    if (strcmp(what, "set") == 0) {
        WCHAR *b = trap_source(DEAD_UNITS * sizeof(WCHAR), 0, TRAP_DIE, 3, NULL);
        for (int i = 0; i < DEAD_UNITS; i++)
            b[i] = u'B';
        SetSharedMem(b);
    } else {
        /* Half the payload readable, then the page. */
        BYTE *p = trap_source(SHMEM_PAYLOAD_SIZE / 2, 'W', TRAP_DIE, 3, NULL);
        WriteSharedBytes(p, 0, SHMEM_PAYLOAD_SIZE);
    }
    fprintf(stderr, "fault: the copy did not fault\n");
    return 1;
}

/* run_dead starts "fault die WHAT", waits for it and prints how it ended. */
static void run_dead(const char *what)
{
    char args[64];
    unsigned long code = 0;
    snprintf(args, sizeof args, "die %s", what);
    proc child = spawn(NULL, args);
    proc_wait(child, 0xffffffffUL, &code);
    printf("died in %s: exit=%lu\n", what, code);
}

/* get reads the string and prints its status, with its length and how
 * many 'B's it starts with when show is set. (What a dead memcpy wrote is
 * the C runtime's business: it may copy the end first.) */
static void get(BOOL show)
{
    static WCHAR out[SHMEM_CAPACITY];
    BOOL ok = GetSharedMem(out, ARRAYSIZE(out));
    DWORD status = SharedMemLastError();
    size_t bs = 0;
    while (out[bs] == u'B')
        bs++;
    if (show)
        printf("get: ok=%d status=%s length=%lu Bs=%lu\n", ok ? 1 : 0, status_name(status), (unsigned long)u16len(out),
               (unsigned long)bs);
    else
        printf("get: ok=%d status=%s\n", ok ? 1 : 0, status_name(status));
}

static void set(const WCHAR *text)
{
    BOOL ok = SetSharedMem(text);
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(SharedMemLastError()));
}

static void bytes(BOOL write)
{
    static BYTE b[SHMEM_PAYLOAD_SIZE];
    BOOL ok = write ? WriteSharedBytes(b, 0, sizeof b) : ReadSharedBytes(b, 0, sizeof b);
    printf("%s all bytes: ok=%d status=%s\n", write ? "write" : "read", ok ? 1 : 0, status_name(SharedMemLastError()));
}

static int program(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "die") == 0)
        return die(argv[2]);
    set(u"before");

    run_dead("set");
    /* What the dead set copied is there, and every read says so. */
    get(TRUE);
    get(TRUE);
    set(u"after");
    get(TRUE);

    run_dead("write");
    get(FALSE);
    bytes(FALSE);
    set(u"after");
    get(TRUE);
    bytes(FALSE);
    bytes(TRUE);
    bytes(FALSE);
    return 0;
}
