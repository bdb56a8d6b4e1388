/*
 * lock takes part in the lock protocol without the DLL, as the README
 * allows any program to: it opens the mutex by SHMEM_LOCK_NAME and holds
 * it, while the DLL, loaded at run time, has to get past it.
 *
 * Usage:
 *   lock.exe abandon  start a holder, kill it while it holds the lock,
 *                     then set and get
 *   lock.exe timeout  start a holder; every export must time out while it
 *                     lives; then kill it and set
 *   lock.exe hold EVENT  take the lock, signal EVENT, and keep the lock
 *                     until killed (the holder the other modes start)
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "shmem.h"
#include "status.h"
#include "load.h"

static struct shmem dll;

static int hold(const wchar_t *event_name)
{
    HANDLE lock = CreateMutexW(NULL, FALSE, SHMEM_LOCK_NAME);
    HANDLE held = OpenEventW(EVENT_MODIFY_STATE, FALSE, event_name);
    if (lock == NULL || held == NULL) {
        fprintf(stderr, "hold: cannot open the lock or the event (error %lu)\n", GetLastError());
        return 1;
    }
    if (WaitForSingleObject(lock, 10000) != WAIT_OBJECT_0) {
        fprintf(stderr, "hold: cannot take the lock\n");
        return 1;
    }
    SetEvent(held);
    Sleep(60000); /* the driver kills us long before */
    return 1;
}

/* start_holder starts "lock.exe hold" and returns once it holds the lock. */
static HANDLE start_holder(void)
{
    WCHAR self[MAX_PATH], event_name[64], line[2 * MAX_PATH];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    _snwprintf(event_name, ARRAYSIZE(event_name), L"Local\\shmemgen-held-%lu", GetCurrentProcessId());
    HANDLE held = CreateEventW(NULL, TRUE, FALSE, event_name);
    GetModuleFileNameW(NULL, self, MAX_PATH);
    _snwprintf(line, ARRAYSIZE(line), L"\"%ls\" hold %ls", self, event_name);
    line[ARRAYSIZE(line) - 1] = 0;
    ZeroMemory(&si, sizeof si);
    si.cb = sizeof si;
    if (held == NULL || !CreateProcessW(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        fprintf(stderr, "lock: cannot start the holder (error %lu)\n", GetLastError());
        exit(1);
    }
    CloseHandle(pi.hThread);
    HANDLE both[2] = {held, pi.hProcess};
    if (WaitForMultipleObjects(2, both, FALSE, 60000) != WAIT_OBJECT_0) {
        fprintf(stderr, "lock: the holder exited or hung before taking the lock\n");
        exit(1);
    }
    printf("holder holds the lock\n");
    return pi.hProcess;
}

/* kill_holder ends the holder with the lock still held: the system marks the
 * mutex abandoned. */
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
    /* The size needs no lock. */
    printf("size: %llu\n", dll.size());
    kill_holder(holder);
    set_and_get(L"after");
    return 0;
}

int wmain(int argc, wchar_t **argv)
{
    if (argc == 3 && wcscmp(argv[1], L"hold") == 0)
        return hold(argv[2]);
    if (argc != 2) {
        fprintf(stderr, "usage: lock.exe abandon | timeout | hold EVENT\n");
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
    fprintf(stderr, "usage: lock.exe abandon | timeout | hold EVENT\n");
    return 2;
}
