/*
 * holdmap keeps a library's mapping open while another build's library
 * meets it, linked against the library beside it:
 *
 *   holdmap hold OTHER   attach (a one-byte read), then run OTHER (a path
 *                        relative to this program's directory, a holdmap
 *                        beside another build's library) with "refused"
 *                        while the mapping is open, and print its exit
 *                        status: on Windows a mapping goes with its last
 *                        handle, so the other must find this one's
 *   holdmap refused      read the record and a byte, printing ok, the
 *                        status and the status's text
 */
#include <stdio.h>
#include <string.h>

#include "shmem.h"
#include "port.h"
#include "status.h"
#include "spawn.h"

static int program(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "hold") == 0) {
        char byte;
        BOOL ok = ReadSharedBytes(&byte, 0, 1);
        printf("attached: ok=%d status=%s\n", ok, status_name(SharedMemLastError()));
        unsigned long code = 1;
        if (!proc_wait(spawn(argv[2], "refused"), 60000, &code))
            printf("the other did not end\n");
        printf("other exit=%lu\n", code);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "refused") == 0) {
        Sample record;
        BOOL ok = ReadSharedRecord(&record);
        DWORD status = SharedMemLastError();
        printf("record read: ok=%d status=%s\n", ok, status_name(status));
        printf("its text: %s\n", SHMEM_StatusText(status));
        char byte;
        ok = ReadSharedBytes(&byte, 0, 1);
        printf("byte read: ok=%d status=%s\n", ok, status_name(SharedMemLastError()));
        return 0;
    }
    fprintf(stderr, "usage: holdmap hold OTHER | refused\n");
    return 2;
}
