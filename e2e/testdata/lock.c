/*
 * lock takes part in the lock protocol without the DLL, as the header
 * allows any program to: it maps the section by SHMEM_MAPPING_NAME and
 * takes the header's lock word with its own process id and creation tag,
 * while the DLL, loaded at run time, has to get past it.
 *
 * Usage:
 *   lock.exe abandon  start a holder, kill it while it holds the lock,
 *                     then set and get
 *   lock.exe timeout  start a holder; every export must time out while it
 *                     lives; then kill it and set
 *   lock.exe takeover  start a holder, kill it, and time the set that takes
 *                     the lock over (for the benchmark)
 *   lock.exe hold GATE  take the lock, post GATE (see port.h), and keep
 *                     the lock until killed (the holder the other modes
 *                     start)
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
#include "load.h"
#include "spawn.h"

static struct shmem dll;

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

static int hold(const char *gate_name)
{
    gate held = gate_open(gate_name);
    volatile SHMEM_HEADER *header = map_header(TRUE);
    __typeof__(header->lock + 0) expected = 0;
    if (!__atomic_compare_exchange_n(&header->lock, &expected, (__typeof__(expected))owner_word(), 0, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST)) {
        fprintf(stderr, "hold: the lock is taken\n");
        return 1;
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

/* start_holder starts "lock hold" and returns once it holds the lock. */
static proc start_holder(void)
{
    char gate_name[64], args[128];
    unsigned long code;
    snprintf(gate_name, sizeof gate_name, "shmemgen-held-%lu", (unsigned long)my_pid());
    gate held = gate_create(gate_name);
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

static void set_and_get(const WCHAR *text)
{
    WCHAR out[64] = u"";
    BOOL ok = dll.set((LPWSTR)text);
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(dll.status()));
    ok = dll.get(out, ARRAYSIZE(out));
    printf("get: ok=%d status=%s text=\"%s\"\n", ok ? 1 : 0, status_name(dll.status()), ascii(out));
}

static int abandon(void)
{
    set_and_get(u"before");
    kill_holder(start_holder());
    set_and_get(u"after");
    return 0;
}

static int timeout(void)
{
    proc holder = start_holder();
    WCHAR out[8] = u"?";
    char bytes[2] = "?";
    BOOL ok = dll.set((LPWSTR)u"blocked");
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(dll.status()));
    ok = dll.get(out, ARRAYSIZE(out));
    printf("get: ok=%d status=%s text=\"%s\"\n", ok ? 1 : 0, status_name(dll.status()), ascii(out));
    ok = dll.write_bytes("x", 0, 1);
    printf("write bytes: ok=%d status=%s\n", ok ? 1 : 0, status_name(dll.status()));
    ok = dll.read_bytes(bytes, 0, 1);
    printf("read bytes: ok=%d status=%s bytes=\"%s\"\n", ok ? 1 : 0, status_name(dll.status()), bytes);
    ULONGLONG length = dll.length();
    printf("length: %llu status=%s\n", (unsigned long long)length, status_name(dll.status()));
    /* The size needs no lock. */
    printf("size: %llu\n", (unsigned long long)dll.size());
    kill_holder(holder);
    set_and_get(u"after");
    return 0;
}

/* takeover times how long the first set takes after a holder dies holding
 * the lock: how soon a waiter notices and takes the lock over. */
static int takeover(void)
{
    proc holder = start_holder();
    proc_kill(holder);
    double start = now_us();
    BOOL ok = dll.set((LPWSTR)u"after");
    double end = now_us();
    if (!ok || dll.status() != SHMEM_STATUS_ABANDONED) {
        fprintf(stderr, "takeover: set ok=%d status=%s\n", ok, status_name(dll.status()));
        return 1;
    }
    printf("takeover_ms=%.1f\n", (end - start) / 1000);
    return 0;
}

static int program(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "hold") == 0)
        return hold(argv[2]);
#ifdef _WIN32
    if (argc == 3 && strcmp(argv[1], "hold-setup") == 0)
        return hold_setup(argv[2]);
#endif
    if (argc != 2) {
        fprintf(stderr, "usage: lock.exe abandon | timeout | takeover | hold GATE | hold-setup EVENT\n");
        return 2;
    }
    /* Loading the DLL, and a first call, before the holder starts:
     * setup itself waits for the lock. */
    load_shmem(&dll);
    printf("size: %llu\n", (unsigned long long)dll.size());
    if (strcmp(argv[1], "abandon") == 0)
        return abandon();
    if (strcmp(argv[1], "timeout") == 0)
        return timeout();
    if (strcmp(argv[1], "takeover") == 0)
        return takeover();
    fprintf(stderr, "usage: lock.exe abandon | timeout | takeover | hold GATE | hold-setup EVENT\n");
    return 2;
}
