/*
 * bench times a DLL from a C host with QueryPerformanceCounter:
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
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#ifdef SAMPLE
#define DLL L"dllmem.dll"
typedef void (*set_fn)(LPWSTR);
typedef void (*get_fn)(LPWSTR, DWORD);
#else
#include "shmem.h"
#define DLL L"shmem.dll"
typedef __typeof__(&SetSharedMem) set_fn;
typedef __typeof__(&GetSharedMem) get_fn;
#endif

static set_fn set;
static get_fn get;
static WCHAR text[4096], out[4096];

static double now_us(void)
{
    static LARGE_INTEGER freq;
    LARGE_INTEGER t;
    if (freq.QuadPart == 0)
        QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart * 1e6 / (double)freq.QuadPart;
}

static void load(void)
{
    HMODULE dll = LoadLibraryW(DLL);
    if (dll == NULL) {
        fprintf(stderr, "bench: LoadLibrary failed (error %lu)\n", GetLastError());
        exit(1);
    }
    /* Through void *: a FARPROC cast straight to another function type
     * trips -Wcast-function-type. */
    set = (set_fn)(void *)GetProcAddress(dll, "SetSharedMem");
    get = (get_fn)(void *)GetProcAddress(dll, "GetSharedMem");
    if (set == NULL || get == NULL) {
        fprintf(stderr, "bench: exports missing\n");
        exit(1);
    }
}

int wmain(int argc, wchar_t **argv)
{
    if (argc == 2 && wcscmp(argv[1], L"attach") == 0) {
        double start = now_us();
        load();
        get(out, ARRAYSIZE(out));
        printf("attach_us=%.1f\n", now_us() - start);
        return 0;
    }
    if (argc == 4 && wcscmp(argv[1], L"pair") == 0) {
        long n = wcstol(argv[2], NULL, 10), len = wcstol(argv[3], NULL, 10);
        if (n <= 0 || len < 0 || len >= (long)ARRAYSIZE(text)) {
            fprintf(stderr, "bench: bad N or LEN\n");
            return 2;
        }
        wmemset(text, L'x', len);
        load();
        get(out, ARRAYSIZE(out)); /* attach outside the timing */
        double start = now_us();
        for (long i = 0; i < n; i++) {
            set(text);
            get(out, ARRAYSIZE(out));
        }
        double elapsed = now_us() - start;
        if ((long)wcslen(out) != len) {
            fprintf(stderr, "bench: read back %d characters, wrote %ld\n", (int)wcslen(out), len);
            return 1;
        }
        printf("pair_ns=%.0f\n", elapsed * 1000 / (double)n);
        return 0;
    }
#ifndef SAMPLE
    if (argc == 4 && wcscmp(argv[1], L"bytes") == 0) {
        long n = wcstol(argv[2], NULL, 10), len = wcstol(argv[3], NULL, 10);
        if (n <= 0 || len < 0 || len > (long)sizeof text) {
            fprintf(stderr, "bench: bad N or LEN\n");
            return 2;
        }
        load();
        get(out, ARRAYSIZE(out));
        HMODULE dll = GetModuleHandleW(DLL);
        PFN_WriteSharedBytes write_bytes = (PFN_WriteSharedBytes)(void *)GetProcAddress(dll, "WriteSharedBytes");
        PFN_ReadSharedBytes read_bytes = (PFN_ReadSharedBytes)(void *)GetProcAddress(dll, "ReadSharedBytes");
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
    if (argc == 3 && wcscmp(argv[1], L"call") == 0) {
        long n = wcstol(argv[2], NULL, 10);
        if (n <= 0) {
            fprintf(stderr, "bench: bad N\n");
            return 2;
        }
        load();
        get(out, ARRAYSIZE(out));
        __typeof__(&SharedMemSize) size = (__typeof__(&SharedMemSize))(void *)GetProcAddress(GetModuleHandleW(DLL), "SharedMemSize");
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
