/*
 * squatlock has a squatter take one of the DLL's names before the DLL
 * loads, in a shape that Windows refuses the DLL: an object of another
 * type under the name, or the right type with a DACL that grants nothing
 * (D:P). Every call must fail with SQUATTED while the squatter lives, and
 * work once it is gone, in the same process: setup retries in the
 * background.
 *
 * Usage:
 *   squatlock.exe SHAPE            start the squatter, load the DLL, call,
 *                                  kill the squatter, call until a set works
 *   squatlock.exe hold SHAPE EVENT  the squatter: take the name, signal
 *                                  EVENT, wait to be killed
 *
 * SHAPE is lock-event, lock-dacl, wake-mutex, wake-dacl, section-mutex or
 * section-dacl: which name, and what holds it.
 */
#include <windows.h>
#include <sddl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "shmem.h"
#include "status.h"
#include "lib.h"

static int hold(const wchar_t *shape, const wchar_t *event_name)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(L"D:P", SDDL_REVISION_1, &sd, NULL)) {
        fprintf(stderr, "hold: SDDL refused (error %lu)\n", GetLastError());
        return 1;
    }
    SECURITY_ATTRIBUTES deny = {sizeof deny, sd, FALSE};
    HANDLE h = NULL;
    if (wcscmp(shape, L"lock-event") == 0)
        h = CreateEventW(NULL, FALSE, FALSE, SHMEM_LOCK_NAME);
    else if (wcscmp(shape, L"lock-dacl") == 0)
        h = CreateMutexW(&deny, FALSE, SHMEM_LOCK_NAME);
    else if (wcscmp(shape, L"wake-mutex") == 0)
        h = CreateMutexW(NULL, FALSE, SHMEM_WAKE_NAME);
    else if (wcscmp(shape, L"wake-dacl") == 0)
        h = CreateEventW(&deny, FALSE, FALSE, SHMEM_WAKE_NAME);
    else if (wcscmp(shape, L"section-mutex") == 0)
        h = CreateMutexW(NULL, FALSE, SHMEM_MAPPING_NAME);
    else if (wcscmp(shape, L"section-dacl") == 0)
        h = CreateFileMappingW(INVALID_HANDLE_VALUE, &deny, PAGE_READWRITE, 0, SHMEM_MAPPING_SIZE, SHMEM_MAPPING_NAME);
    else {
        fprintf(stderr, "hold: unknown shape %ls\n", shape);
        return 2;
    }
    if (h == NULL || GetLastError() == ERROR_ALREADY_EXISTS) {
        fprintf(stderr, "hold: cannot squat %ls (error %lu)\n", shape, GetLastError());
        return 1;
    }
    HANDLE held = OpenEventW(EVENT_MODIFY_STATE, FALSE, event_name);
    if (held == NULL || !SetEvent(held)) {
        fprintf(stderr, "hold: cannot signal (error %lu)\n", GetLastError());
        return 1;
    }
    Sleep(60000); /* the driver kills us long before */
    return 1;
}

/* start_squatter starts "squatlock.exe hold SHAPE EVENT" and returns once
 * it holds the name. */
static HANDLE start_squatter(const wchar_t *shape)
{
    WCHAR self[MAX_PATH], event_name[64], line[2 * MAX_PATH];
    STARTUPINFOW si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    _snwprintf(event_name, ARRAYSIZE(event_name), L"Local\\shmemgen-squat-%lu", GetCurrentProcessId());
    HANDLE held = CreateEventW(NULL, TRUE, FALSE, event_name);
    GetModuleFileNameW(NULL, self, MAX_PATH);
    _snwprintf(line, ARRAYSIZE(line), L"\"%ls\" hold %ls %ls", self, shape, event_name);
    line[ARRAYSIZE(line) - 1] = 0;
    if (held == NULL || !CreateProcessW(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        fprintf(stderr, "squatlock: cannot start the squatter (error %lu)\n", GetLastError());
        exit(1);
    }
    CloseHandle(pi.hThread);
    HANDLE both[2] = {held, pi.hProcess};
    if (WaitForMultipleObjects(2, both, FALSE, 60000) != WAIT_OBJECT_0) {
        fprintf(stderr, "squatlock: the squatter exited or hung before squatting\n");
        exit(1);
    }
    printf("squatter holds %ls\n", shape);
    return pi.hProcess;
}

int wmain(int argc, wchar_t **argv)
{
    if (argc == 4 && wcscmp(argv[1], L"hold") == 0)
        return hold(argv[2], argv[3]);
    if (argc != 2) {
        fprintf(stderr, "usage: squatlock.exe SHAPE | hold SHAPE EVENT\n");
        return 2;
    }
    HANDLE squatter = start_squatter(argv[1]);
    load_shmem("squatlock");
    WCHAR out[16] = L"?";
    /* Twice: the status lasts while the squatter does. */
    for (int i = 0; i < 2; i++) {
        BOOL ok = shmemgen_lib.set((LPWSTR)L"squatted");
        printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    }
    BOOL ok = shmemgen_lib.get(out, ARRAYSIZE(out));
    printf("get: ok=%d status=%s text=\"%ls\"\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), out);
    printf("size: %llu status=%s\n", shmemgen_lib.size(), status_name(shmemgen_lib.status()));

    TerminateProcess(squatter, 9);
    WaitForSingleObject(squatter, INFINITE);
    printf("squatter killed\n");
    /* Setup retries at least once a second: give it ten. */
    ULONGLONG start = GetTickCount64();
    DWORD status;
    do {
        ok = shmemgen_lib.set((LPWSTR)L"after");
        status = shmemgen_lib.status();
        if (!ok)
            Sleep(20);
    } while (!ok && status == SHMEM_STATUS_SQUATTED && GetTickCount64() - start < 10000);
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(status));
    ok = shmemgen_lib.get(out, ARRAYSIZE(out));
    printf("get: ok=%d status=%s text=\"%ls\"\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), out);
    return 0;
}
