/*
 * trapwriter is the other process of the Go client's fault tests
 * (client_fault_test.go): a writer that holds the lock for a while inside
 * an export, again and again, or one that dies half-way through a write.
 * It links against the project's library and expects the default 4096-byte
 * payload.
 *
 * Usage:
 *   trapwriter slow MS LIMIT
 *                       hold the lock MS milliseconds at a time, through a
 *                       byte write into the payload's last 64 bytes,
 *                       until byte STOP_OFFSET of the payload is 1 (it
 *                       clears it first, then prints "ready"); then print
 *                       "holds=N" and exit 0. Gives up, exit 1, after
 *                       LIMIT milliseconds.
 *   trapwriter die      set the string "TORN" over the first 4 characters
 *                       of the shared string and die (exit 7) before the
 *                       rest: the copy faults on the page after them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shmem.h"
#include "port.h"
#include "status.h"
#include "trap.h"

#define SIZE ((ULONGLONG)SHMEM_PAYLOAD_SIZE)
/* STOP_OFFSET is the payload byte that tells a slow writer to stop: past
 * what the Go client's test writes and checks, before the last 64 bytes. */
#define STOP_OFFSET (SIZE - 65)

static int slow(DWORD ms, DWORD limit)
{
    BYTE flag = 0;
    if (!WriteSharedBytes(&flag, STOP_OFFSET, 1)) {
        fprintf(stderr, "slow: clearing the stop byte: status=%s\n", status_name(SharedMemLastError()));
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    int holds = 0;
    ULONGLONG start = now_ms();
    while (now_ms() - start < limit) {
        /* 48 readable bytes, then the page: the copy stops there, inside
         * the lock, for ms milliseconds, and then goes on. */
        const void *src = trap_source(48, 0x5a, TRAP_SLOW, ms, NULL);
        if (!WriteSharedBytes(src, SIZE - 64, 64)) {
            fprintf(stderr, "slow: write: status=%s\n", status_name(SharedMemLastError()));
            return 1;
        }
        holds++;
        /* A gap, so that the callers waiting get the lock in between. */
        sleep_ms(2);
        if (!ReadSharedBytes(&flag, STOP_OFFSET, 1)) {
            fprintf(stderr, "slow: read: status=%s\n", status_name(SharedMemLastError()));
            return 1;
        }
        if (flag == 1)
            break;
    }
    printf("holds=%d faults=%d\n", holds, trap_state.faults);
    return flag == 1 ? 0 : 1;
}

static int die(void)
{
    /* The string export copies as it scans, forward: "TORN" reaches the
     * payload before the scan faults on the page after it. */
    WCHAR *src = trap_source(8, 0, TRAP_DIE, 7, NULL);
    memcpy(src, u"TORN", 8);
    SetSharedMem(src);
    fprintf(stderr, "die: the set returned\n");
    return 1;
}

static int program(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "slow") == 0)
        return slow((DWORD)atoi(argv[2]), (DWORD)atoi(argv[3]));
    if (argc == 2 && strcmp(argv[1], "die") == 0)
        return die();
    fprintf(stderr, "usage: trapwriter slow MS LIMIT | die\n");
    return 2;
}
