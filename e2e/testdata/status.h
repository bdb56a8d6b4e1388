/*
 * status.h names the status codes of the generated library, so that the
 * test programs print "BAD_LAYOUT" rather than 536870913 and a Win32 code
 * reads as "win32:1336" (on Linux, where a code is an errno value or
 * Win32's ERROR_TIMEOUT, "status:1460"). Include it after shmem.h.
 */
#ifndef STATUS_H
#define STATUS_H

#include <stdio.h>

static inline const char *status_name(unsigned long status)
{
    static char code[32];
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
#ifdef _WIN32
    snprintf(code, sizeof code, "win32:%lu", status);
#else
    snprintf(code, sizeof code, "status:%lu", status);
#endif
    return code;
}

#endif
