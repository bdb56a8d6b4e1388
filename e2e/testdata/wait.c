/*
 * wait drives the wait export from C, linked against shmem.dll:
 *
 *   wait.exe edges        NULL, generation 0, a timeout, what counts as a
 *                         write
 *   wait.exe latency N    start a waiter process, then write N times, each
 *                         once the waiter sleeps again, with the time of
 *                         the write in the payload; the waiter prints how
 *                         long each took to wake it (median and slowest, in
 *                         microseconds) and how many writes it saw
 *   wait.exe burst N      start a waiter, then write N times back to back:
 *                         the waiter, passing back each generation it gets,
 *                         must account for all N
 *   wait.exe dead N       start a waiter, kill it in its wait, then write:
 *                         the first write clears the flag the dead waiter
 *                         left (waiting), and none after pays for it;
 *                         prints the cost of N writes after, and the CPU
 *                         time an idle 2 s wait then takes
 *   wait.exe waiter MODE N GATE  the waiter the other modes start; in
 *                         latency mode it posts GATE once it has taken in
 *                         each wake, so that the driver writes again only
 *                         then (a waiter that still counts as asleep from
 *                         the wait it is leaving must not take two writes
 *                         for one)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shmem.h"
#include "port.h"
#include "status.h"
#include "spawn.h"

typedef unsigned long long ull;

static int edges(void)
{
    BOOL ok = WaitSharedMem(NULL, 0);
    printf("wait NULL: ok=%d status=%s\n", ok, status_name(SharedMemLastError()));
    ULONGLONG g = 0;
    ok = WaitSharedMem(&g, 0);
    printf("wait from 0: ok=%d status=%s generation=%llu\n", ok, status_name(SharedMemLastError()), (ull)g);
    ULONGLONG before = g;
    ok = WaitSharedMem(&g, 50);
    DWORD timed_out = SharedMemLastError();
    printf("wait 50 ms, no write: ok=%d status=%s unchanged=%d\n", ok, status_name(timed_out), g == before);
    /* What a host prints for it: the header's text, not bare hex. */
    printf("its text: %s\n", SHMEM_StatusText(timed_out));
    SetSharedMem((LPWSTR)u"x");
    ok = WaitSharedMem(&g, 0);
    printf("after a set: ok=%d generation+%llu\n", ok, (ull)(g - before));
    before = g;
    WriteSharedBytes("y", 1, 1);
    WriteSharedBytes(NULL, 0, 0);
    WriteSharedBytes("z", 4096, 1);
    ok = WaitSharedMem(&g, 0);
    printf("after a byte write, an empty one and a failed one: ok=%d generation+%llu\n", ok, (ull)(g - before));
    /* A wait that finds a write in its spin leaves no waiting behind: the
     * next write makes no system call for it. */
    volatile SHMEM_HEADER *h = map_header(FALSE);
    WriteSharedBytes("w", 2, 1); /* clears the waiting the wait above set */
    before = g;
    ok = WaitSharedMem(&g, 1000);
    printf("a wait that finds a write at once: ok=%d generation+%llu waiting=%d\n", ok, (ull)(g - before),
           (int)h->waiting);
    return 0;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int waiter(const char *mode, int n, const char *gate_name)
{
    gate taken = gate_open(gate_name);
    if (strcmp(mode, "forever") == 0) {
        ULONGLONG g = 0;
        WaitSharedMem(&g, 0);
        WaitSharedMem(&g, SHMEM_INFINITE); /* killed in here */
        return 1;
    }
    double *latency = calloc((size_t)n, sizeof *latency);
    ULONGLONG g = 0, first, seen = 0;
    int wakes = 0;
    WaitSharedMem(&g, 0);
    first = g;
    while (seen < (ULONGLONG)n) {
        if (!WaitSharedMem(&g, 5000)) {
            printf("waiter: wait failed after %llu writes: %s\n", (ull)seen, status_name(SharedMemLastError()));
            return 1;
        }
        double woke = now_us(), wrote = 0;
        seen = g - first;
        if (strcmp(mode, "latency") == 0 && wakes < n) {
            ReadSharedBytes(&wrote, 0, sizeof wrote);
            latency[wakes] = woke - wrote;
            gate_post(taken, 1);
        }
        wakes++;
    }
    if (strcmp(mode, "latency") == 0) {
        qsort(latency, (size_t)wakes, sizeof *latency, compare);
        printf("waiter: wakes=%d seen=%llu median_us=%.0f max_us=%.0f\n", wakes, (ull)seen, latency[wakes / 2],
               latency[wakes - 1]);
    } else {
        printf("waiter: seen=%llu\n", (ull)seen);
    }
    return 0;
}

/* until_asleep waits, up to 10 s, until someone waits on the export. */
static void until_asleep(volatile SHMEM_HEADER *h)
{
    for (int i = 0; i < 10000 && h->waiting == 0; i++)
        sleep_ms(1);
}

/* cpu_ms is the CPU time this process has used, in milliseconds. */
static double cpu_ms(void)
{
#ifdef _WIN32
    FILETIME created, exited, kernel, user;
    GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user);
    ULARGE_INTEGER k = {.LowPart = kernel.dwLowDateTime, .HighPart = kernel.dwHighDateTime};
    ULARGE_INTEGER u = {.LowPart = user.dwLowDateTime, .HighPart = user.dwHighDateTime};
    return (double)(k.QuadPart + u.QuadPart) / 10000;
#else
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1000 + (double)t.tv_nsec / 1e6;
#endif
}

static int dead(int n)
{
    char args[128], gate_name[64];
    SetSharedMem((LPWSTR)u""); /* attach, so that the mapping exists */
    volatile SHMEM_HEADER *h = map_header(FALSE);
    snprintf(gate_name, sizeof gate_name, "shmemgen-wait-%lu", (unsigned long)my_pid());
    gate taken = gate_create(gate_name);
    (void)taken;
    snprintf(args, sizeof args, "waiter forever 1 %s", gate_name);
    proc waiter = spawn(NULL, args);
    until_asleep(h);
    sleep_ms(20);
    proc_kill(waiter);
    gate_remove(gate_name);
    printf("waiting after the waiter died: %d\n", (int)h->waiting);
    WriteSharedBytes("x", 0, 1);
    printf("waiting after a write: %d\n", (int)h->waiting);
    double start = now_us();
    for (int i = 0; i < n; i++)
        WriteSharedBytes("x", 0, 1);
    double ns = (now_us() - start) * 1000 / n;
    printf("waiting after %d writes: %d\n", n, (int)h->waiting);
    fprintf(stderr, "ns_per_write=%.0f\n", ns);
    ULONGLONG g = 0;
    WaitSharedMem(&g, 0);
    double cpu = cpu_ms(), wall = now_us();
    BOOL ok = WaitSharedMem(&g, 2000);
    fprintf(stderr, "idle_wait_ms=%.0f\n", (now_us() - wall) / 1000);
    printf("idle 2 s wait: ok=%d status=%s cpu_ms=%.0f\n", ok, status_name(SharedMemLastError()), cpu_ms() - cpu);
    return 0;
}

static int drive(const char *mode, int n)
{
    char args[128], gate_name[64];
    SetSharedMem((LPWSTR)u""); /* attach, so that the mapping exists */
    volatile SHMEM_HEADER *h = map_header(FALSE);
    snprintf(gate_name, sizeof gate_name, "shmemgen-wait-%lu", (unsigned long)my_pid());
    gate taken = gate_create(gate_name);
    snprintf(args, sizeof args, "waiter %s %d %s", mode, n, gate_name);
    proc waiter = spawn(NULL, args);
    until_asleep(h);
    for (int i = 0; i < n; i++) {
        if (strcmp(mode, "latency") == 0) {
            if (i > 0 && !gate_wait(taken, 10000)) {
                fprintf(stderr, "wait: the waiter took no wake for write %d\n", i);
                break;
            }
            until_asleep(h);
            sleep_ms(2); /* well asleep, not just counted */
        }
        double t = now_us();
        WriteSharedBytes(&t, 0, sizeof t);
    }
    unsigned long code = 1;
    proc_wait(waiter, 60000, &code);
    gate_remove(gate_name);
    printf("waiter exit=%lu\n", code);
    return 0;
}

static int program(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "edges") == 0)
        return edges();
    if (argc == 3 && (strcmp(argv[1], "latency") == 0 || strcmp(argv[1], "burst") == 0))
        return drive(argv[1], atoi(argv[2]));
    if (argc == 3 && strcmp(argv[1], "dead") == 0)
        return dead(atoi(argv[2]));
    if (argc == 5 && strcmp(argv[1], "waiter") == 0)
        return waiter(argv[2], atoi(argv[3]), argv[4]);
    fprintf(stderr, "usage: wait.exe edges | latency N | burst N | dead N | waiter MODE N GATE\n");
    return 2;
}
