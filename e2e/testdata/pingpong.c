/*
 * pingpong measures how soon a write reaches a waiter in another process,
 * as iceoryx2's publish-subscribe benchmark measures its latency: two
 * participants, each on a core of its own, bounce a counter; A sends n, B
 * waits for it and sends n + 1, A waits for that and sends n + 2, and the
 * one-way latency is the round trip's time halved. iceoryx2 prints the
 * mean (the whole run's time over twice the rounds), given here as
 * mean_ns; each round is timed too, for the median and the tail.
 *
 *   pingpong shm N        through the library: WriteSharedBytes of the
 *                         counter, WaitSharedMem for the other's write,
 *                         ReadSharedBytes of it; whether the wait spins
 *                         first is the library's build (SHMEMGEN_WAIT_SPIN_US)
 *   pingpong pipe N       through two pipes, the counter's 8 bytes each way
 *   pingpong bounce ...   B, which the two modes start
 *
 * It prints one line: mode=... rounds=N mean_ns= median_ns= p90_ns=
 * p99_ns= max_ns= (one-way, nanoseconds), and for shm slept=K, the
 * writes that found the other waiting (asleep, or about to sleep) in the
 * header, out of 2N. N rounds are timed after N/10 of warm-up.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shmem.h"
#include "port.h"
#include "spawn.h"

#ifdef _WIN32
#include <intrin.h>
#else
#include <sched.h>
#include <x86intrin.h>
#endif

typedef unsigned long long ull;

/* pin runs this process on core cpu alone, as iceoryx2 pins its two
 * participants, when the machine has more than one. */
static void pin(int cpu)
{
    if (!getenv("PINGPONG_PIN"))
        return;
#ifdef _WIN32
    DWORD_PTR process, system;
    if (GetProcessAffinityMask(GetCurrentProcess(), &process, &system) && (system >> cpu & 1) && system != 1)
        SetProcessAffinityMask(GetCurrentProcess(), (DWORD_PTR)1 << cpu);
#else
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 1 && CPU_ISSET(cpu, &set)) {
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        sched_setaffinity(0, sizeof set, &set);
    }
#endif
}

static void die(const char *what, ull round)
{
    fprintf(stderr, "pingpong: %s at round %llu (status %lu)\n", what, round, (unsigned long)SharedMemLastError());
    exit(1);
}

/* A channel is one side's way to send the counter and wait for the
 * other's. */
typedef struct {
    int shm;
    volatile SHMEM_HEADER *header;
    ULONGLONG base; /* the generation of counter 0 */
    ULONGLONG slept;
#ifdef _WIN32
    HANDLE in, out;
#else
    int in, out;
#endif
} channel;

static void send_counter(channel *c, ULONGLONG n)
{
    if (c->shm) {
        c->slept += c->header->waiting != 0;
        if (!WriteSharedBytes(&n, 0, sizeof n))
            die("write failed", n);
        return;
    }
#ifdef _WIN32
    DWORD done;
    if (!WriteFile(c->out, &n, sizeof n, &done, NULL) || done != sizeof n)
        die("pipe write failed", n);
#else
    if (write(c->out, &n, sizeof n) != sizeof n)
        die("pipe write failed", n);
#endif
}

/* receive waits for the other's n, having sent n - 1. */
static void receive_counter(channel *c, ULONGLONG n)
{
    ULONGLONG got = 0;
    if (c->shm) {
        /* Writes alternate: my n - 1 made the generation base + n - 1. */
        ULONGLONG g = c->base + n - 1;
        if (!WaitSharedMem(&g, 10000))
            die("wait failed", n);
        if (g != c->base + n)
            die("a write came from elsewhere", n);
        if (!ReadSharedBytes(&got, 0, sizeof got))
            die("read failed", n);
    } else {
#ifdef _WIN32
        DWORD done;
        if (!ReadFile(c->in, &got, sizeof got, &done, NULL) || done != sizeof got)
            die("pipe read failed", n);
#else
        if (read(c->in, &got, sizeof got) != sizeof got)
            die("pipe read failed", n);
#endif
    }
    if (got != n)
        die("the counter is wrong", n);
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* bounce is B: it answers every even n with n + 1, up to last. */
static int bounce(channel *c, ULONGLONG last)
{
    pin(1);
    send_counter(c, 1); /* ready */
    for (ULONGLONG n = 2; n <= last; n += 2) {
        receive_counter(c, n);
        send_counter(c, n + 1);
    }
    return 0;
}

static int drive(channel *c, const char *mode, ULONGLONG rounds, const char *bounce_args)
{
    pin(0);
    proc other = spawn(NULL, bounce_args);
    ULONGLONG warm = rounds / 10, total = warm + rounds;
    double *one_way = calloc((size_t)rounds, sizeof *one_way);
    receive_counter(c, 1);
    double start_us = 0;
    ull start_tsc = 0, tsc = 0;
    for (ULONGLONG r = 0; r < total; r++) {
        if (r == warm) {
            start_us = now_us();
            start_tsc = __rdtsc();
        }
        ull before = __rdtsc();
        send_counter(c, 2 * r + 2);
        receive_counter(c, 2 * r + 3);
        tsc = __rdtsc();
        if (r >= warm)
            one_way[r - warm] = (double)(tsc - before) / 2;
    }
    double elapsed_us = now_us() - start_us;
    ull elapsed_tsc = __rdtsc() - start_tsc;
    unsigned long code = 1;
    proc_wait(other, 60000, &code);
    if (code != 0) {
        fprintf(stderr, "pingpong: the other side exited with %lu\n", code);
        return 1;
    }
    /* The time stamp counter, in nanoseconds by the clock over the run. */
    double ns_per_tick = elapsed_us * 1000 / (double)elapsed_tsc;
    qsort(one_way, (size_t)rounds, sizeof *one_way, compare);
#define AT(q) (one_way[(size_t)((double)(rounds - 1) * (q))] * ns_per_tick)
    printf("mode=%s rounds=%llu mean_ns=%.0f median_ns=%.0f p90_ns=%.0f p99_ns=%.0f max_ns=%.0f", mode,
           (ull)rounds, elapsed_us * 1000 / (2 * (double)rounds), AT(0.5), AT(0.9), AT(0.99), AT(1.0));
    if (c->shm)
        printf(" slept=%llu of %llu", (ull)c->slept, (ull)(2 * total));
    printf("\n");
    return 0;
}

static int program(int argc, char **argv)
{
    channel c = {0};
    char args[256];
    if (argc == 3 && strcmp(argv[1], "shm") == 0) {
        ULONGLONG rounds = strtoull(argv[2], NULL, 10), zero = 0;
        c.shm = 1;
        if (!WriteSharedBytes(&zero, 0, sizeof zero))
            die("first write failed", 0);
        c.header = map_header(FALSE);
        c.base = c.header->generation;
        snprintf(args, sizeof args, "bounce shm %llu %llu", (ull)c.base, (ull)(2 * (rounds + rounds / 10) + 1));
        return drive(&c, "shm", rounds, args);
    }
    if (argc == 3 && strcmp(argv[1], "pipe") == 0) {
        ULONGLONG rounds = strtoull(argv[2], NULL, 10);
#ifdef _WIN32
        SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
        HANDLE a2b_read, a2b_write, b2a_read, b2a_write;
        if (!CreatePipe(&a2b_read, &a2b_write, &inherit, 0) || !CreatePipe(&b2a_read, &b2a_write, &inherit, 0))
            die("CreatePipe failed", 0);
        c.in = b2a_read;
        c.out = a2b_write;
        snprintf(args, sizeof args, "bounce pipe %llu %llu %llu", (ull)(ULONG_PTR)a2b_read, (ull)(ULONG_PTR)b2a_write,
                 (ull)(2 * (rounds + rounds / 10) + 1));
#else
        int a2b[2], b2a[2];
        if (pipe(a2b) != 0 || pipe(b2a) != 0)
            die("pipe failed", 0);
        c.in = b2a[0];
        c.out = a2b[1];
        snprintf(args, sizeof args, "bounce pipe %d %d %llu", a2b[0], b2a[1], (ull)(2 * (rounds + rounds / 10) + 1));
#endif
        return drive(&c, "pipe", rounds, args);
    }
    if (argc == 5 && strcmp(argv[1], "bounce") == 0 && strcmp(argv[2], "shm") == 0) {
        c.shm = 1;
        c.header = map_header(FALSE);
        c.base = strtoull(argv[3], NULL, 10);
        return bounce(&c, strtoull(argv[4], NULL, 10));
    }
    if (argc == 6 && strcmp(argv[1], "bounce") == 0 && strcmp(argv[2], "pipe") == 0) {
#ifdef _WIN32
        c.in = (HANDLE)(ULONG_PTR)strtoull(argv[3], NULL, 10);
        c.out = (HANDLE)(ULONG_PTR)strtoull(argv[4], NULL, 10);
#else
        c.in = atoi(argv[3]);
        c.out = atoi(argv[4]);
#endif
        return bounce(&c, strtoull(argv[5], NULL, 10));
    }
    fprintf(stderr, "usage: pingpong shm N | pipe N\n");
    return 2;
}
