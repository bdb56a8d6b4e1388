/*
 * huge drives a mapping of more than 4 GiB: its size only reaches
 * CreateFileMapping whole if split into the right high and low DWORDs.
 */
#include <windows.h>
#include <stdio.h>

#include "shmem.h"
#include "status.h"

int wmain(void)
{
    /* Separate statements: C leaves the order of a call's arguments open. */
    unsigned long long size = SharedMemSize();
    printf("size: %llu status=%s\n", size, status_name(SharedMemLastError()));
    WCHAR text[8];
    BOOL set = SetSharedMem((LPWSTR)L"huge");
    BOOL get = GetSharedMem(text, 8);
    printf("set: ok=%d get: ok=%d text=%ls\n", set, get, text);

    /* The last offset a DWORD reaches, well inside the payload. */
    BYTE b = 0x5a, r = 0;
    BOOL w = WriteSharedBytes(&b, 0xFFFFFFFFu, 1);
    BOOL rd = ReadSharedBytes(&r, 0xFFFFFFFFu, 1);
    printf("byte at 0xFFFFFFFF: write=%d read=%d value=0x%02x\n", w, rd, r);
    return 0;
}
