/*
 * alive checks how the library decides that the lock's holder is dead,
 * with holders that are alive or dead in the ways that fool a simple
 * check. Each holder holds the lock inside a real export, a write whose
 * source faults on an inaccessible page (trap.h), and this process, the
 * driver, calls the library meanwhile.
 *
 *   alive thread   (Linux) the holder's main thread ends (pthread_exit)
 *                  while another thread is inside the write, slow for
 *                  1.5 s: /proc shows the process as a zombie, but it
 *                  lives. The driver's set must wait for the write to end,
 *                  never take the lock over.
 *   alive exit259  the holder dies inside the write with exit code 259,
 *                  STILL_ACTIVE on Windows, while the driver keeps a handle
 *                  to it open: it must be taken over all the same, and its
 *                  write read as ABANDONED.
 *   alive hold MODE GATE  the holder for MODE (thread or exit259); GATE is
 *                  posted once it is inside the lock
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shmem.h"
#include "port.h"
#include "status.h"
#include "spawn.h"
#include "trap.h"

/* The holder writes HOLDER_BYTES at the payload's end; what it reads from
 * past them is the trap. */
#define HOLDER_BYTES 64
#define HOLDER_OFFSET (SHMEM_PAYLOAD_SIZE - 2 * HOLDER_BYTES)

static void holder_write(gate inside, enum trap_action action, DWORD arg)
{
    BYTE *src = trap_source(HOLDER_BYTES, 'H', action, arg, inside);
    WriteSharedBytes(src, HOLDER_OFFSET, 2 * HOLDER_BYTES);
}

#ifndef _WIN32
static gate thread_gate;

static void *thread_holder(void *unused)
{
    (void)unused;
    holder_write(thread_gate, TRAP_SLOW, 1500);
    /* The library's Go runtime has threads of its own, which would keep
     * the process alive after this one returned. */
    exit(0);
}
#endif

static int hold(const char *mode, const char *gate_name)
{
    gate inside = gate_open(gate_name);
    SharedMemSize(); /* set up before the trap is armed */
    if (strcmp(mode, "exit259") == 0) {
        holder_write(inside, TRAP_DIE, 259);
        return 1; /* not reached */
    }
#ifndef _WIN32
    thread_gate = inside;
    pthread_t t;
    pthread_create(&t, NULL, thread_holder, NULL);
    while (__atomic_load_n(&trap_state.faults, __ATOMIC_SEQ_CST) == 0)
        sleep_ms(1);
    pthread_exit(NULL);
#endif
    return 2;
}

/* start_holder starts "alive hold MODE GATE" and returns once the holder
 * is inside the lock. */
static proc start_holder(const char *mode)
{
    char args[64];
    snprintf(args, sizeof args, "hold %s", mode);
    proc holder = trap_start(args);
    printf("holder inside the lock\n");
    return holder;
}

static int thread(void)
{
    SharedMemSize();
    volatile SHMEM_HEADER *h = map_header(FALSE);
    proc holder = start_holder("thread");
    sleep_ms(200); /* its main thread is gone by now: a zombie in /proc */
    ULONGLONG before = h->generation;
    BOOL ok = SetSharedMem((LPWSTR)u"after");
    DWORD status = SharedMemLastError();
    /* Had the set taken the lock over, the holder's write would still be
     * to come: its generation comes first. */
    printf("set: ok=%d status=%s writes=%llu\n", ok ? 1 : 0, status_name(status),
           (unsigned long long)(h->generation - before));
    unsigned long code = 1;
    proc_wait(holder, 60000, &code);
    printf("holder exit=%lu\n", code);
    return 0;
}

static int exit259(void)
{
    SetSharedMem((LPWSTR)u"before");
    proc holder = start_holder("exit259");
    /* The holder dies now; the handle stays open until after the get. */
    unsigned long code = 0;
    proc_wait(holder, 60000, &code);
    printf("holder exit=%lu\n", code);
    BYTE b[2 * HOLDER_BYTES];
    BOOL ok = ReadSharedBytes(b, HOLDER_OFFSET, sizeof b);
    printf("read its bytes: ok=%d status=%s\n", ok ? 1 : 0, status_name(SharedMemLastError()));
    static WCHAR out[64];
    ok = GetSharedMem(out, ARRAYSIZE(out));
    printf("get: ok=%d status=%s text=\"%s\"\n", ok ? 1 : 0, status_name(SharedMemLastError()), ascii(out));
#ifdef _WIN32
    CloseHandle(holder);
#endif
    return 0;
}

static int program(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "hold") == 0)
        return hold(argv[2], argv[3]);
    if (argc == 2 && strcmp(argv[1], "thread") == 0)
        return thread();
    if (argc == 2 && strcmp(argv[1], "exit259") == 0)
        return exit259();
    fprintf(stderr, "usage: alive thread | exit259 | hold MODE GATE\n");
    return 2;
}
