/*
 * global plays a client of a Global\ mapping that loads before its
 * service. Creating a Global\ section needs SeCreateGlobalPrivilege, which
 * an ordinary program lacks and which Wine does not enforce: the DLL it
 * loads is a test build that refuses to create the section, with
 * ERROR_ACCESS_DENIED as Windows would, when SHMEMGEN_DENY_CREATE is set
 * as the DLL loads. The client sets it, loads the DLL, clears it, calls
 * the DLL, then starts the service (this program again, whose DLL may
 * create the section) and waits for the DLL to find the service's section.
 *
 * Usage: global.exe | global.exe service | global.exe wait
 *
 *   wait  for a check by hand on Windows, with the project's own DLL:
 *         print the first call's status, then wait up to a minute for
 *         another process to create the section, and print the text.
 */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

#include "shmem.h"
#include "status.h"
#include "lib.h"
#include "spawn.h"

static const wchar_t deny[] = L"SHMEMGEN_DENY_CREATE";

/* poll calls get until it succeeds and, with want, reads want, for at
 * most ms. */
static BOOL poll(WCHAR *out, size_t cch, const wchar_t *want, ULONGLONG ms)
{
    ULONGLONG start = GetTickCount64();
    for (;;) {
        BOOL ok = shmemgen_lib.get(out, (DWORD)cch);
        if ((ok && (want == NULL || wcscmp(out, want) == 0)) || GetTickCount64() - start >= ms)
            return ok;
        Sleep(20);
    }
}

static int wait_by_hand(void)
{
    WCHAR out[256] = L"?";
    load_shmem("global");
    BOOL ok = shmemgen_lib.get(out, ARRAYSIZE(out));
    printf("first: get: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    fflush(stdout);
    ok = poll(out, ARRAYSIZE(out), NULL, 60000);
    printf("last: get: ok=%d status=%s text=\"%ls\"\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), out);
    return ok ? 0 : 1;
}

static int service(void)
{
    load_shmem("global");
    BOOL ok = shmemgen_lib.set((LPWSTR)L"service");
    printf("service: set: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    fflush(stdout);
    /* Hold the section until the client kills this process. */
    Sleep(60000);
    return 0;
}

int wmain(int argc, wchar_t **argv)
{
    if (argc == 2 && wcscmp(argv[1], L"service") == 0)
        return service();
    if (argc == 2 && wcscmp(argv[1], L"wait") == 0)
        return wait_by_hand();
    if (argc != 1) {
        fprintf(stderr, "usage: global.exe [service | wait]\n");
        return 2;
    }
    SetEnvironmentVariableW(deny, L"1");
    load_shmem("global");
    WCHAR out[16] = L"?";
    BOOL ok = shmemgen_lib.get(out, ARRAYSIZE(out));
    /* The service, started below, inherits the environment. */
    SetEnvironmentVariableW(deny, NULL);
    printf("before the service: get: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    /* Still refused a second later: nothing has changed. */
    Sleep(1000);
    ok = shmemgen_lib.get(out, ARRAYSIZE(out));
    printf("a second later: get: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));

    HANDLE svc = spawnw(NULL, L"service");
    /* Setup retries at least once a second: give it ten seconds. The
     * service may not have set its text when the DLL first finds it. */
    ok = poll(out, ARRAYSIZE(out), L"service", 10000);
    printf("after the service: get: ok=%d status=%s text=\"%ls\"\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), out);
    proc_kill(svc);
    return 0;
}
