/*
 * access loads shmem.dll, makes a call, then finds the DLL's handles to
 * its three named objects among this process's handles and prints the
 * access each was granted, read back with NtQueryObject: the DLL must ask
 * for the rights it uses and no more. Run it where the objects already
 * exist (as the child of parent.exe): a creator's handles get what
 * creation gives.
 *
 * Prints "set: ok=1 status=0", then "mapping|lock|wake access: 0x...".
 */
#include <windows.h>
#include <winternl.h>
#include <stdio.h>
#include <wchar.h>

#include "shmem.h"
#include "status.h"
#include "lib.h"

/* OBJECT_BASIC_INFORMATION, as ntdll fills it; winternl.h declares
 * PUBLIC_OBJECT_BASIC_INFORMATION, whose first two fields are the same. */
typedef struct {
    ULONG Attributes;
    ACCESS_MASK GrantedAccess;
    ULONG Reserved[20];
} BASIC_INFO;

typedef NTSTATUS(NTAPI *query_object)(HANDLE, OBJECT_INFORMATION_CLASS, PVOID, ULONG, PULONG);

/* ends_with reports whether the counted string s ends with suffix. */
static BOOL ends_with(const UNICODE_STRING *s, const wchar_t *suffix)
{
    size_t n = s->Length / sizeof(WCHAR), m = wcslen(suffix);
    return n >= m && wmemcmp(s->Buffer + n - m, suffix, m) == 0;
}

int wmain(void)
{
    load_shmem("access");
    BOOL ok = shmemgen_lib.set((LPWSTR)L"access");
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));

    query_object query = (query_object)(void *)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtQueryObject");
    if (query == NULL) {
        fprintf(stderr, "access: no NtQueryObject\n");
        return 1;
    }
    /* The names without their namespace prefix, as the object manager
     * ends them: ...\BaseNamedObjects\NAME. */
    const wchar_t *name = wcschr(SHMEM_MAPPING_NAME, L'\\') ? wcschr(SHMEM_MAPPING_NAME, L'\\') + 1 : SHMEM_MAPPING_NAME;
    WCHAR lock[MAX_PATH], wake[MAX_PATH];
    _snwprintf(lock, MAX_PATH, L"%ls.lock", name);
    _snwprintf(wake, MAX_PATH, L"%ls.wake", name);
    const wchar_t *names[3] = {name, lock, wake};
    const char *labels[3] = {"mapping", "lock", "wake"};
    ACCESS_MASK granted[3] = {0};
    int found[3] = {0};
    for (ULONG_PTR v = 4; v < 0x10000; v += 4) {
        HANDLE h = (HANDLE)v;
        union {
            OBJECT_NAME_INFORMATION info;
            BYTE bytes[4096];
        } buf;
        ULONG len = 0;
        if (query(h, ObjectNameInformation, &buf, sizeof buf, &len) < 0 || buf.info.Name.Buffer == NULL)
            continue;
        for (int i = 0; i < 3; i++) {
            WCHAR want[MAX_PATH + 2];
            _snwprintf(want, ARRAYSIZE(want), L"\\%ls", names[i]);
            if (!ends_with(&buf.info.Name, want))
                continue;
            BASIC_INFO basic;
            if (query(h, ObjectBasicInformation, &basic, sizeof basic, &len) < 0)
                continue;
            /* The parent's handles are not inherited: these are the DLL's
             * (and load.h opens none). Report the widest one. */
            granted[i] |= basic.GrantedAccess;
            found[i]++;
        }
    }
    for (int i = 0; i < 3; i++) {
        if (found[i] == 0)
            printf("%s access: no handle\n", labels[i]);
        else
            printf("%s access: 0x%lx\n", labels[i], granted[i]);
    }
    return 0;
}
