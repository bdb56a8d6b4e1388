/*
 * load.h loads shmem.dll at run time and finds every export, for the test
 * programs that must act before the DLL sets up (a squatter, a lock
 * holder) or that only take part through the protocol. The function types
 * come from the generated header, so a changed signature fails to compile
 * here instead of misbehaving at run time. Include it after shmem.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

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

/* find returns the export name of dll, exiting when it is missing: every
 * caller needs all of them. The cast through void * is how a FARPROC
 * becomes a typed function pointer without -Wcast-function-type. */
static inline void *find(HMODULE dll, const char *name)
{
    FARPROC f = GetProcAddress(dll, name);
    if (f == NULL) {
        fprintf(stderr, "GetProcAddress(%s) failed (error %lu)\n", name, GetLastError());
        exit(3);
    }
    return (void *)f;
}

/* load_shmem loads shmem.dll from beside the program and fills d. */
static inline void load_shmem(struct shmem *d)
{
    HMODULE dll = LoadLibraryW(L"shmem.dll");
    if (dll == NULL) {
        fprintf(stderr, "LoadLibrary(shmem.dll) failed (error %lu)\n", GetLastError());
        exit(3);
    }
    d->set = find(dll, "SetSharedMem");
    d->get = find(dll, "GetSharedMem");
    d->write_bytes = find(dll, "WriteSharedBytes");
    d->read_bytes = find(dll, "ReadSharedBytes");
    d->size = find(dll, "SharedMemSize");
    d->length = find(dll, "SharedMemLength");
    d->wait = find(dll, "WaitSharedMem");
    d->status = find(dll, "SharedMemLastError");
}
