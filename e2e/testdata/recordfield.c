/*
 * recordfield drives the record's range export and the typed setters of
 * api.h, linked with the library, in the project recordArgs make
 * (record_test.go).
 *
 *   recordfield fields       write a whole record, then single fields and
 *                            slices through the setters: each is one write
 *                            for the wait export and changes its bytes alone
 *   recordfield refuse       ranges past the record's end, overflowing, from
 *                            NULL, slices past an array's end and text too
 *                            long for its field: refused with BAD_ARGUMENT,
 *                            the record unchanged
 *   recordfield stress N     start "bump count N" and "bump big N" at once,
 *                            wait for both, and print both fields: N each
 *   recordfield bump F N     write 1 to N to field F (count or big) alone,
 *                            reading the record before each write and after
 *                            the last: F must hold what was written last, and
 *                            the other field, which the other worker counts
 *                            up, must never go back; exit 1, saying how often
 *                            either failed, otherwise
 *   recordfield torn         write a record, start "die" and wait for it to die
 *                            half-way through setting samples, holding the
 *                            lock; then read (ABANDONED), set another field
 *                            (still ABANDONED), set samples whole and read
 *   recordfield die GATE     set samples from a source whose first 8 bytes
 *                            are readable and the rest a trap: die (exit 7)
 *                            inside the write, once the copy faults
 *   recordfield cwrite       write the record "fields" starts from, and exit
 *   recordfield cset         set temp, samples 1 and 2, and label, and exit
 *   recordfield print        read the record and print it
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shmem.h"
#include "port.h"
#include "status.h"
#include "spawn.h"
#include "trap.h"

static const char *st(void)
{
    return status_name(SharedMemLastError());
}

/* base is the record the tests start from: every field set. */
static void base(Sample *r)
{
    memset(r, 0, sizeof *r);
    r->count = 11;
    r->temp = 1.5;
    memcpy(r->label, u"before", sizeof(u"before"));
    for (int i = 0; i < 5; i++)
        r->samples[i] = 100 + i;
    r->ok = 1;
    r->small = -3;
    r->big = -1;
    r->half = 7;
    r->ratio = 0.25f;
    memcpy(r->blob, "xyz", 3);
}

static void print_record(const Sample *r)
{
    printf("count=%llu temp=%g label=\"%s\" samples=%ld,%ld,%ld,%ld,%ld ok=%u small=%d big=%lld half=%u ratio=%g "
           "blob=%02x%02x%02x\n",
           (unsigned long long)r->count, r->temp, ascii(r->label), (long)r->samples[0], (long)r->samples[1],
           (long)r->samples[2], (long)r->samples[3], (long)r->samples[4], r->ok, r->small, (long long)r->big,
           r->half, (double)r->ratio, r->blob[0], r->blob[1], r->blob[2]);
}

/* check reads the record and reports whether it is want, byte for byte. */
static int same(const Sample *want)
{
    Sample got;
    memset(&got, 0x5a, sizeof got);
    if (!ReadSharedRecord(&got)) {
        printf("read failed: %s\n", st());
        return 0;
    }
    return memcmp(&got, want, sizeof got) == 0;
}

static int fields(void)
{
    Sample want;
    base(&want);
    BOOL ok = WriteSharedRecord(&want);
    printf("whole: ok=%d status=%s\n", ok ? 1 : 0, st());
    SHMEM_ULONGLONG generation = 0;
    WaitSharedMem(&generation, 0);

    /* One call of each kind; after each, the record is want with that
     * field changed, and the wait export saw one write. */
    struct {
        const char *what;
        BOOL ok;
    } steps[6];
    int n = 0;
    steps[n].what = "temp";
    steps[n++].ok = Sample_set_temp(-2.75);
    want.temp = -2.75;
    int32_t two[2] = {-7, 8};
    steps[n].what = "samples[1..2]";
    steps[n++].ok = Sample_set_samples(1, two, 2);
    want.samples[1] = -7;
    want.samples[2] = 8;
    steps[n].what = "label";
    steps[n++].ok = Sample_set_label(u"after");
    memset(want.label, 0, sizeof want.label);
    memcpy(want.label, u"after", sizeof(u"after"));
    uint8_t last = 0xee;
    steps[n].what = "blob[2]";
    steps[n++].ok = Sample_set_blob(2, &last, 1);
    want.blob[2] = 0xee;
    steps[n].what = "ok";
    steps[n++].ok = Sample_set_ok(0);
    want.ok = 0;
    /* The generic export, a part of a field: big's low byte. */
    uint8_t low = 0x10;
    steps[n].what = "big's first byte";
    steps[n++].ok = WriteSharedRecordRange(&low, offsetof(Sample, big), 1);
    memcpy(&want.big, &low, 1);

    for (int i = 0; i < n; i++)
        printf("%s: ok=%d\n", steps[i].what, steps[i].ok ? 1 : 0);
    SHMEM_ULONGLONG now = generation;
    WaitSharedMem(&now, 0);
    printf("writes counted: %llu\n", (unsigned long long)(now - generation));
    printf("the rest unchanged: %d\n", same(&want));
    Sample got;
    ReadSharedRecord(&got);
    print_record(&got);
    return 0;
}

static int refuse(void)
{
    Sample want;
    base(&want);
    WriteSharedRecord(&want);
    uint8_t b[8] = {0};
    int32_t v[6] = {0};
    struct {
        const char *what;
        BOOL ok;
        unsigned long status;
    } steps[16];
    int n = 0;
#define STEP(name, call)                                                                                               \
    do {                                                                                                               \
        steps[n].what = name;                                                                                          \
        steps[n].ok = (call);                                                                                          \
        steps[n++].status = SharedMemLastError();                                                                      \
    } while (0)
    STEP("one byte past the end", WriteSharedRecordRange(b, sizeof(Sample), 1));
    STEP("the last byte", WriteSharedRecordRange((const uint8_t *)&want + sizeof(Sample) - 1, sizeof(Sample) - 1, 1));
    STEP("empty at the end", WriteSharedRecordRange(b, sizeof(Sample), 0));
    STEP("empty past the end", WriteSharedRecordRange(b, sizeof(Sample) + 1, 0));
    STEP("offset + n overflows", WriteSharedRecordRange(b, 8, ~(SHMEM_ULONGLONG)0 - 7));
    STEP("offset overflows", WriteSharedRecordRange(b, ~(SHMEM_ULONGLONG)0, 1));
    STEP("NULL", WriteSharedRecordRange(NULL, 0, 1));
    STEP("NULL, nothing", WriteSharedRecordRange(NULL, 0, 0));
    STEP("samples[4..5]", Sample_set_samples(4, v, 2));
    STEP("samples[6..]", Sample_set_samples(6, v, 0));
    STEP("samples[5..]", Sample_set_samples(5, v, 0));
    STEP("samples[0..5]", Sample_set_samples(0, v, 6));
    STEP("label of 12", Sample_set_label(u"123456789012"));
    STEP("label NULL", Sample_set_label(NULL));
#undef STEP
    for (int i = 0; i < n; i++)
        printf("%s: ok=%d status=%s\n", steps[i].what, steps[i].ok ? 1 : 0, status_name(steps[i].status));
    printf("record unchanged: %d\n", same(&want));
    return 0;
}

static int bump(const char *field, long count)
{
    int big = strcmp(field, "big") == 0;
    long lost = 0, undone = 0, failed = 0;
    long long other_seen = 0;
    /* Start together: each marks its byte of the payload, then waits for
     * the other's, so that the two loops overlap. */
    uint8_t one = 1, both[2] = {0, 0};
    ULONGLONG start = now_ms();
    WriteSharedBytes(&one, big, 1);
    while (both[0] == 0 || both[1] == 0)
        if (!ReadSharedBytes(both, 0, 2))
            return 1;
    ULONGLONG started = now_ms();
    for (long i = 1; i <= count + 1; i++) {
        /* Before each write, and after the last: this field holds what
         * this worker wrote last, whatever the other wrote meanwhile. */
        Sample r;
        if (!ReadSharedRecord(&r)) {
            failed++;
            continue;
        }
        long long mine = big ? (long long)r.big : (long long)r.count;
        long long other = big ? (long long)r.count : (long long)r.big;
        if (mine != i - 1)
            lost++;
        /* The other worker's field only grows. */
        if (other < other_seen)
            undone++;
        other_seen = other;
        if (i <= count && !(big ? Sample_set_big((int64_t)i) : Sample_set_count((uint64_t)i)))
            failed++;
    }
    fprintf(stderr, "bump %s: waited %llu ms for the other, wrote in %llu ms\n", field,
            (unsigned long long)(started - start), (unsigned long long)(now_ms() - started));
    if (lost != 0 || undone != 0 || failed != 0) {
        fprintf(stderr, "bump %s: lost=%ld undone=%ld failed=%ld\n", field, lost, undone, failed);
        return 1;
    }
    return 0;
}

static int stress(const char *count)
{
    Sample r;
    memset(&r, 0, sizeof r);
    WriteSharedRecord(&r); /* set up, and hold the mapping while the workers run */
    uint8_t marks[2] = {0, 0};
    WriteSharedBytes(marks, 0, 2);
    char args[2][64];
    snprintf(args[0], sizeof args[0], "bump count %s", count);
    snprintf(args[1], sizeof args[1], "bump big %s", count);
    proc workers[2] = {spawn(NULL, args[0]), spawn(NULL, args[1])};
    for (int i = 0; i < 2; i++) {
        unsigned long code = 0;
        if (!proc_wait(workers[i], 120000, &code))
            return 1;
        printf("%s: exit=%lu\n", args[i], code);
    }
    BOOL ok = ReadSharedRecord(&r);
    printf("read: ok=%d count=%llu big=%lld\n", ok ? 1 : 0, (unsigned long long)r.count, (long long)r.big);
    return 0;
}

static int die(const char *gate_name)
{
    SharedMemSize(); /* set up before the trap is armed */
    gate inside = gate_open(gate_name);
    const int32_t *src = trap_source(8, 0x11, TRAP_DIE, 7, inside);
    Sample_set_samples(0, src, 5);
    fprintf(stderr, "die: the write returned\n");
    return 1;
}

static int torn(void)
{
    Sample r;
    base(&r);
    BOOL ok = WriteSharedRecord(&r);
    printf("whole: ok=%d status=%s\n", ok ? 1 : 0, st());
    proc writer = trap_start("die");
    unsigned long code = 0;
    proc_wait(writer, 60000, &code);
    printf("writer: exit=%lu\n", code);
    memset(&r, 0, sizeof r);
    ok = ReadSharedRecord(&r);
    printf("read after the death: ok=%d status=%s samples=%ld,%ld,%ld,%ld,%ld\n", ok ? 1 : 0, st(),
           (long)r.samples[0], (long)r.samples[1], (long)r.samples[2], (long)r.samples[3], (long)r.samples[4]);
    ok = Sample_set_temp(3.5);
    printf("temp: ok=%d status=%s\n", ok ? 1 : 0, st());
    ok = ReadSharedRecord(&r);
    printf("read: ok=%d status=%s temp=%g\n", ok ? 1 : 0, st(), r.temp);
    int32_t five[5] = {1, 2, 3, 4, 5};
    ok = Sample_set_samples(0, five, 5);
    printf("samples: ok=%d status=%s\n", ok ? 1 : 0, st());
    ok = ReadSharedRecord(&r);
    printf("read: ok=%d status=%s samples=%ld,%ld,%ld,%ld,%ld\n", ok ? 1 : 0, st(), (long)r.samples[0],
           (long)r.samples[1], (long)r.samples[2], (long)r.samples[3], (long)r.samples[4]);
    return 0;
}

static int cwrite(void)
{
    Sample r;
    base(&r);
    BOOL ok = WriteSharedRecord(&r);
    printf("written: ok=%d status=%s\n", ok ? 1 : 0, st());
    return 0;
}

static int cset(void)
{
    int32_t two[2] = {-7, 8};
    BOOL ok = Sample_set_temp(-2.75) && Sample_set_samples(1, two, 2) && Sample_set_label(u"after");
    printf("set: ok=%d status=%s\n", ok ? 1 : 0, st());
    return 0;
}

static int print(void)
{
    Sample r;
    BOOL ok = ReadSharedRecord(&r);
    printf("read: ok=%d status=%s\n", ok ? 1 : 0, st());
    print_record(&r);
    return 0;
}

static int program(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "fields") == 0)
        return fields();
    if (strcmp(mode, "refuse") == 0)
        return refuse();
    if (strcmp(mode, "stress") == 0 && argc == 3)
        return stress(argv[2]);
    if (strcmp(mode, "bump") == 0 && argc == 4)
        return bump(argv[2], strtol(argv[3], NULL, 10));
    if (strcmp(mode, "torn") == 0)
        return torn();
    if (strcmp(mode, "die") == 0 && argc == 3)
        return die(argv[2]);
    if (strcmp(mode, "cwrite") == 0)
        return cwrite();
    if (strcmp(mode, "cset") == 0)
        return cset();
    if (strcmp(mode, "print") == 0)
        return print();
    fprintf(stderr, "usage: recordfield fields | refuse | stress N | bump count|big N | torn | die GATE | cwrite | cset | print\n");
    return 2;
}
