/*
 * record drives the typed record's exports of the project recordArgs make
 * (record_test.go): a record Sample of every scalar kind, text, bytes and
 * an array. It loads the library at run time (load.h), so that it can act
 * before the library sets up.
 *
 *   record roundtrip   write a record whose every field is at a boundary,
 *                      read it back and compare; NULL arguments; the
 *                      bytes exports do not reach the record; a write
 *                      counts as one for the wait export
 *   record forge       (Linux) create the segment with a header that is
 *                      valid but for its record layout hash, and exit
 *   record read        read the record, printing ok and the status
 *   record torn        write a record, start "record die" and wait for it
 *                      to die half-way through its record write, holding
 *                      the lock; then read (the record is torn: ABANDONED),
 *                      write a whole record and read again (whole)
 *   record cwrite      write the record roundtrip writes, and exit
 *   record print       read the record and print its fields
 *   record nan CHILD   write the boundary record with temp a NaN and
 *                      ratio an infinity, which JSON cannot hold, then run
 *                      CHILD --record (a program beside this one) while
 *                      the mapping is open, and print its exit status
 *   record die GATE    write a record from a source whose first 48 bytes
 *                      are readable and the rest a trap: die (exit 7)
 *                      inside the write, once the copy faults
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "shmem.h"
#include "port.h"
#include "status.h"
#include "lib.h"
#include "spawn.h"
#include "trap.h"

static PFN_ReadSharedRecord read_record;
static PFN_WriteSharedRecord write_record;

static void load(void)
{
    load_shmem("record");
    read_record = shmemgen_lib.read_record;
    write_record = shmemgen_lib.write_record;
}

/* fill_boundary fills r with every field at a boundary. */
static void fill_boundary(Sample *r)
{
    memset(r, 0, sizeof *r);
    r->count = UINT64_MAX;
    r->temp = -1.7976931348623157e308;
    memcpy(r->label, u"hello world", sizeof(u"hello world")); /* 11 units and the NUL: full */
    r->samples[0] = INT32_MIN;
    r->samples[1] = -1;
    r->samples[2] = 0;
    r->samples[3] = 1;
    r->samples[4] = INT32_MAX;
    r->ok = 1;
    r->small = INT8_MIN;
    r->big = INT64_MIN;
    r->half = UINT16_MAX;
    r->ratio = 3.5f;
    r->blob[0] = 0x00;
    r->blob[1] = 0x80;
    r->blob[2] = 0xff;
}

/* print_record prints r's fields, as recordclient prints them too. */
static void print_record(const Sample *r)
{
    printf("count=%llu big=%lld small=%d half=%u ok=%u\n", (unsigned long long)r->count, (long long)r->big,
           r->small, r->half, r->ok);
    printf("samples=%ld,%ld,%ld,%ld,%ld\n", (long)r->samples[0], (long)r->samples[1], (long)r->samples[2],
           (long)r->samples[3], (long)r->samples[4]);
    printf("temp=%.17g ratio=%g label=\"%s\" blob=%02x%02x%02x\n", r->temp, (double)r->ratio, ascii(r->label),
           r->blob[0], r->blob[1], r->blob[2]);
}

static int roundtrip(void)
{
    load();
    Sample in, out;
    fill_boundary(&in);
    memset(&out, 0x5a, sizeof out);

    ULONGLONG before = 0;
    shmemgen_lib.wait(&before, 0);
    BOOL ok = write_record(&in);
    printf("write: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    ULONGLONG after = before;
    BOOL woke = shmemgen_lib.wait(&after, 0);
    printf("one write counted: %d\n", woke && after == before + 1);
    ok = read_record(&out);
    printf("read: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    printf("same bytes: %d\n", memcmp(&in, &out, sizeof in) == 0);
    print_record(&out);

    ok = read_record(NULL);
    printf("read NULL: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    ok = write_record(NULL);
    printf("write NULL: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    /* The record lives after the payload, where the bytes exports do not
     * reach, and the size export is the payload's alone. */
    BYTE b = 0;
    ok = shmemgen_lib.write_bytes(&b, SHMEM_PAYLOAD_SIZE, 1);
    printf("bytes past the payload: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    printf("size: %llu\n", (unsigned long long)shmemgen_lib.size());
    memset(&out, 0, sizeof out);
    ok = shmemgen_lib.write_bytes(u"x", 0, 4) && read_record(&out);
    printf("record after a payload write: ok=%d same=%d\n", ok ? 1 : 0, memcmp(&in, &out, sizeof in) == 0);
    return 0;
}

#ifndef _WIN32
static int forge(void)
{
    int fd = shm_open(SHM_NAME, O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd < 0 || ftruncate(fd, (off_t)SHMEM_MAPPING_SIZE) != 0) {
        fprintf(stderr, "record forge: %s: %s\n", SHM_NAME, strerror(errno));
        return 1;
    }
    SHMEM_HEADER *h = mmap(NULL, sizeof *h, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (h == MAP_FAILED) {
        perror("record forge: mmap");
        return 1;
    }
    h->version = SHMEM_LAYOUT_VERSION;
    h->header_size = sizeof *h;
    h->payload_size = SHMEM_PAYLOAD_SIZE;
    h->record_hash = SHMEM_RECORD_LAYOUT_HASH ^ 1;
    h->generation = 1;
    h->magic = SHMEM_LAYOUT_MAGIC;
    printf("forged\n");
    return 0;
}
#endif

/* cwrite writes the boundary record, for recordclient to read. */
static int cwrite(void)
{
    load();
    Sample in;
    fill_boundary(&in);
    BOOL ok = write_record(&in);
    printf("written: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    return 0;
}

/* nan writes a record JSON cannot hold, for TestRecordJSONRefusesNaN. */
static int nan_record(const char *child)
{
    load();
    Sample in;
    fill_boundary(&in);
    in.temp = NAN;
    in.ratio = INFINITY;
    BOOL ok = write_record(&in);
    printf("written: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    unsigned long code = 0;
    if (!proc_wait(spawn(child, "--record"), 60000, &code))
        return 1;
    printf("%s: exit=%lu\n", child, code);
    return 0;
}

/* print reads the record and prints it, for recordclient. */
static int print(void)
{
    load();
    Sample out;
    BOOL ok = read_record(&out);
    printf("read: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    print_record(&out);
    return 0;
}

static int read_only(void)
{
    load();
    Sample out;
    BOOL ok = read_record(&out);
    printf("read: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    return 0;
}

static int die(const char *gate_name)
{
    load();
    shmemgen_lib.size(); /* set up before the trap is armed */
    gate inside = gate_open(gate_name);
    const Sample *src = trap_source(48, 0x11, TRAP_DIE, 7, inside);
    write_record(src);
    fprintf(stderr, "die: the write returned\n");
    return 1;
}

static int torn(void)
{
    load();
    Sample in, out;
    memset(&in, 0, sizeof in);
    in.count = 42;
    BOOL ok = write_record(&in);
    printf("first write: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    proc writer = trap_start("die");
    unsigned long code = 0;
    proc_wait(writer, 60000, &code);
    printf("writer: exit=%lu\n", code);
    ok = read_record(&out);
    printf("read after the death: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    in.count = 43;
    ok = write_record(&in);
    printf("whole write: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    memset(&out, 0, sizeof out);
    ok = read_record(&out);
    printf("read: ok=%d status=%s count=%llu\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), (unsigned long long)out.count);
    return 0;
}

static int program(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "roundtrip") == 0)
        return roundtrip();
#ifndef _WIN32
    if (strcmp(mode, "forge") == 0)
        return forge();
#endif
    if (strcmp(mode, "read") == 0)
        return read_only();
    if (strcmp(mode, "torn") == 0)
        return torn();
    if (strcmp(mode, "cwrite") == 0)
        return cwrite();
    if (strcmp(mode, "print") == 0)
        return print();
    if (strcmp(mode, "nan") == 0 && argc == 3)
        return nan_record(argv[2]);
    if (strcmp(mode, "die") == 0 && argc == 3)
        return die(argv[2]);
    fprintf(stderr, "usage: record roundtrip | forge | read | torn | cwrite | print | nan CHILD | die GATE\n");
    return 2;
}
