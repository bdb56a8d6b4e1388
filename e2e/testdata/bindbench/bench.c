/*
 * bench is the C column of BenchmarkBindings (e2e/bindbench_test.go): what
 * the bindings' bench programs time, from C, with the same clock, the
 * process's CPU time (on a machine shared with other work, a wall clock
 * times the other work too):
 *
 *   bench pair N LEN   the mean cost of N SetSharedMem+GetSharedMem pairs of
 *                      a LEN-character string into a 256-unit buffer, in
 *                      nanoseconds (pair_ns=)
 *   bench call N       the mean cost of N SharedMemSize calls (call_ns=)
 *   bench record N     the mean cost of N ReadSharedRecord calls
 *                      (record_ns=), in a project with a record
 *
 * Each loop runs N/10 times untimed first, as in the bindings' programs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shmem.h"
#include "port.h"
#include "lib.h"

static double cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *msg)
{
    fprintf(stderr, "bench: %s\n", msg);
    exit(1);
}

static int program(int argc, char **argv)
{
    long n = argc >= 3 ? strtol(argv[2], NULL, 10) : 0;
    if (n <= 0) {
        fprintf(stderr, "usage: bench pair N LEN | call N | record N\n");
        return 2;
    }
    load_shmem("bench");
    PFN_SetSharedMem set = shmemgen_lib.set;
    PFN_GetSharedMem get = shmemgen_lib.get;
    PFN_SharedMemSize size = shmemgen_lib.size;
    if (argc == 4 && strcmp(argv[1], "pair") == 0) {
        static WCHAR text[256], out[256];
        long len = strtol(argv[3], NULL, 10);
        if (len < 0 || len >= (long)ARRAYSIZE(text))
            die("bad LEN");
        for (long i = 0; i < len; i++)
            text[i] = u'x';
        double start = 0;
        for (long i = -n / 10; i < n; i++) {
            if (i == 0)
                start = cpu_ns();
            if (!set(text) || !get(out, ARRAYSIZE(out)))
                die("a call failed");
        }
        double ns = (cpu_ns() - start) / (double)n;
        if ((long)u16len(out) != len)
            die("read back another string");
        printf("pair_ns=%.1f\n", ns);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "call") == 0) {
        double start = 0;
        for (long i = -n / 10; i < n; i++) {
            if (i == 0)
                start = cpu_ns();
            if (size() == 0)
                die("SharedMemSize failed");
        }
        printf("call_ns=%.1f\n", (cpu_ns() - start) / (double)n);
        return 0;
    }
#ifdef SHMEM_RECORD_SIZE
    if (argc == 3 && strcmp(argv[1], "record") == 0) {
        PFN_ReadSharedRecord read_record = shmemgen_lib.read_record;
        PFN_WriteSharedRecord write_record = shmemgen_lib.write_record;
        Reading r;
        memset(&r, 0, sizeof r);
        r.count = 42;
        if (!write_record(&r))
            die("WriteSharedRecord failed");
        memset(&r, 0, sizeof r);
        double start = 0;
        for (long i = -n / 10; i < n; i++) {
            if (i == 0)
                start = cpu_ns();
            if (!read_record(&r))
                die("ReadSharedRecord failed");
        }
        double ns = (cpu_ns() - start) / (double)n;
        if (r.count != 42)
            die("read back another record");
        printf("record_ns=%.1f\n", ns);
        return 0;
    }
#endif
    fprintf(stderr, "usage: bench pair N LEN | call N | record N\n");
    return 2;
}
