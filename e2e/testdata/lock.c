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
 *   lock.exe hold EVENT  take the lock, signal EVENT, and keep the lock
 *                     until killed (the holder the other modes start)
 *   lock.exe hold-setup EVENT  the same with the mutex SHMEM_LOCK_NAME,
 *                     which the DLL holds while it sets up
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "shmem.h"
#include "status.h"
#include "load.h"
#include "spawn.h"

static struct shmem dll;

static int hold(const wchar_t *event_name)
{
    HANDLE held = OpenEventW(EVENT_MODIFY_STATE, FALSE, event_name);
    HANDLE section = OpenFileMappingW(FILE_MAP_WRITE, FALSE, SHMEM_MAPPING_NAME);
    SHMEM_HEADER *header = section ? MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, sizeof *header) : NULL;
    if (held == NULL || header == NULL) {
        fprintf(stderr, "hold: cannot open the mapping or the event (error %lu)\n", GetLastError());
        return 1;
    }
    FILETIME created, exited, kernel, user;
    GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user);
    ULARGE_INTEGER t = {.LowPart = created.dwLowDateTime, .HighPart = created.dwHighDateTime};
    LONGLONG me = (LONGLONG)GetCurrentProcessId() | (LONGLONG)SHMEM_OWNER_TAG(t.QuadPart) << 32;
    if (InterlockedCompareExchange64(&header->lock, me, 0) != 0) {
        fprintf(stderr, "hold: the lock is taken\n");
        return 1;
    }
    SetEvent(held);
    Sleep(60000); /* the driver kills us long before */
    return 1;
}

static int hold_setup(const wchar_t *event_name)
{
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

/* start_holder starts "lock.exe hold" and returns once it holds the lock. */
static HANDLE start_holder(void)
{
    WCHAR event_name[64], args[128];
    _snwprintf(event_name, ARRAYSIZE(event_name), L"Local\\shmemgen-held-%lu", GetCurrentProcessId());
    HANDLE held = CreateEventW(NULL, TRUE, FALSE, event_name);
    if (held == NULL) {
        fprintf(stderr, "lock: cannot create the event (error %lu)\n", GetLastError());
        exit(1);
    }
    _snwprintf(args, ARRAYSIZE(args), L"hold %ls", event_name);
    HANDLE holder = spawn(NULL, args);
    HANDLE both[2] = {held, holder};
    if (WaitForMultipleObjects(2, both, FALSE, 60000) != WAIT_OBJECT_0) {
        fprintf(stderr, "lock: the holder exited or hung before taking the lock\n");
        exit(1);
    }
    printf("holder holds the lock\n");
    return holder;
}

/* kill_holder ends the holder with the lock still held. */
static void kill_holder(HANDLE holder)
{
    TerminateProcess(holder, 9);
    WaitForSingleObject(holder, INFINITE);
    printf("holder killed\n");
}

static void set_and_get(const wchar_t *text)
{
    WCHAR out[64] = L"";
    BOOL ok = dll.set((LPWSTR)text);
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(dll.status()));
    ok = dll.get(out, ARRAYSIZE(out));
    printf("get: ok=%d status=%s text=\"%ls\"\n", ok ? 1 : 0, status_name(dll.status()), out);
}

static int abandon(void)
{
    set_and_get(L"before");
    kill_holder(start_holder());
    set_and_get(L"after");
    return 0;
}

static int timeout(void)
{
    HANDLE holder = start_holder();
    WCHAR out[8] = L"?";
    char bytes[2] = "?";
    BOOL ok = dll.set((LPWSTR)L"blocked");
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(dll.status()));
    ok = dll.get(out, ARRAYSIZE(out));
    printf("get: ok=%d status=%s text=\"%ls\"\n", ok ? 1 : 0, status_name(dll.status()), out);
    ok = dll.write_bytes("x", 0, 1);
    printf("write bytes: ok=%d status=%s\n", ok ? 1 : 0, status_name(dll.status()));
    ok = dll.read_bytes(bytes, 0, 1);
    printf("read bytes: ok=%d status=%s bytes=\"%s\"\n", ok ? 1 : 0, status_name(dll.status()), bytes);
    ULONGLONG length = dll.length();
    printf("length: %llu status=%s\n", length, status_name(dll.status()));
    /* The size needs no lock. */
    printf("size: %llu\n", dll.size());
    kill_holder(holder);
    set_and_get(L"after");
    return 0;
}

/* takeover times how long the first set takes after a holder dies holding
 * the lock: how soon a waiter notices and takes the lock over. */
static int takeover(void)
{
    LARGE_INTEGER freq, start, end;
    HANDLE holder = start_holder();
    QueryPerformanceFrequency(&freq);
    TerminateProcess(holder, 9);
    WaitForSingleObject(holder, INFINITE);
    QueryPerformanceCounter(&start);
    BOOL ok = dll.set((LPWSTR)L"after");
    QueryPerformanceCounter(&end);
    if (!ok || dll.status() != SHMEM_STATUS_ABANDONED) {
        fprintf(stderr, "takeover: set ok=%d status=%s\n", ok, status_name(dll.status()));
        return 1;
    }
    printf("takeover_ms=%.1f\n", (double)(end.QuadPart - start.QuadPart) * 1000 / (double)freq.QuadPart);
    return 0;
}

int wmain(int argc, wchar_t **argv)
{
    if (argc == 3 && wcscmp(argv[1], L"hold") == 0)
        return hold(argv[2]);
    if (argc == 3 && wcscmp(argv[1], L"hold-setup") == 0)
        return hold_setup(argv[2]);
    if (argc != 2) {
        fprintf(stderr, "usage: lock.exe abandon | timeout | takeover | hold EVENT | hold-setup EVENT\n");
        return 2;
    }
    /* Loading the DLL, and a first call, before the holder starts:
     * setup itself waits for the lock. */
    load_shmem(&dll);
    printf("size: %llu\n", dll.size());
    if (wcscmp(argv[1], L"abandon") == 0)
        return abandon();
    if (wcscmp(argv[1], L"timeout") == 0)
        return timeout();
    if (wcscmp(argv[1], L"takeover") == 0)
        return takeover();
    fprintf(stderr, "usage: lock.exe abandon | timeout | takeover | hold EVENT | hold-setup EVENT\n");
    return 2;
}
