/*
 * shm drives what is Linux's own: a POSIX shared memory name outlives its
 * processes until it is unlinked, so a squatter or a crashed run of
 * another layout may have left a segment under the name, and the unlink
 * export removes the name. It loads libshmem.so at run time (load.h), so
 * that it can act before the library sets up.
 *
 *   shm create KIND    create the segment under the default name, owned by
 *                      whoever runs this, and exit: KIND is garbage (0xAB
 *                      bytes, full size), small (16 bytes), version (a
 *                      valid header of another layout version) or valid
 *                      (a header the library would accept from its owner);
 *                      or what a creator killed during setup leaves: empty
 *                      (killed before its ftruncate: size 0), zeroed
 *                      (killed after it: full size, no header) or half
 *                      (killed while writing the header: all but magic)
 *   shm call           set, get and size through the library, with the
 *                      status each leaves, then whether the segment's
 *                      first bytes are what create left
 *   shm unlink         the unlink export, and whether the name is gone
 *   shm unlink-set TEXT
 *                      the unlink export as soon as the library is loaded,
 *                      while its setup may not have run yet, then set TEXT,
 *                      and whether the name is gone: the setup must not
 *                      make it again behind the unlink
 *   shm set TEXT       set TEXT (ASCII)
 *   shm fresh          what a new process finds: the string, whether the
 *                      payload is all zeros, and the generation
 *   shm recover TEXT   set TEXT and print the status, say "waiting", read a
 *                      line from stdin (the test removes a squatter
 *                      meanwhile), then set TEXT every 10 ms until it
 *                      works (10 s at most) and say after how long, and
 *                      get it back
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shmem.h"
#include "port.h"
#include "status.h"
#include "lib.h"

#include <sys/stat.h>


/* first_bytes is a checksum of the segment's first 64 bytes, straight from
 * /dev/shm, or -1 when there is no segment. */
static long first_bytes(void)
{
    FILE *f = fopen("/dev/shm" SHM_NAME, "rb");
    if (f == NULL)
        return -1;
    unsigned char b[64];
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    long sum = 0;
    for (size_t i = 0; i < n; i++)
        sum = sum * 31 + b[i];
    return sum;
}

static int create(const char *kind)
{
    int fd = shm_open(SHM_NAME, O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd < 0) {
        fprintf(stderr, "shm create: %s: %s\n", SHM_NAME, strerror(errno));
        return 1;
    }
    if (strcmp(kind, "empty") == 0) {
        printf("created %s\n", kind);
        return 0;
    }
    size_t size = strcmp(kind, "small") == 0 ? 16 : (size_t)SHMEM_MAPPING_SIZE;
    if (ftruncate(fd, (off_t)size) != 0) {
        perror("shm create: ftruncate");
        return 1;
    }
    unsigned char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        perror("shm create: mmap");
        return 1;
    }
    if (strcmp(kind, "garbage") == 0 || strcmp(kind, "small") == 0) {
        memset(p, 0xab, size);
    } else if (strcmp(kind, "zeroed") != 0) {
        SHMEM_HEADER *h = (SHMEM_HEADER *)p;
        h->magic = strcmp(kind, "half") == 0 ? 0 : SHMEM_LAYOUT_MAGIC;
        h->version = SHMEM_LAYOUT_VERSION + (strcmp(kind, "version") == 0);
        h->header_size = sizeof *h;
        h->payload_size = SHMEM_PAYLOAD_SIZE;
        h->generation = 1;
    }
    printf("created %s\n", kind);
    return 0;
}

static int call(void)
{
    long before = first_bytes();
    load_shmem("shm");
    WCHAR out[16] = u"?";
    BOOL ok = shmemgen_lib.set((LPWSTR)u"squatted");
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    ok = shmemgen_lib.get(out, ARRAYSIZE(out));
    printf("get: ok=%d status=%s text=\"%s\"\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), ascii(out));
    printf("size: %llu status=%s\n", (unsigned long long)shmemgen_lib.size(), status_name(shmemgen_lib.status()));
    printf("segment untouched: %d\n", first_bytes() == before);
    return 0;
}

static int unlink_name(void)
{
    load_shmem("shm");
    BOOL ok = shmemgen_lib.unlink();
    struct stat st;
    printf("unlink: ok=%d gone=%d\n", ok ? 1 : 0, stat("/dev/shm" SHM_NAME, &st) != 0);
    return 0;
}

/* widen copies the ASCII text into w, of n units, cut to fit. */
static void widen(const char *text, WCHAR *w, size_t n)
{
    size_t i = 0;
    for (; text[i] && i < n - 1; i++)
        w[i] = (WCHAR)(unsigned char)text[i];
    w[i] = 0;
}

static int unlink_then_set(const char *text)
{
    WCHAR w[64];
    widen(text, w, ARRAYSIZE(w));
    load_shmem("shm");
    BOOL ok = shmemgen_lib.unlink();
    printf("unlink: ok=%d\n", ok ? 1 : 0);
    ok = shmemgen_lib.set(w);
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    struct stat st;
    printf("gone=%d\n", stat("/dev/shm" SHM_NAME, &st) != 0);
    return 0;
}

static int set(const char *text)
{
    WCHAR w[64];
    widen(text, w, ARRAYSIZE(w));
    load_shmem("shm");
    BOOL ok = shmemgen_lib.set(w);
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    return 0;
}

static int fresh(void)
{
    static unsigned char payload[SHMEM_PAYLOAD_SIZE];
    WCHAR out[16] = u"?";
    load_shmem("shm");
    BOOL ok = shmemgen_lib.get(out, ARRAYSIZE(out));
    printf("get: ok=%d status=%s text=\"%s\"\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), ascii(out));
    memset(payload, 0xee, sizeof payload);
    shmemgen_lib.read_bytes(payload, 0, sizeof payload);
    int zero = 1;
    for (size_t i = 0; i < sizeof payload; i++)
        zero &= payload[i] == 0;
    ULONGLONG g = 0;
    shmemgen_lib.wait(&g, 0);
    printf("payload zeroed: %d generation=%llu\n", zero, (unsigned long long)g);
    return 0;
}

static int recover(const char *text)
{
    WCHAR w[64];
    widen(text, w, ARRAYSIZE(w));
    load_shmem("shm");
    BOOL ok = shmemgen_lib.set(w);
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    printf("waiting\n");
    fflush(stdout);
    char line[16];
    if (fgets(line, sizeof line, stdin) == NULL)
        return 1;
    ULONGLONG start = now_ms();
    do {
        ok = shmemgen_lib.set(w);
        if (!ok)
            sleep_ms(10);
    } while (!ok && now_ms() - start < 10000);
    printf("set: ok=%d status=%s after=%llu ms\n", ok ? 1 : 0, status_name(shmemgen_lib.status()),
           (unsigned long long)(now_ms() - start));
    WCHAR out[64] = u"?";
    ok = shmemgen_lib.get(out, ARRAYSIZE(out));
    printf("get: ok=%d status=%s text=\"%s\"\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), ascii(out));
    return 0;
}

static int program(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "create") == 0)
        return create(argv[2]);
    if (argc == 2 && strcmp(argv[1], "call") == 0)
        return call();
    if (argc == 2 && strcmp(argv[1], "unlink") == 0)
        return unlink_name();
    if (argc == 3 && strcmp(argv[1], "set") == 0)
        return set(argv[2]);
    if (argc == 3 && strcmp(argv[1], "unlink-set") == 0)
        return unlink_then_set(argv[2]);
    if (argc == 2 && strcmp(argv[1], "fresh") == 0)
        return fresh();
    if (argc == 3 && strcmp(argv[1], "recover") == 0)
        return recover(argv[2]);
    fprintf(stderr, "usage: shm create KIND | call | unlink | unlink-set TEXT | set TEXT | fresh | recover TEXT\n");
    return 2;
}
