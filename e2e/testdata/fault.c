/*
 * fault passes sources that run into an unreadable page, with no
 * terminator before it: the call must fail with FAULT and leave the shared
 * payload as it was, never half a write.
 */
#include <windows.h>
#include <stdio.h>
#include <string.h>

#include "shmem.h"
#include "status.h"

int wmain(void)
{
    static WCHAR a[2001], out[4096];
    for (int i = 0; i < 2000; i++)
        a[i] = L'A';
    SetSharedMem(a);

    /* 100 'B's at the end of a readable page, then a PAGE_NOACCESS page. */
    BYTE *p = VirtualAlloc(NULL, 2 * 4096, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    DWORD old;
    if (p == NULL || !VirtualProtect(p + 4096, 4096, PAGE_NOACCESS, &old))
        return 1;
    WCHAR *b = (WCHAR *)(p + 4096) - 100;
    for (int i = 0; i < 100; i++)
        b[i] = L'B';
    BOOL ok = SetSharedMem(b);
    printf("set: ok=%d status=%s\n", ok, status_name(SharedMemLastError()));
    GetSharedMem(out, 4096);
    size_t as = wcsspn(out, L"A");
    printf("string: %d x A, length %d\n", (int)as, (int)wcslen(out));

    /* The same with the byte export: 2048 readable 'C's, then the page. */
    static BYTE d[4096], all[4096];
    memset(d, 'D', sizeof d);
    WriteSharedBytes(d, 0, sizeof d);
    memset(p + 4096 - 2048, 'C', 2048);
    ok = WriteSharedBytes(p + 4096 - 2048, 0, 4096);
    printf("write bytes: ok=%d status=%s\n", ok, status_name(SharedMemLastError()));
    ReadSharedBytes(all, 0, sizeof all);
    size_t ds = 0;
    while (ds < sizeof all && all[ds] == 'D')
        ds++;
    printf("payload: %d x D\n", (int)ds);
    return 0;
}
