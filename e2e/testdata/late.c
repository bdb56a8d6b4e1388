/*
 * late loads the DLL while another process holds, or has just abandoned,
 * the mutex that guards setup: setup itself meets the mutex's state.
 *
 *   late.exe abandoned   the holder dies holding the lock before the DLL
 *                        loads: an abandoned setup says nothing of the
 *                        data, so no call reports ABANDONED
 *   late.exe held        the holder keeps the lock while the DLL loads
 *                        (past the timeout), then dies: once the lock is
 *                        free, calls must work again
 */
#include <windows.h>
#include <stdio.h>
#include <string.h>

#include "shmem.h"
#include "status.h"
#include "lib.h"
#include "spawn.h"

/* start_holder starts "lock.exe hold-setup EVENT" and waits until it holds
 * the setup mutex. */
static HANDLE start_holder(void)
{
    HANDLE held = CreateEventW(NULL, TRUE, FALSE, L"Local\\shmemgen-late-held");
    if (held == NULL) {
        fprintf(stderr, "late: cannot create the event (error %lu)\n", GetLastError());
        exit(1);
    }
    HANDLE holder = spawnw(L"lock.exe", L"hold-setup Local\\shmemgen-late-held");
    if (WaitForSingleObject(held, 60000) != WAIT_OBJECT_0) {
        fprintf(stderr, "the holder never took the lock\n");
        exit(1);
    }
    return holder;
}

static void kill_holder(HANDLE holder)
{
    TerminateProcess(holder, 9);
    WaitForSingleObject(holder, INFINITE);
}

int wmain(int argc, wchar_t **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: late.exe abandoned|held\n");
        return 2;
    }
    /* Keep the mutex alive across the holder's death, as any other running
     * user of the DLL would. */
    HANDLE keep = CreateMutexW(NULL, FALSE, SHMEM_LOCK_NAME);
    if (keep == NULL)
        return 1;
    HANDLE holder = start_holder();
    if (wcscmp(argv[1], L"abandoned") == 0) {
        kill_holder(holder);
        load_shmem("late");
        BOOL ok = shmemgen_lib.set((LPWSTR)L"after");
        printf("set: ok=%d status=%s\n", ok, status_name(shmemgen_lib.status()));
        ok = shmemgen_lib.set((LPWSTR)L"again");
        printf("set: ok=%d status=%s\n", ok, status_name(shmemgen_lib.status()));
        return 0;
    }
    load_shmem("late");
    BOOL ok = shmemgen_lib.set((LPWSTR)L"held");
    printf("set: ok=%d status=%s\n", ok, status_name(shmemgen_lib.status()));
    kill_holder(holder);
    /* Setup, still going on in the background, takes the abandoned mutex,
     * and the calls work. */
    ok = shmemgen_lib.set((LPWSTR)L"free");
    printf("set: ok=%d status=%s\n", ok, status_name(shmemgen_lib.status()));
    ok = shmemgen_lib.set((LPWSTR)L"again");
    printf("set: ok=%d status=%s\n", ok, status_name(shmemgen_lib.status()));
    return 0;
}
