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
 *   record slow GATE   the same, but sleep 1.5 s in the fault, holding the
 *                      lock half-way through the record, then finish
 *   record hold        write a record and a string, start "record slow",
 *                      and read both while it holds the lock half-way
 *                      through its write: every read at once, and whole
 *   record stress MS [kill]
 *                      one writer rewriting the record and the string as
 *                      fast as it can, every field and the pattern derived
 *                      from one counter, and 4 readers checking every read
 *                      for MS milliseconds; with kill, the writer is killed
 *                      once it has written 1000 records, 0-4 ms later, when
 *                      it is stopped with a write marked, and started
 *                      again, for MS and on until 3 kills in a write (at
 *                      most 60 s): a slow machine takes longer, not fewer
 *                      kills
 *   record stress-write MS GATE [again], record stress-read MS GATE
 *                      the writer (again: a replacement, which skips the
 *                      rendezvous) and a reader of record stress; each
 *                      runs for MS and then until the driver says stop
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
    printf("read after the death: ok=%d status=%s count=%llu\n", ok ? 1 : 0, status_name(shmemgen_lib.status()),
           (unsigned long long)out.count);
    in.count = 43;
    ok = write_record(&in);
    printf("whole write: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    memset(&out, 0, sizeof out);
    ok = read_record(&out);
    printf("read: ok=%d status=%s count=%llu\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), (unsigned long long)out.count);
    return 0;
}

static int slow(const char *gate_name)
{
    load();
    shmemgen_lib.size();
    gate inside = gate_open(gate_name);
    const Sample *src = trap_source(48, 0x11, TRAP_SLOW, 1500, inside);
    BOOL ok = write_record(src);
    printf("slow write: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    return 0;
}

/* derive fills r with every field derived from i, and text (room for 100
 * units) with a pattern derived from it: one letter, i % 26 from A, 10 +
 * 3 * (i % 26) times. */
static void derive(Sample *r, WCHAR *text, uint64_t i)
{
    memset(r, 0, sizeof *r);
    r->count = i;
    r->temp = (double)i * 0.5;
    for (int k = 0; k < 11; k++)
        r->label[k] = (WCHAR)(u'a' + (i + (uint64_t)k) % 26);
    for (int k = 0; k < 5; k++)
        r->samples[k] = (int32_t)(i * 7 + (uint64_t)k);
    r->ok = (BYTE)(i & 1);
    r->small = (int8_t)i;
    r->big = -(int64_t)i;
    r->half = (uint16_t)(i * 3);
    r->ratio = (float)(i % 1000);
    for (int k = 0; k < 3; k++)
        r->blob[k] = (BYTE)(i + (uint64_t)k);
    if (text != NULL) {
        int letter = (int)(i % 26), n = 10 + 3 * letter;
        for (int k = 0; k < n; k++)
            text[k] = (WCHAR)(u'A' + letter);
        text[n] = 0;
    }
}

/* record_whole and text_whole report whether a read is one derive's. */
static int record_whole(const Sample *r)
{
    Sample want;
    derive(&want, NULL, r->count);
    return memcmp(&want, r, sizeof want) == 0;
}

static int text_whole(const WCHAR *s)
{
    WCHAR want[100];
    if (s[0] < u'A' || s[0] > u'Z')
        return 0;
    derive(&(Sample){0}, want, (uint64_t)(s[0] - u'A'));
    return u16cmp(want, s) == 0;
}

static int hold(void)
{
    load();
    Sample in, out;
    WCHAR text[100], got[100];
    derive(&in, text, 42);
    BOOL ok = write_record(&in) && shmemgen_lib.set(text);
    printf("written: ok=%d status=%s\n", ok ? 1 : 0, status_name(shmemgen_lib.status()));
    fflush(stdout);
    proc writer = trap_start("slow");
    /* The writer holds the lock, half-way through copy 0, for 1.5 s. */
    unsigned long reads = 0, whole = 0, code = 0;
    double slowest = 0;
    ULONGLONG end = now_ms() + 300;
    while (now_ms() < end) {
        double t = now_us();
        memset(&out, 0, sizeof out);
        got[0] = 0;
        BOOL r = read_record(&out) && shmemgen_lib.status() == 0;
        r = r && shmemgen_lib.get(got, ARRAYSIZE(got)) && shmemgen_lib.status() == 0;
        t = now_us() - t;
        slowest = t > slowest ? t : slowest;
        reads++;
        whole += r && out.count == 42 && record_whole(&out) && text_whole(got) && got[0] == u'A' + 42 % 26;
    }
    int held = !proc_wait(writer, 0, &code);
    /* A read that waited for the writer would have waited out its 1.5 s,
     * and found it gone: the bound is for a reader descheduled on a loaded
     * machine. */
    printf("while held: reads=%lu whole=%d under_500ms=%d still_held=%d\n", reads, whole == reads,
           slowest < 500000, held);
    fflush(stdout);
    proc_wait(writer, 60000, &code);
    ok = read_record(&out);
    printf("after: ok=%d status=%s count=%llx\n", ok ? 1 : 0, status_name(shmemgen_lib.status()), (unsigned long long)out.count);
    return 0;
}

static void stress_gate_names(const char *id, char *ready, char *go, char *stop)
{
    snprintf(ready, 64, "shmemgen-recstress-ready-%s", id);
    snprintf(go, 64, "shmemgen-recstress-go-%s", id);
    snprintf(stop, 64, "shmemgen-recstress-stop-%s", id);
}

static void stress_rendezvous(const char *id)
{
    char ready_name[64], go_name[64], stop_name[64];
    stress_gate_names(id, ready_name, go_name, stop_name);
    gate ready = gate_open(ready_name), go = gate_open(go_name);
    gate_post(ready, 1);
    if (!gate_wait(go, 60000)) {
        fprintf(stderr, "record stress: no go from the driver\n");
        exit(2);
    }
}

/* stress_stop opens the gate on which the driver says stop: a worker
 * runs for its MS, then on until it takes one from the gate. */
static gate stress_stop(const char *id)
{
    char ready_name[64], go_name[64], stop_name[64];
    stress_gate_names(id, ready_name, go_name, stop_name);
    return gate_open(stop_name);
}

static BOOL stress_going(ULONGLONG end, gate stop)
{
    return now_ms() < end || !gate_wait(stop, 0);
}

/* stress_write rewrites the record and the string, from the record's
 * count on: a writer started again after a kill goes on. */
static int stress_write(DWORD ms, const char *id, BOOL again)
{
    load();
    Sample r;
    WCHAR text[100];
    unsigned long writes = 0, failed = 0;
    if (!read_record(&r))
        failed++;
    uint64_t i = r.count;
    gate stop = stress_stop(id);
    if (!again)
        stress_rendezvous(id);
    ULONGLONG end = now_ms() + ms;
    while (stress_going(end, stop)) {
        derive(&r, text, ++i);
        failed += !write_record(&r);
        failed += !shmemgen_lib.set(text);
        writes++;
    }
    printf("writer: writes=%lu failed=%lu\n", writes, failed);
    return 0;
}

static int stress_read(DWORD ms, const char *id)
{
    load();
    Sample r;
    WCHAR text[100];
    unsigned long records = 0, strings = 0, bad = 0, failed = 0, abandoned = 0, abandoned_records = 0;
    uint64_t last = 0, moved = 0;
    gate stop = stress_stop(id);
    stress_rendezvous(id);
    ULONGLONG end = now_ms() + ms;
    while (stress_going(end, stop)) {
        if (!read_record(&r)) {
            failed++;
        } else {
            records++;
            abandoned_records += shmemgen_lib.status() != 0;
            bad += !record_whole(&r);
            moved += r.count != last;
            last = r.count;
        }
        if (!shmemgen_lib.get(text, ARRAYSIZE(text))) {
            failed++;
        } else if (shmemgen_lib.status() == SHMEM_STATUS_ABANDONED) {
            abandoned++; /* a writer killed in its set: said, not hidden */
        } else {
            strings++;
            bad += shmemgen_lib.status() != 0 || !text_whole(text);
        }
    }
    printf("reader: records=%lu strings=%lu bad=%lu failed=%lu abandoned=%lu abandoned_records=%lu changes=%llu\n",
           records, strings, bad, failed, abandoned, abandoned_records, (unsigned long long)moved);
    return 0;
}

/* stop_in_write stops the writer process p, which the caller has just seen
 * with a write marked (h->writing_to), and leaves it stopped for the kill
 * if the mark is still there; if not, it lets it go on, waits for the next
 * mark and tries again, up to 200 times. It returns whether it left p
 * stopped in a write (after 200 tries it runs on). A kill aimed at a marked write
 * lands after it more often than not: under Wine a TerminateProcess takes
 * longer than a whole write, and on a busy machine the writer may not be
 * running when the driver looks (with one core between them, never in a
 * write). So the driver stops the writer first, then looks. */
#ifdef _WIN32
#include <tlhelp32.h>
/* A suspension is asynchronous; the GetThreadContext after it returns once
 * the thread has stopped. */
static BOOL stop_in_write(proc p, volatile SHMEM_HEADER *h)
{
    DWORD pid = GetProcessId(p);
    HANDLE threads[64];
    int n = 0;
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    THREADENTRY32 te;
    te.dwSize = sizeof te;
    if (snap == INVALID_HANDLE_VALUE)
        return FALSE;
    for (BOOL ok = Thread32First(snap, &te); ok && n < 64; ok = Thread32Next(snap, &te))
        if (te.th32OwnerProcessID == pid)
            if ((threads[n] = OpenThread(THREAD_SUSPEND_RESUME | THREAD_GET_CONTEXT, FALSE, te.th32ThreadID)) != NULL)
                n++;
    CloseHandle(snap);
    BOOL stopped = FALSE;
    for (int try = 0; try < 200 && !stopped; try++) {
        for (int i = 0; i < n; i++) {
            CONTEXT c;
            c.ContextFlags = CONTEXT_CONTROL;
            SuspendThread(threads[i]);
            GetThreadContext(threads[i], &c);
        }
        if ((stopped = h->writing_to != 0))
            break;
        for (int i = 0; i < n; i++)
            ResumeThread(threads[i]);
        for (int spin = 0; spin < 1000000 && h->writing_to == 0; spin++)
            ;
    }
    for (int i = 0; i < n; i++)
        CloseHandle(threads[i]);
    return stopped;
}
#else
/* SIGSTOP stops every thread at once; the waitpid returns once all have. */
static BOOL stop_in_write(proc p, volatile SHMEM_HEADER *h)
{
    for (int try = 0; try < 200; try++) {
        int status;
        kill(p, SIGSTOP);
        if (waitpid(p, &status, WUNTRACED) != p || !WIFSTOPPED(status))
            return FALSE;
        if (h->writing_to != 0)
            return TRUE;
        kill(p, SIGCONT);
        for (int spin = 0; spin < 1000000 && h->writing_to == 0; spin++)
            ;
    }
    return FALSE;
}
#endif

static int stress(DWORD ms, BOOL kill)
{
    load();
    Sample r;
    WCHAR text[100];
    derive(&r, text, 1);
    if (!write_record(&r) || !shmemgen_lib.set(text)) {
        fprintf(stderr, "record stress: the first write failed\n");
        return 1;
    }
    char id[32], ready_name[64], go_name[64], stop_name[64], args[128];
    snprintf(id, sizeof id, "%lu", (unsigned long)my_pid());
    stress_gate_names(id, ready_name, go_name, stop_name);
    gate ready = gate_create(ready_name), go = gate_create(go_name), stop = gate_create(stop_name);
    proc procs[5];
    snprintf(args, sizeof args, "stress-write %lu %s", (unsigned long)ms, id);
    procs[0] = spawn(NULL, args);
    snprintf(args, sizeof args, "stress-read %lu %s", (unsigned long)ms, id);
    for (int i = 1; i < 5; i++)
        procs[i] = spawn(NULL, args);
    for (int i = 0; i < 5; i++)
        if (!gate_wait(ready, 60000)) {
            fprintf(stderr, "record stress: a worker never got ready\n");
            return 1;
        }
    gate_post(go, 5);
    ULONGLONG start = now_ms(), end = start + ms, give_up = start + 60000;
    unsigned long kills = 0, died_writing = 0, code = 0;
    volatile SHMEM_HEADER *h = kill ? map_header(FALSE) : NULL;
    srand((unsigned)my_pid());
    /* Kill until the end, and on until the kills prove something: a
     * writer restarts slowly under Wine on a busy machine. */
    while (kill && now_ms() < give_up && (now_ms() + 100 < end || died_writing < 3)) {
        /* Once the writer is well under way (a process starts slowly
         * under Wine), kill it 0-4 ms later. */
        Sample seen;
        read_record(&seen);
        uint64_t from = seen.count;
        while (now_ms() < give_up && read_record(&seen) && seen.count < from + 1000)
            ;
        sleep_ms((DWORD)(rand() % 5));
        /* Then at a moment it has a write marked. */
        for (int spin = 0; spin < 1000000 && h->writing_to == 0; spin++)
            ;
        /* Stopped with a mark: it dies in a write, holding the lock. Not
         * the mark after the kill, which a reader that finds the holder
         * dead takes the lock over and clears, often before the kill
         * returns (under Wine, nearly always). */
        BOOL in_write = stop_in_write(procs[0], h);
        proc_kill(procs[0]);
        kills++;
        died_writing += in_write;
        ULONGLONG now = now_ms();
        snprintf(args, sizeof args, "stress-write %lu %s again", (unsigned long)(end > now ? end - now : 0), id);
        procs[0] = spawn(NULL, args);
    }
    /* Without kill, the workers take this at their end; with kill, once
     * the kills are done. */
    gate_post(stop, 5);
    if (kill)
        printf("kills=%lu died_writing=%lu\n", kills, died_writing);
    for (int i = 0; i < 5; i++) {
        if (!proc_wait(procs[i], 120000, &code)) {
            fprintf(stderr, "record stress: a worker never ended\n");
            return 1;
        }
        printf("exit=0x%lx\n", code);
    }
    gate_remove(ready_name);
    gate_remove(go_name);
    gate_remove(stop_name);
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
    if (strcmp(mode, "slow") == 0 && argc == 3)
        return slow(argv[2]);
    if (strcmp(mode, "hold") == 0)
        return hold();
    if (strcmp(mode, "stress") == 0 && argc >= 3)
        return stress(strtoul(argv[2], NULL, 10), argc == 4 && strcmp(argv[3], "kill") == 0);
    if (strcmp(mode, "stress-write") == 0 && (argc == 4 || (argc == 5 && strcmp(argv[4], "again") == 0)))
        return stress_write(strtoul(argv[2], NULL, 10), argv[3], argc == 5);
    if (strcmp(mode, "stress-read") == 0 && argc == 4)
        return stress_read(strtoul(argv[2], NULL, 10), argv[3]);
    fprintf(stderr, "usage: record roundtrip | forge | read | torn | cwrite | print | nan CHILD | die GATE | slow GATE | "
                    "hold | stress MS [kill] | stress-write MS GATE [again] | stress-read MS GATE\n");
    return 2;
}
