/*
 * bench times a DLL (or the Linux library) from a C host, with
 * QueryPerformanceCounter or CLOCK_MONOTONIC (port.h's now_us):
 *
 *   bench.exe attach       LoadLibrary until the first GetSharedMem returns,
 *                          in microseconds: run it in a fresh process each
 *                          time, as a Go DLL never unloads
 *   bench.exe pair N LEN   the mean cost of N SetSharedMem+GetSharedMem
 *                          pairs of a LEN-character string, in nanoseconds
 *   bench.exe bytes N LEN  the mean cost of N WriteSharedBytes+ReadSharedBytes
 *                          pairs of LEN bytes, in nanoseconds (not in the
 *                          sample, which has no byte exports)
 *   bench.exe call N       the mean cost of N calls of SharedMemSize, which
 *                          takes no lock: what any call into the DLL costs
 *                          (not in the sample, which has no such export)
 *
 * Built against the generated shmem.h, or with -DSAMPLE for the sample's
 * dllmem.dll, whose exports return nothing and take no lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef SAMPLE
#include <windows.h>
typedef void (*set_fn)(LPWSTR);
typedef void (*get_fn)(LPWSTR, DWORD);
typedef struct {
    LONGLONG lock;
} SHMEM_HEADER;
#define SHMEM_MAPPING_NAME L"dllmemfilemap"
#include "port.h"

static set_fn set;
static get_fn get;

/* load loads the sample's dllmem.dll from beside the program: it has no
 * generated header, so the project's load.h cannot. */
static void load(void)
{
    HMODULE lib = LoadLibraryA("dllmem.dll");
    if (lib == NULL) {
        fprintf(stderr, "LoadLibrary(dllmem.dll) failed (error %lu)\n", GetLastError());
        exit(3);
    }
    set = (set_fn)(void (*)(void))GetProcAddress(lib, "SetSharedMem");
    get = (get_fn)(void (*)(void))GetProcAddress(lib, "GetSharedMem");
    if (set == NULL || get == NULL) {
        fprintf(stderr, "dllmem.dll lacks SetSharedMem or GetSharedMem\n");
        exit(3);
    }
}
#else
#include "shmem.h"
#include "port.h"
#include "lib.h"

static PFN_SetSharedMem set;
static PFN_GetSharedMem get;

static void load(void)
{
    load_shmem("bench");
    set = shmemgen_lib.set;
    get = shmemgen_lib.get;
}
#endif

static WCHAR text[4096], out[4096];

static int program(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "attach") == 0) {
        double start = now_us();
        load();
        get(out, ARRAYSIZE(out));
        printf("attach_us=%.1f\n", now_us() - start);
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "pair") == 0) {
        long n = strtol(argv[2], NULL, 10), len = strtol(argv[3], NULL, 10);
        if (n <= 0 || len < 0 || len >= (long)ARRAYSIZE(text)) {
            fprintf(stderr, "bench: bad N or LEN\n");
            return 2;
        }
        for (long i = 0; i < len; i++)
            text[i] = u'x';
        load();
        get(out, ARRAYSIZE(out)); /* attach outside the timing */
        double start = now_us();
        for (long i = 0; i < n; i++) {
            set(text);
            get(out, ARRAYSIZE(out));
        }
        double elapsed = now_us() - start;
        if ((long)u16len(out) != len) {
            fprintf(stderr, "bench: read back %d characters, wrote %ld\n", (int)u16len(out), len);
            return 1;
        }
        printf("pair_ns=%.0f\n", elapsed * 1000 / (double)n);
        return 0;
    }
#ifndef SAMPLE
    if (argc == 4 && strcmp(argv[1], "bytes") == 0) {
        long n = strtol(argv[2], NULL, 10), len = strtol(argv[3], NULL, 10);
        if (n <= 0 || len < 0 || len > (long)sizeof text) {
            fprintf(stderr, "bench: bad N or LEN\n");
            return 2;
        }
        load();
        get(out, ARRAYSIZE(out));
        PFN_WriteSharedBytes write_bytes = shmemgen_lib.write_bytes;
        PFN_ReadSharedBytes read_bytes = shmemgen_lib.read_bytes;
        memset(text, 0x5a, sizeof text);
        double start = now_us();
        for (long i = 0; i < n; i++) {
            write_bytes(text, 0, (ULONGLONG)len);
            read_bytes(out, 0, (ULONGLONG)len);
        }
        double elapsed = now_us() - start;
        if (memcmp(text, out, (size_t)len) != 0) {
            fprintf(stderr, "bench: read back other bytes\n");
            return 1;
        }
        printf("bytes_ns=%.0f\n", elapsed * 1000 / (double)n);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "call") == 0) {
        long n = strtol(argv[2], NULL, 10);
        if (n <= 0) {
            fprintf(stderr, "bench: bad N\n");
            return 2;
        }
        load();
        get(out, ARRAYSIZE(out));
        PFN_SharedMemSize size = shmemgen_lib.size;
        double start = now_us();
        for (long i = 0; i < n; i++)
            size();
        printf("call_ns=%.0f\n", (now_us() - start) * 1000 / (double)n);
        return 0;
    }
#endif
    fprintf(stderr, "usage: bench.exe attach | pair N LEN | bytes N LEN | call N\n");
    return 2;
}
