/*
 * setuplock checks that a DLL whose setup failed let go of the setup mutex
 * (SHMEM_LOCK_NAME): the mutex is a named kernel object that outlives the
 * failure, and one left owned by the DLL's setup thread, which never exits,
 * would cost every other process the lock timeout and then a spurious
 * ABANDONED, for as long as the failed process lives.
 *
 * Usage:
 *   setuplock.exe squat        create the section first, too small and full
 *                              of garbage, then run "fail"
 *   setuplock.exe fail         load shmem.dll from beside the program, which
 *                              must fail setup; then, with this process and
 *                              its DLL alive, take the mutex from this
 *                              process's main thread and from a child
 *   setuplock.exe first DIR    load the DLL, set a string, then run
 *                              DIR\setuplock.exe fail: another build of the
 *                              same name with another size
 *   setuplock.exe take         the child: take the mutex within 2 s
 *
 * Each check prints "NAME: free" when it got the mutex at once
 * (WAIT_OBJECT_0), else what it got.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "shmem.h"
#include "status.h"
#include "lib.h"

static const char *wait_name(DWORD w)
{
    switch (w) {
    case WAIT_OBJECT_0:
        return "free";
    case WAIT_ABANDONED:
        return "abandoned";
    case WAIT_TIMEOUT:
        return "held";
    }
    return "failed";
}

/* spawn runs line in dir with this process's standard output and waits
 * for it; it returns the exit code. */
static DWORD spawn(wchar_t *line, const wchar_t *dir)
{
    STARTUPINFOW si = {.cb = sizeof si, .dwFlags = STARTF_USESTDHANDLES};
    PROCESS_INFORMATION pi;
    DWORD code = 1;
    fflush(stdout);
    fflush(stderr);
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    SetHandleInformation(si.hStdOutput, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    SetHandleInformation(si.hStdError, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    if (!CreateProcessW(NULL, line, NULL, NULL, TRUE, 0, NULL, dir, &si, &pi)) {
        fprintf(stderr, "setuplock: cannot start %ls (error %lu)\n", line, GetLastError());
        exit(1);
    }
    WaitForSingleObject(pi.hProcess, 60000);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return code;
}

static int take(void)
{
    HANDLE lock = OpenMutexW(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, SHMEM_LOCK_NAME);
    if (lock == NULL) {
        printf("child: cannot open the mutex (error %lu)\n", GetLastError());
        return 1;
    }
    DWORD w = WaitForSingleObject(lock, 2000);
    printf("child: %s\n", wait_name(w));
    if (w == WAIT_OBJECT_0 || w == WAIT_ABANDONED)
        ReleaseMutex(lock);
    return 0;
}

static int fail(void)
{
    /* Keep the mutex alive whatever the DLL does with its own handle, as
     * any other running user of the name would. */
    HANDLE lock = CreateMutexW(NULL, FALSE, SHMEM_LOCK_NAME);
    if (lock == NULL) {
        fprintf(stderr, "setuplock: cannot open the mutex (error %lu)\n", GetLastError());
        return 1;
    }
    load_shmem("setuplock");
    BOOL ok = shmemgen_lib.set((LPWSTR)L"refused");
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    /* Setup ran on a thread of the Go runtime, not this one: a mutex it
     * still owned would not be this thread's to take. */
    DWORD w = WaitForSingleObject(lock, 0);
    printf("this process: %s\n", wait_name(w));
    if (w == WAIT_OBJECT_0 || w == WAIT_ABANDONED)
        ReleaseMutex(lock);
    WCHAR self[MAX_PATH], line[MAX_PATH + 16];
    GetModuleFileNameW(NULL, self, MAX_PATH);
    _snwprintf(line, ARRAYSIZE(line), L"\"%ls\" take", self);
    line[ARRAYSIZE(line) - 1] = 0;
    return (int)spawn(line, NULL);
}

/* squat creates the section, 4096 bytes of 0xAB: smaller than the DLL's
 * and no header. */
static void squat(void)
{
    HANDLE section = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, SHMEM_MAPPING_NAME);
    BYTE *view = section ? MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, 0) : NULL;
    if (view == NULL || GetLastError() == ERROR_ALREADY_EXISTS) {
        fprintf(stderr, "setuplock: cannot squat (error %lu)\n", GetLastError());
        exit(2);
    }
    memset(view, 0xab, 4096);
}

static int first(const wchar_t *dir)
{
    load_shmem("setuplock");
    BOOL ok = shmemgen_lib.set((LPWSTR)L"first");
    printf("first: ok=%d status=%s size=%llu\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), shmemgen_lib.size());
    WCHAR line[2 * MAX_PATH];
    _snwprintf(line, ARRAYSIZE(line), L"\"%ls\\setuplock.exe\" fail", dir);
    line[ARRAYSIZE(line) - 1] = 0;
    DWORD code = spawn(line, dir);
    /* The first build is untouched by the other's failure. */
    WCHAR out[16] = L"";
    ok = shmemgen_lib.get(out, ARRAYSIZE(out));
    printf("first: ok=%d status=%s text=\"%ls\"\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), out);
    return (int)code;
}

int wmain(int argc, wchar_t **argv)
{
    if (argc == 2 && wcscmp(argv[1], L"take") == 0)
        return take();
    if (argc == 2 && wcscmp(argv[1], L"fail") == 0)
        return fail();
    if (argc == 2 && wcscmp(argv[1], L"squat") == 0) {
        squat();
        return fail();
    }
    if (argc == 3 && wcscmp(argv[1], L"first") == 0)
        return first(argv[2]);
    fprintf(stderr, "usage: setuplock.exe squat | fail | first DIR | take\n");
    return 2;
}
