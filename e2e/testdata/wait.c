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
 *   wait.exe waiter MODE N  the waiter the other modes start
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "shmem.h"
#include "status.h"
#include "spawn.h"

static LONGLONG now_ticks(void)
{
    LARGE_INTEGER t;
    QueryPerformanceCounter(&t);
    return t.QuadPart;
}

static int edges(void)
{
    BOOL ok = WaitSharedMem(NULL, 0);
    printf("wait NULL: ok=%d status=%s\n", ok, status_name(SharedMemLastError()));
    ULONGLONG g = 0;
    ok = WaitSharedMem(&g, 0);
    printf("wait from 0: ok=%d status=%s generation=%llu\n", ok, status_name(SharedMemLastError()), g);
    ULONGLONG before = g;
    ok = WaitSharedMem(&g, 50);
    printf("wait 50 ms, no write: ok=%d status=%s unchanged=%d\n", ok, status_name(SharedMemLastError()), g == before);
    SetSharedMem((LPWSTR)L"x");
    ok = WaitSharedMem(&g, 0);
    printf("after a set: ok=%d generation+%llu\n", ok, g - before);
    before = g;
    WriteSharedBytes("y", 1, 1);
    WriteSharedBytes(NULL, 0, 0);
    WriteSharedBytes("z", 4096, 1);
    ok = WaitSharedMem(&g, 0);
    printf("after a byte write, an empty one and a failed one: ok=%d generation+%llu\n", ok, g - before);
    return 0;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int waiter(const wchar_t *mode, int n)
{
    LARGE_INTEGER freq;
    QueryPerformanceFrequency(&freq);
    double *latency = calloc((size_t)n, sizeof *latency);
    ULONGLONG g = 0, first, seen = 0;
    int wakes = 0;
    WaitSharedMem(&g, 0);
    first = g;
    while (seen < (ULONGLONG)n) {
        if (!WaitSharedMem(&g, 5000)) {
            printf("waiter: wait failed after %llu writes: %s\n", seen, status_name(SharedMemLastError()));
            return 1;
        }
        LONGLONG woke = now_ticks(), wrote = 0;
        seen = g - first;
        if (wcscmp(mode, L"latency") == 0 && wakes < n) {
            ReadSharedBytes(&wrote, 0, sizeof wrote);
            latency[wakes] = (double)(woke - wrote) * 1e6 / (double)freq.QuadPart;
        }
        wakes++;
    }
    if (wcscmp(mode, L"latency") == 0) {
        qsort(latency, (size_t)wakes, sizeof *latency, compare);
        printf("waiter: wakes=%d seen=%llu median_us=%.0f max_us=%.0f\n", wakes, seen, latency[wakes / 2],
               latency[wakes - 1]);
    } else {
        printf("waiter: seen=%llu\n", seen);
    }
    return 0;
}

/* waiters_of maps the header, to see when the waiter sleeps. */
static volatile SHMEM_HEADER *waiters_of(void)
{
    HANDLE section = OpenFileMappingW(FILE_MAP_READ, FALSE, SHMEM_MAPPING_NAME);
    void *view = section ? MapViewOfFile(section, FILE_MAP_READ, 0, 0, sizeof(SHMEM_HEADER)) : NULL;
    if (view == NULL) {
        fprintf(stderr, "wait: cannot map the header (error %lu)\n", GetLastError());
        exit(1);
    }
    return view;
}

/* until_asleep waits, up to 10 s, until someone waits on the export. */
static void until_asleep(volatile SHMEM_HEADER *h)
{
    for (int i = 0; i < 10000 && h->waiters == 0; i++)
        Sleep(1);
}

static int drive(const wchar_t *mode, int n)
{
    WCHAR args[64];
    SetSharedMem((LPWSTR)L""); /* attach, so that the mapping exists */
    volatile SHMEM_HEADER *h = waiters_of();
    _snwprintf(args, ARRAYSIZE(args), L"waiter %ls %d", mode, n);
    HANDLE waiter = spawn(NULL, args);
    until_asleep(h);
    for (int i = 0; i < n; i++) {
        if (wcscmp(mode, L"latency") == 0) {
            until_asleep(h);
            Sleep(2); /* well asleep, not just counted */
        }
        LONGLONG t = now_ticks();
        WriteSharedBytes(&t, 0, sizeof t);
    }
    DWORD code = 1;
    WaitForSingleObject(waiter, 60000);
    GetExitCodeProcess(waiter, &code);
    printf("waiter exit=%lu\n", code);
    return 0;
}

int wmain(int argc, wchar_t **argv)
{
    if (argc == 2 && wcscmp(argv[1], L"edges") == 0)
        return edges();
    if (argc == 3 && (wcscmp(argv[1], L"latency") == 0 || wcscmp(argv[1], L"burst") == 0))
        return drive(argv[1], _wtoi(argv[2]));
    if (argc == 4 && wcscmp(argv[1], L"waiter") == 0)
        return waiter(argv[2], _wtoi(argv[3]));
    fprintf(stderr, "usage: wait.exe edges | latency N | burst N | waiter MODE N\n");
    return 2;
}
