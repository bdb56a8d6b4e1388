/*
 * unlink calls the unlink export on Windows, where it does nothing and
 * returns TRUE: the mapping stays while a process has it.
 */
#include "shmem.h"
#include "port.h"
#include "status.h"

static int program(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    WCHAR out[16] = u"?";
    SetSharedMem((LPWSTR)u"kept");
    BOOL ok = UnlinkSharedMem();
    printf("unlink: ok=%d status=%s\n", ok ? 1 : 0, status_name(SharedMemLastError()));
    ok = GetSharedMem(out, ARRAYSIZE(out));
    printf("get: ok=%d text=\"%s\"\n", ok ? 1 : 0, ascii(out));
    return 0;
}
