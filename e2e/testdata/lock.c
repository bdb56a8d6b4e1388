/*
 * lock takes part in the lock protocol without the DLL, as the header
 * allows any program to: it maps the section by SHMEM_MAPPING_NAME and
 * takes the header's lock word with its own process id and creation tag,
 * while the DLL, loaded at run time, has to get past it.
 *
 * Usage:
 *   lock.exe abandon  start a holder that marks a write of the whole
 *                     payload, kill it while it holds the lock, then read
 *                     and write: what it was writing reads as ABANDONED,
 *                     to every reader, until writes cover it
 *   lock.exe quiet    the same with a holder that was not writing: its
 *                     death costs nobody anything
 *   lock.exe timeout  start a holder; every export must time out while it
 *                     lives; then kill it and set
 *   lock.exe takeover  start a holder, kill it, and time the set that takes
 *                     the lock over (for the benchmark)
 *   lock.exe hold GATE [FROM TO]  take the lock, mark a write of bytes
 *                     FROM to TO of the payload if given, post GATE (see
 *                     port.h), and keep the lock until killed (the holder
 *                     the other modes start)
 *   lock.exe hold-setup EVENT  (Windows) take the mutex SHMEM_LOCK_NAME,
 *                     which the DLL holds while it sets up, set the event
 *                     EVENT and keep the mutex until killed
 *
 * The same on Linux, where the lock word's tag is of the process's start
 * time and a killed holder dies by SIGKILL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shmem.h"
#include "port.h"
#include "status.h"
#include "lib.h"
#include "spawn.h"


/* owner_word is this process's lock word, as the header's protocol
 * spells it: the process id and the tag of its creation time. */
static LONGLONG owner_word(void)
{
#ifdef _WIN32
    FILETIME created, exited, kernel, user;
    GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user);
    ULARGE_INTEGER t = {.LowPart = created.dwLowDateTime, .HighPart = created.dwHighDateTime};
    return (LONGLONG)GetCurrentProcessId() | (LONGLONG)SHMEM_OWNER_TAG(t.QuadPart) << 32;
#else
    /* The start time in clock ticks since boot: field 22 of
     * /proc/self/stat, counted after the command in parentheses. */
    char stat[1024];
    unsigned long long start = 0;
    FILE *f = fopen("/proc/self/stat", "r");
    size_t n = f ? fread(stat, 1, sizeof stat - 1, f) : 0;
    if (f)
        fclose(f);
    stat[n] = 0;
    char *p = strrchr(stat, ')');
    for (int field = 2; p != NULL && field < 22; field++)
        p = strchr(p + 1, ' ');
    if (p == NULL || sscanf(p + 1, "%llu", &start) != 1) {
        fprintf(stderr, "hold: cannot read /proc/self/stat\n");
        exit(1);
    }
    return (LONGLONG)getpid() | (LONGLONG)SHMEM_OWNER_TAG_LINUX(start) << 32;
#endif
}

static int hold(const char *gate_name, const char *from, const char *to)
{
    gate held = gate_open(gate_name);
    volatile SHMEM_HEADER *header = map_header(TRUE);
    __typeof__(header->lock + 0) expected = 0;
    if (!__atomic_compare_exchange_n(&header->lock, &expected, (__typeof__(expected))owner_word(), 0, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST)) {
        fprintf(stderr, "hold: the lock is taken\n");
        return 1;
    }
    if (to != NULL) {
        /* A writer marks its range before it changes a byte of it. */
        header->writing_from = strtoull(from, NULL, 10);
        header->writing_to = strtoull(to, NULL, 10);
        /* Then makes the payload's sequence count odd: a read that takes
         * no lock reads again, and at last waits for the lock. */
        header->seq = header->seq + 1;
    }
    gate_post(held, 1);
    sleep_ms(60000); /* the driver kills us long before */
    return 1;
}

#ifdef _WIN32
static int hold_setup(const char *event)
{
    WCHAR event_name[128];
    MultiByteToWideChar(CP_UTF8, 0, event, -1, event_name, ARRAYSIZE(event_name));
    HANDLE lock = CreateMutexW(NULL, FALSE, SHMEM_LOCK_NAME);
    HANDLE held = OpenEventW(EVENT_MODIFY_STATE, FALSE, event_name);
    if (lock == NULL || held == NULL) {
        fprintf(stderr, "hold-setup: cannot open the mutex or the event (error %lu)\n", GetLastError());
        return 1;
    }
    if (WaitForSingleObject(lock, 10000) != WAIT_OBJECT_0) {
        fprintf(stderr, "hold-setup: cannot take the mutex\n");
        return 1;
    }
    SetEvent(held);
    Sleep(60000);
    return 1;
}
#endif

/* start_holder starts "lock hold", marking a write of the whole payload
 * when writing is set, and returns once it holds the lock. */
static proc start_holder(BOOL writing)
{
    char gate_name[64], args[128];
    unsigned long code;
    snprintf(gate_name, sizeof gate_name, "shmemgen-held-%lu", (unsigned long)my_pid());
    gate held = gate_create(gate_name);
    if (writing)
        snprintf(args, sizeof args, "hold %s 0 %llu", gate_name, (unsigned long long)SHMEM_PAYLOAD_SIZE);
    else
        snprintf(args, sizeof args, "hold %s", gate_name);
    proc holder = spawn(NULL, args);
    for (int i = 0;; i++) {
        if (gate_wait(held, 100))
            break;
        if (i == 600 || proc_wait(holder, 0, &code)) {
            fprintf(stderr, "lock: the holder exited or hung before taking the lock\n");
            exit(1);
        }
    }
    gate_remove(gate_name);
    printf("holder holds the lock\n");
    return holder;
}

/* kill_holder ends the holder with the lock still held. */
static void kill_holder(proc holder)
{
    proc_kill(holder);
    printf("holder killed\n");
}

static void get(void);

static void set_and_get(const WCHAR *text)
{
    BOOL ok = shmemgen_lib.set((LPWSTR)text);
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    get();
}

static void get(void)
{
    WCHAR out[64] = u"";
    BOOL ok = shmemgen_lib.get(out, ARRAYSIZE(out));
    printf("get: ok=%d status=%s text=\"%s\"\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), ascii(out));
}

/* whole_bytes reads, or writes, the whole payload. */
static void whole_bytes(BOOL write)
{
    static BYTE bytes[SHMEM_PAYLOAD_SIZE];
    BOOL ok = write ? shmemgen_lib.write_bytes(bytes, 0, sizeof bytes) : shmemgen_lib.read_bytes(bytes, 0, sizeof bytes);
    printf("%s all bytes: ok=%d status=%s\n", write ? "write" : "read", ok ? 1 : 0, status_name(shmemgen_lib.status()));
}

static int abandon(void)
{
    set_and_get(u"before");
    kill_holder(start_holder(TRUE));
    /* The dead holder may have changed any byte: every read of them says
     * so, the one that takes the lock over and those after it. */
    get();
    get();
    whole_bytes(FALSE);
    /* A write is whole, and takes what it wrote off the torn range: the
     * string reads clean, the bytes past it do not. */
    set_and_get(u"after");
    whole_bytes(FALSE);
    whole_bytes(TRUE);
    whole_bytes(FALSE);
    return 0;
}

static int quiet(void)
{
    set_and_get(u"before");
    kill_holder(start_holder(FALSE));
    get();
    set_and_get(u"after");
    return 0;
}

static int timeout(void)
{
    proc holder = start_holder(TRUE);
    WCHAR out[8] = u"?";
    char bytes[2] = "?";
    BOOL ok = shmemgen_lib.set((LPWSTR)u"blocked");
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    ok = shmemgen_lib.get(out, ARRAYSIZE(out));
    printf("get: ok=%d status=%s text=\"%s\"\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), ascii(out));
    ok = shmemgen_lib.write_bytes("x", 0, 1);
    printf("write bytes: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    ok = shmemgen_lib.read_bytes(bytes, 0, 1);
    printf("read bytes: ok=%d status=%s bytes=\"%s\"\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), bytes);
    ULONGLONG length = shmemgen_lib.length();
    printf("length: %llu status=%s\n", (unsigned long long)length, status_name(shmemgen_lib.status()));
    /* The size needs no lock. */
    printf("size: %llu\n", (unsigned long long)shmemgen_lib.size());
    kill_holder(holder);
    set_and_get(u"after");
    return 0;
}

/* takeover times how long the first set takes after a holder dies holding
 * the lock: how soon a waiter notices and takes the lock over. */
static int takeover(void)
{
    proc holder = start_holder(FALSE);
    proc_kill(holder);
    double start = now_us();
    BOOL ok = shmemgen_lib.set((LPWSTR)u"after");
    double end = now_us();
    if (!ok || shmemgen_lib.status() != 0) {
        fprintf(stderr, "takeover: set ok=%d status=%s\n", ok, status_name(shmemgen_lib.status()));
        return 1;
    }
    printf("takeover_ms=%.1f\n", (end - start) / 1000);
    return 0;
}

static int program(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "hold") == 0)
        return hold(argv[2], NULL, NULL);
    if (argc == 5 && strcmp(argv[1], "hold") == 0)
        return hold(argv[2], argv[3], argv[4]);
#ifdef _WIN32
    if (argc == 3 && strcmp(argv[1], "hold-setup") == 0)
        return hold_setup(argv[2]);
#endif
    if (argc != 2) {
        fprintf(stderr, "usage: lock.exe abandon | quiet | timeout | takeover | hold GATE [FROM TO] | hold-setup EVENT\n");
        return 2;
    }
    /* Loading the DLL, and a first call, before the holder starts:
     * setup itself waits for the lock. */
    load_shmem("lock");
    printf("size: %llu\n", (unsigned long long)shmemgen_lib.size());
    if (strcmp(argv[1], "abandon") == 0)
        return abandon();
    if (strcmp(argv[1], "quiet") == 0)
        return quiet();
    if (strcmp(argv[1], "timeout") == 0)
        return timeout();
    if (strcmp(argv[1], "takeover") == 0)
        return takeover();
    fprintf(stderr, "usage: lock.exe abandon | quiet | timeout | takeover | hold GATE [FROM TO] | hold-setup EVENT\n");
    return 2;
}
