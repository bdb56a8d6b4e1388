/*
 * trust squats on the DLL's names the way an attacker who read the
 * documented layout would: it creates the setup mutex and a full-size
 * section with a valid header, giving both the owner OWNER, then loads the
 * DLL and calls it. It prints what the DLL did, whether the squatted
 * section was written, and, after the squatter closed its handles (which
 * destroys its objects), whether the DLL recovers.
 *
 * Usage: trust.exe OWNER [LABEL] | trust.exe plain
 *
 *   OWNER  a SID string, or "self" for this process's user. Windows lets a
 *          process make only itself or a group it holds with the owner
 *          attribute the owner; Wine 8 lets it name any SID, which is how
 *          a test under Wine plays another user. Where Windows refuses
 *          the owner (ERROR_INVALID_OWNER), it prints "owner refused"
 *          and exits 3.
 *   LABEL  an integrity level as SDDL names it (LW, ME): the objects'
 *          mandatory label, as a process at that level gives its objects.
 *          Both Windows and Wine let a process label an object below its
 *          own level, though Wine enforces no levels.
 *   plain  no squatter: load the DLL and call it (--trust namespace, where
 *          Wine lacks private namespaces)
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

static void call(const wchar_t *text)
{
    WCHAR out[16] = L"?";
    BOOL ok = shmemgen_lib.set((LPWSTR)text);
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    ok = shmemgen_lib.get(out, ARRAYSIZE(out));
    printf("get: ok=%d status=%s text=\"%ls\"\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), out);
}

/* self_sid returns this process's user's SID as a string. */
static wchar_t *self_sid(void)
{
    HANDLE token;
    BYTE buf[256];
    DWORD n;
    wchar_t *s = NULL;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token) ||
        !GetTokenInformation(token, TokenUser, buf, sizeof buf, &n) ||
        !ConvertSidToStringSidW(((TOKEN_USER *)buf)->User.Sid, &s)) {
        fprintf(stderr, "trust: cannot read the token's user (error %lu)\n", GetLastError());
        exit(2);
    }
    return s;
}

int wmain(int argc, wchar_t **argv)
{
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: trust.exe OWNER [LABEL] | plain\n");
        return 2;
    }
    if (wcscmp(argv[1], L"plain") == 0) {
        load_shmem("trust");
        call(L"plain");
        return 0;
    }
    wchar_t *owner = wcscmp(argv[1], L"self") == 0 ? self_sid() : argv[1];
    wchar_t sddl[256];
    _snwprintf(sddl, ARRAYSIZE(sddl), L"O:%lsD:(A;;GA;;;WD)", owner);
    if (argc == 3)
        _snwprintf(sddl + wcslen(sddl), ARRAYSIZE(sddl) - wcslen(sddl), L"S:(ML;;NW;;;%ls)", argv[2]);
    sddl[ARRAYSIZE(sddl) - 1] = 0;
    PSECURITY_DESCRIPTOR sd = NULL;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, NULL)) {
        fprintf(stderr, "trust: SDDL %ls refused (error %lu)\n", sddl, GetLastError());
        return 2;
    }
    SECURITY_ATTRIBUTES sa = {sizeof sa, sd, FALSE};
    HANDLE lock = CreateMutexW(&sa, FALSE, SHMEM_LOCK_NAME);
    if (lock == NULL && GetLastError() == ERROR_INVALID_OWNER) {
        /* Windows: this process may not make OWNER an owner. */
        printf("owner refused: %ls\n", owner);
        return 3;
    }
    if (lock == NULL || GetLastError() == ERROR_ALREADY_EXISTS) {
        fprintf(stderr, "trust: cannot squat the lock with owner %ls (error %lu)\n", owner, GetLastError());
        return 1;
    }
    HANDLE section = CreateFileMappingW(INVALID_HANDLE_VALUE, &sa, PAGE_READWRITE, 0, SHMEM_MAPPING_SIZE, SHMEM_MAPPING_NAME);
    if (section == NULL || GetLastError() == ERROR_ALREADY_EXISTS) {
        fprintf(stderr, "trust: cannot squat the section with owner %ls (error %lu)\n", owner, GetLastError());
        return 1;
    }
    BYTE *view = MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, 0);
    if (view == NULL) {
        fprintf(stderr, "trust: MapViewOfFile failed (error %lu)\n", GetLastError());
        return 1;
    }
    SHMEM_HEADER *h = (SHMEM_HEADER *)view;
    memset(h, 0, sizeof *h);
    h->magic = SHMEM_LAYOUT_MAGIC;
    h->version = SHMEM_LAYOUT_VERSION;
    h->header_size = sizeof *h;
    h->payload_size = SHMEM_PAYLOAD_SIZE;
    h->generation = 1;
    printf("squatter owns the lock and the section\n");

    load_shmem("trust");
    call(L"squatted");
    printf("squatter read: generation=%llu\n", (unsigned long long)h->generation);

    UnmapViewOfFile(view);
    CloseHandle(section);
    CloseHandle(lock);
    printf("squatter gone\n");
    /* Setup retries at least once a second: give it ten. */
    ULONGLONG start = GetTickCount64();
    DWORD status;
    BOOL ok;
    do {
        ok = shmemgen_lib.set((LPWSTR)L"after");
        status = shmemgen_lib.status();
        if (!ok)
            Sleep(20);
    } while (!ok && status == SHMEM_STATUS_SQUATTED && GetTickCount64() - start < 10000);
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(status));
    return 0;
}
