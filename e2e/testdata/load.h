/*
 * load.h loads the project's library (shmem.dll, libshmem.so) at run time,
 * from beside the program, and finds every export, for the test programs
 * that must act before the library sets up (a squatter, a lock holder) or
 * that only take part through the protocol. The function types come from
 * the generated header, so a changed signature fails to compile here
 * instead of misbehaving at run time. Include it after shmem.h.
 */
#ifndef LOAD_H
#define LOAD_H

#include <stdio.h>
#include <stdlib.h>
#ifdef _WIN32
#include <windows.h>
typedef HMODULE library;
#else
#include <dlfcn.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
typedef void *library;
#endif

#ifdef SHMEM_STATUS_BAD_LAYOUT /* the generated header, not the sample */
struct shmem {
    __typeof__(&SetSharedMem) set;
    __typeof__(&GetSharedMem) get;
    __typeof__(&WriteSharedBytes) write_bytes;
    __typeof__(&ReadSharedBytes) read_bytes;
    __typeof__(&SharedMemSize) size;
    __typeof__(&SharedMemLength) length;
    __typeof__(&WaitSharedMem) wait;
    __typeof__(&SharedMemLastError) status;
};
#endif

/* load_library loads file, a library beside the running program, exiting
 * when it cannot. */
static inline library load_library(const char *file)
{
#ifdef _WIN32
    HMODULE dll = LoadLibraryA(file);
    if (dll == NULL) {
        fprintf(stderr, "LoadLibrary(%s) failed (error %lu)\n", file, GetLastError());
        exit(3);
    }
    return dll;
#else
    /* By full path: dlopen searches no directory of the program's own. */
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) {
        perror("load: /proc/self/exe");
        exit(3);
    }
    path[n] = 0;
    char *slash = strrchr(path, '/');
    snprintf(slash + 1, sizeof path - (size_t)(slash + 1 - path), "%s", file);
    void *lib = dlopen(path, RTLD_NOW);
    if (lib == NULL) {
        fprintf(stderr, "dlopen(%s) failed: %s\n", path, dlerror());
        exit(3);
    }
    return lib;
#endif
}

/* find returns the export name of lib, exiting when it is missing: every
 * caller needs all of them. The cast through void * is how a FARPROC
 * becomes a typed function pointer without -Wcast-function-type. */
static inline void *find(library lib, const char *name)
{
#ifdef _WIN32
    FARPROC f = GetProcAddress(lib, name);
    if (f == NULL) {
        fprintf(stderr, "GetProcAddress(%s) failed (error %lu)\n", name, GetLastError());
        exit(3);
    }
    return (void *)f;
#else
    void *f = dlsym(lib, name);
    if (f == NULL) {
        fprintf(stderr, "dlsym(%s) failed: %s\n", name, dlerror());
        exit(3);
    }
    return f;
#endif
}

#ifdef _WIN32
#define SHMEM_LIBRARY "shmem.dll"
#else
#define SHMEM_LIBRARY "libshmem.so"
#endif

#ifdef SHMEM_STATUS_BAD_LAYOUT
/* load_shmem loads the library from beside the program and fills d. */
static inline void load_shmem(struct shmem *d)
{
    library lib = load_library(SHMEM_LIBRARY);
    d->set = find(lib, "SetSharedMem");
    d->get = find(lib, "GetSharedMem");
    d->write_bytes = find(lib, "WriteSharedBytes");
    d->read_bytes = find(lib, "ReadSharedBytes");
    d->size = find(lib, "SharedMemSize");
    d->length = find(lib, "SharedMemLength");
    d->wait = find(lib, "WaitSharedMem");
    d->status = find(lib, "SharedMemLastError");
}

#endif

#endif
