/*
 * probe calls every export of shmem.dll once and prints "export: result"
 * lines. It loads the DLL at run time, after optionally squatting on the
 * mapping's name: creating the section first, as a hostile or stale
 * program would, so that the DLL opens a section that is not its own.
 *
 * Usage: probe.exe [dacl | squat SIZE garbage|header|version|reserved]
 *
 *   dacl     afterwards, print the DACLs of the mapping, the setup mutex, the
 *            wake event and the note semaphore as SDDL
 *
 *   garbage  the section is 0xAB throughout
 *   header   a valid header claiming the full payload: only the real size
 *            of the view tells the DLL it must not trust it
 *   version  a valid header of another layout version
 *   reserved a section created with SEC_RESERVE, of which nothing is
 *            committed. Under Wine, which lets a reserved page be written
 *            and read, it holds a valid header: only VirtualQuery's state
 *            tells the DLL not to trust it. On Windows, where touching it
 *            faults, the squatter writes nothing (a manual check: a DLL
 *            that read the header would kill the probe)
 */
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "shmem.h"
#include "status.h"
#include "lib.h"


/* squat creates the section and fills it; it returns the view, and a copy
 * of what it wrote in *want, for checking afterwards that the DLL wrote
 * nothing. */
static BYTE *squat(DWORD *sizep, const wchar_t *kind, BYTE **want)
{
    DWORD size = *sizep;
    DWORD protect = PAGE_READWRITE | (wcscmp(kind, L"reserved") == 0 ? SEC_RESERVE : 0);
    HANDLE section = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, protect, 0, size, SHMEM_MAPPING_NAME);
    if (section == NULL || GetLastError() == ERROR_ALREADY_EXISTS) {
        fprintf(stderr, "probe: cannot squat (error %lu)\n", GetLastError());
        exit(2);
    }
    BYTE *view = MapViewOfFile(section, FILE_MAP_WRITE, 0, 0, 0);
    if (view == NULL) {
        fprintf(stderr, "probe: MapViewOfFile failed (error %lu)\n", GetLastError());
        exit(2);
    }
    if (wcscmp(kind, L"reserved") == 0 && GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version") == NULL) {
        *sizep = 0; /* nothing to write or compare */
        *want = NULL;
        return view;
    }
    memset(view, 0xab, size);
    SHMEM_HEADER *h = (SHMEM_HEADER *)view;
    if (wcscmp(kind, L"header") == 0 || wcscmp(kind, L"version") == 0 || wcscmp(kind, L"reserved") == 0) {
        memset(h, 0, sizeof *h);
        h->magic = SHMEM_LAYOUT_MAGIC;
        h->version = SHMEM_LAYOUT_VERSION + (wcscmp(kind, L"version") == 0);
        h->header_size = sizeof *h;
        h->payload_size = SHMEM_PAYLOAD_SIZE;
    } else if (wcscmp(kind, L"garbage") != 0) {
        fprintf(stderr, "probe: unknown squat %ls\n", kind);
        exit(2);
    }
    *want = malloc(size);
    memcpy(*want, view, size);
    return view;
}

/* print_dacl prints the DACL of the object h, opened for READ_CONTROL. */
static void print_dacl(const char *what, HANDLE h)
{
    PSECURITY_DESCRIPTOR sd = NULL;
    LPWSTR sddl = NULL;
    DWORD err = h == NULL ? GetLastError()
                          : GetSecurityInfo(h, SE_KERNEL_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL, NULL, NULL, &sd);
    if (err == ERROR_SUCCESS &&
        !ConvertSecurityDescriptorToStringSecurityDescriptorW(sd, SDDL_REVISION_1, DACL_SECURITY_INFORMATION, &sddl, NULL))
        err = GetLastError();
    if (err != ERROR_SUCCESS)
        printf("%s dacl: error %lu\n", what, err);
    else
        printf("%s dacl: %ls\n", what, sddl);
}

int wmain(int argc, wchar_t **argv)
{
    BYTE *view = NULL, *want = NULL;
    DWORD size = 0;
    if (argc == 4 && wcscmp(argv[1], L"squat") == 0) {
        size = wcstoul(argv[2], NULL, 10);
        view = squat(&size, argv[3], &want);
    } else if (argc > 2 || (argc == 2 && wcscmp(argv[1], L"dacl") != 0)) {
        fprintf(stderr, "usage: probe.exe [dacl | squat SIZE garbage|header|version|reserved]\n");
        return 2;
    }
    load_shmem("probe");

    /* Each line shows the status the call left. */
    unsigned long long n = shmemgen_lib.size();
    printf("size: %llu status=%s\n", n, status_name(shmemgen_lib.status()));

    BOOL ok = shmemgen_lib.set((LPWSTR)L"probe");
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));

    WCHAR text[16];
    wmemset(text, L'?', ARRAYSIZE(text));
    ok = shmemgen_lib.get(text, ARRAYSIZE(text));
    printf("get: ok=%d status=%s text=\"%ls\"\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), text[0] == L'?' ? L"(untouched)" : text);

    ok = shmemgen_lib.write_bytes("xyz", 1, 3);
    printf("write bytes: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));

    char bytes[5] = "????";
    ok = shmemgen_lib.read_bytes(bytes, 1, 3);
    printf("read bytes: ok=%d status=%s bytes=\"%s\"\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), bytes);

    if (view != NULL)
        printf("squatted section untouched: %d\n", memcmp(view, want, size) == 0);
    if (argc == 2) {
        print_dacl("mapping", OpenFileMappingW(READ_CONTROL, FALSE, SHMEM_MAPPING_NAME));
        print_dacl("lock", OpenMutexW(READ_CONTROL, FALSE, SHMEM_LOCK_NAME));
        print_dacl("wake", OpenEventW(READ_CONTROL, FALSE, SHMEM_WAKE_NAME));
        print_dacl("note", OpenEventW(READ_CONTROL, FALSE, SHMEM_NOTE_NAME));
    }
    return 0;
}
