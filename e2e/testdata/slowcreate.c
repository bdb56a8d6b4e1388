/*
 * slowcreate.c is an LD_PRELOAD library that makes the library a slow
 * creator: its shm_open, when it creates the segment (O_CREAT | O_EXCL),
 * says "created" on stderr and then waits for a line on stdin before it
 * returns. The segment then exists, size 0, and its creator has not taken
 * the setup lock yet: the moment at which another process may find it.
 * The library calls shm_open through libc, so this one comes first.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

int shm_open(const char *name, int oflag, mode_t mode)
{
    int (*real)(const char *, int, mode_t) = (int (*)(const char *, int, mode_t))dlsym(RTLD_NEXT, "shm_open");
    int fd = real(name, oflag, mode);
    if (fd >= 0 && (oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
        static const char said[] = "created\n";
        char c;
        if (write(2, said, sizeof said - 1) < 0 || read(0, &c, 1) < 0)
            _exit(9);
    }
    return fd;
}
