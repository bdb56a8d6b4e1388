/*
 * fault passes the exports a source that runs into an unreadable page with
 * no terminator before it. The exports are C and do not catch the fault:
 * the caller dies, as it would in memcpy, holding the lock. The next caller
 * must take the lock over and say so.
 *
 *   fault.exe              drive: for set and for write-bytes, start a
 *                          child that faults, then call the export again
 *   fault.exe crash WHAT   fault in WHAT (set or write)
 */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "shmem.h"
#include "status.h"
#include "spawn.h"

/* die ends the process at once with the exception's code, as a crash does on
 * Windows, without Wine's debugger. */
static LONG WINAPI die(EXCEPTION_POINTERS *e)
{
    TerminateProcess(GetCurrentProcess(), e->ExceptionRecord->ExceptionCode);
    return EXCEPTION_CONTINUE_SEARCH;
}

static int crash(const wchar_t *what)
{
    SetUnhandledExceptionFilter(die);
    /* 1000 'B's at the end of a readable page, then a PAGE_NOACCESS page:
     * the copy starts under the lock and faults. */
    BYTE *p = VirtualAlloc(NULL, 4 * 4096, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    DWORD old;
    if (p == NULL || !VirtualProtect(p + 2 * 4096, 4096, PAGE_NOACCESS, &old))
        return 1;
    WCHAR *b = (WCHAR *)(p + 2 * 4096) - 1000;
    for (int i = 0; i < 1000; i++)
        b[i] = L'B';
    if (wcscmp(what, L"set") == 0)
        SetSharedMem(b);
    else
        WriteSharedBytes(p + 2 * 4096 - 2048, 0, 4096);
    return 0; /* not reached */
}

/* run_crash starts "fault.exe crash WHAT", waits for it and prints how it
 * ended. */
static void run_crash(const wchar_t *what)
{
    WCHAR args[64];
    _snwprintf(args, ARRAYSIZE(args), L"crash %ls", what);
    HANDLE child = spawnw(NULL, args);
    DWORD code = 0;
    WaitForSingleObject(child, INFINITE);
    GetExitCodeProcess(child, &code);
    printf("crash in %ls: exit=0x%08lx\n", what, code);
    CloseHandle(child);
}

int wmain(int argc, wchar_t **argv)
{
    if (argc == 3 && wcscmp(argv[1], L"crash") == 0)
        return crash(argv[2]);
    static WCHAR out[4096];
    SetSharedMem((LPWSTR)L"before");

    run_crash(L"set");
    BOOL ok = GetSharedMem(out, ARRAYSIZE(out));
    printf("get: ok=%d status=%s text=%d x B\n", ok, status_name(SharedMemLastError()), (int)wcsspn(out, L"B"));
    ok = GetSharedMem(out, ARRAYSIZE(out));
    printf("get: ok=%d status=%s\n", ok, status_name(SharedMemLastError()));

    run_crash(L"write");
    ok = SetSharedMem((LPWSTR)L"after");
    printf("set: ok=%d status=%s\n", ok, status_name(SharedMemLastError()));
    return 0;
}
