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

    /* Offsets past 4 GiB, up to the payload's last byte: every byte is
     * reachable with 64-bit offsets. */
    ULONGLONG offsets[] = {0xFFFFFFFFull, 0x100000000ull, SHMEM_PAYLOAD_SIZE - 1};
    for (int i = 0; i < 3; i++) {
        BYTE b = (BYTE)(0x5a + i), r = 0;
        BOOL w = WriteSharedBytes(&b, offsets[i], 1);
        BOOL rd = ReadSharedBytes(&r, offsets[i], 1);
        printf("byte at 0x%llX: write=%d read=%d value=0x%02x\n", offsets[i], w, rd, r);
    }
    BYTE b = 0;
    BOOL past = WriteSharedBytes(&b, SHMEM_PAYLOAD_SIZE, 1);
    printf("byte past the end: write=%d status=%s\n", past, status_name(SharedMemLastError()));
    return 0;
}
