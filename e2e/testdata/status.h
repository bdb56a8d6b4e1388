/*
 * status.h names the status codes of the generated DLL, so that the test
 * programs print "BAD_LAYOUT" rather than 536870913 and a Win32 code reads
 * as "win32:1336". Include it after shmem.h.
 */
#include <stdio.h>
#include <windows.h>

static inline const char *status_name(DWORD status)
{
    static char win32[32];
    switch (status) {
    case 0:
        return "0";
    case SHMEM_STATUS_BAD_LAYOUT:
        return "BAD_LAYOUT";
    case SHMEM_STATUS_LOCK_TIMEOUT:
        return "LOCK_TIMEOUT";
    case SHMEM_STATUS_ABANDONED:
        return "ABANDONED";
    case SHMEM_STATUS_SETUP_FAILED:
        return "SETUP_FAILED";
    case SHMEM_STATUS_BAD_ARGUMENT:
        return "BAD_ARGUMENT";
    case SHMEM_STATUS_TRUNCATED:
        return "TRUNCATED";
    case SHMEM_STATUS_SQUATTED:
        return "SQUATTED";
    }
    snprintf(win32, sizeof win32, "win32:%lu", status);
    return win32;
}
