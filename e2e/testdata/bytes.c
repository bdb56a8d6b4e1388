/*
 * bytes calls the byte exports at their boundaries, and every export with
 * the bad arguments that set a status, printing one "case: result" line
 * each for bytes_test.go to check, with the status the call left. It links
 * against shmem.dll and expects the default 4096-byte payload.
 */
#include <stdio.h>
#include <string.h>

#include "shmem.h"
#include "port.h"
#include "status.h"

#define SIZE ((DWORD)SHMEM_PAYLOAD_SIZE)

static BYTE buf[SIZE + 16];

static void result(const char *name, BOOL ok)
{
    printf("%s: ok=%d status=%s\n", name, ok ? 1 : 0, status_name(SharedMemLastError()));
}

static BYTE byte_at(DWORD offset)
{
    BYTE b = 0xee;
    ReadSharedBytes(&b, offset, 1);
    return b;
}

static void write_elsewhere(void)
{
    result("write from another thread after the failures", WriteSharedBytes("ok", 0, 2));
}

static int program(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("size: %llu\n", (unsigned long long)SharedMemSize());

    /* The last valid byte, and one past it. Cases alternate between
     * success and failure where they can, so that a status left over from
     * the call before cannot pass for the right one. */
    BYTE b = 0x5c;
    result("write last byte", WriteSharedBytes(&b, SIZE - 1, 1));
    b = 0x77;
    result("write one past", WriteSharedBytes(&b, SIZE, 1));
    b = 0;
    BOOL ok = ReadSharedBytes(&b, SIZE - 1, 1);
    printf("read last byte: ok=%d status=%s byte=0x%02x\n", ok ? 1 : 0, status_name(SharedMemLastError()), b);
    b = 0x77;
    ok = ReadSharedBytes(&b, SIZE, 1);
    printf("read one past: ok=%d status=%s untouched=%d\n", ok ? 1 : 0, status_name(SharedMemLastError()), b == 0x77);

    /* n == 0 is a valid empty range at the end, not one past it. */
    result("write n=0 at size", WriteSharedBytes(&b, SIZE, 0));
    BYTE two[2] = {0x11, 0x22};
    result("write across the end", WriteSharedBytes(two, SIZE - 1, 2));
    printf("last byte after it: 0x%02x\n", byte_at(SIZE - 1));
    result("write n=0 past size", WriteSharedBytes(&b, SIZE + 1, 0));
    result("read n=0 at size", ReadSharedBytes(&b, SIZE, 0));
    /* offset + n overflows 64 bits: a plain sum would wrap into range. */
    result("write offset 1 n=2^64-1", WriteSharedBytes(buf, 1, ~0ULL));
    result("write NULL n=0", WriteSharedBytes(NULL, 0, 0));
    result("read offset 2^64-1 n=1", ReadSharedBytes(buf, ~0ULL, 1));
    result("read offset 2^32 n=1", ReadSharedBytes(buf, 1ULL << 32, 1));

    result("write NULL", WriteSharedBytes(NULL, 0, 1));
    result("read NULL", ReadSharedBytes(NULL, 0, 1));

    /* The failures took no lock: another thread gets it. The status is
     * per thread: that thread's success leaves ours alone. */
    in_thread(write_elsewhere);
    printf("status of this thread after that: %s\n", status_name(SharedMemLastError()));

    /* The whole payload, written and read back. */
    for (DWORD i = 0; i < SIZE; i++)
        buf[i] = (BYTE)(i * 7 + 3);
    ok = WriteSharedBytes(buf, 0, SIZE);
    BYTE back[SIZE];
    memset(back, 0, sizeof back);
    BOOL ok2 = ReadSharedBytes(back, 0, SIZE);
    printf("whole payload: write ok=%d read ok=%d same=%d\n", ok ? 1 : 0, ok2 ? 1 : 0, memcmp(buf, back, SIZE) == 0);

    /* The string and the bytes are the same payload: the string is UTF-16LE
     * from offset 0, NUL-terminated. */
    SetSharedMem((LPWSTR)u"AB");
    BYTE s[6];
    memset(s, 0xee, sizeof s);
    ReadSharedBytes(s, 0, sizeof s);
    printf("bytes of set \"AB\": %02x %02x %02x %02x %02x %02x\n", s[0], s[1], s[2], s[3], s[4], s[5]);
    WCHAR text[8];
    WriteSharedBytes("h\0i\0\0", 0, 6);
    GetSharedMem(text, ARRAYSIZE(text));
    printf("get after writing bytes \"h\\0i\\0\\0\\0\": \"%s\"\n", ascii(text));

    /* The statuses of the string exports' failures. */
    result("set NULL", SetSharedMem(NULL));
    result("get NULL", GetSharedMem(NULL, 10));
    result("get cch 0", GetSharedMem(text, 0));
    /* Every call sets the status, a success to 0. */
    result("set after failures", SetSharedMem((LPWSTR)u"fine"));
    return 0;
}
