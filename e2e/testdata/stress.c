/*
 * stress runs 4 writers and 4 readers of the shared string at once, each a
 * process, and counts torn reads: a reader must only ever see one letter
 * repeated LENGTH times (or the empty string nobody has written over yet).
 *
 * Usage:
 *   stress.exe drive MS          start the 8 processes, release them together,
 *                                print their reports and exit statuses
 *   stress.exe drive-kill MS     the same, every 20-60 ms killing the writer
 *                                that holds the lock (the driver watches the
 *                                lock word) and starting another in its
 *                                place; prints "kills=N died_holding=N
 *                                stuck=N takeover_max_ms=X" first: how many
 *                                kills left the lock to a dead writer, how
 *                                many of those nobody took over within 10 s,
 *                                and the longest takeover
 *   stress.exe write LETTER MS ID  write LETTER x LENGTH for MS milliseconds
 *   stress.exe read MS ID          read for MS milliseconds
 *
 * ID names the driver's rendezvous gates. Built against the generated
 * shmem.h (on Windows and Linux), or with -DSAMPLE against the sample's
 * dllmem.dll, whose exports return nothing and take no lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LENGTH 2000
#define WRITERS 4
#define READERS 4

#ifdef SAMPLE
#include <windows.h>
__declspec(dllimport) void SetSharedMem(LPWSTR);
__declspec(dllimport) void GetSharedMem(LPWSTR, DWORD);
static BOOL set_text(LPWSTR s) { SetSharedMem(s); return TRUE; }
static BOOL get_text(LPWSTR s, DWORD cch) { GetSharedMem(s, cch); return TRUE; }
static DWORD last_status(void) { return 0; }
#define ABANDONED 0
typedef struct {
    LONGLONG lock;
} SHMEM_HEADER;
#define SHMEM_MAPPING_NAME L"dllmemfilemap"
#else
#include "shmem.h"
#endif
#include "port.h"
#include "spawn.h"
#ifndef SAMPLE
static BOOL set_text(LPWSTR s) { return SetSharedMem(s); }
static BOOL get_text(LPWSTR s, DWORD cch) { return GetSharedMem(s, cch); }
static DWORD last_status(void) { return SharedMemLastError(); }
#define ABANDONED SHMEM_STATUS_ABANDONED
#endif

/* The driver creates both gates; ID (its process id) keeps two runs from
 * meeting. Each worker counts "ready" up once the DLL has attached, so
 * that all 8 start on "go" together, however slowly Wine starts them. */
static void names(const char *id, char *ready, char *go)
{
    snprintf(ready, 64, "shmemgen-stress-ready-%s", id);
    snprintf(go, 64, "shmemgen-stress-go-%s", id);
}

static void rendezvous(const char *id)
{
    char ready_name[64], go_name[64];
    names(id, ready_name, go_name);
    gate ready = gate_open(ready_name), go = gate_open(go_name);
    gate_post(ready, 1);
    if (!gate_wait(go, 60000)) {
        fprintf(stderr, "stress: no go from the driver\n");
        exit(2);
    }
}

static WCHAR text[4 * LENGTH];

static int writer(char letter, DWORD ms, const char *id)
{
    unsigned long writes = 0, failed = 0, abandoned = 0;
    DWORD status = 0;
    for (int i = 0; i < LENGTH; i++)
        text[i] = (WCHAR)letter;
    text[LENGTH] = 0;
    rendezvous(id);
    ULONGLONG end = now_ms() + ms;
    while (now_ms() < end) {
        if (set_text(text)) {
            writes++;
            abandoned += ABANDONED != 0 && last_status() == ABANDONED;
        } else {
            failed++;
            status = last_status();
        }
    }
    printf("writer %c: writes=%lu failed=%lu abandoned=%lu status=%lu\n", letter, writes, failed, abandoned,
           (unsigned long)status);
    return 0;
}

/* torn reports whether s is anything but one of the writers' letters
 * repeated LENGTH times. */
static int torn(const WCHAR *s)
{
    if (s[0] < u'A' || s[0] >= u'A' + WRITERS)
        return 1;
    int n = 0;
    while (s[n] == s[0])
        n++;
    return n != LENGTH || s[n] != 0;
}

static int reader(DWORD ms, const char *id)
{
    unsigned long reads = 0, torn_reads = 0, empty = 0, failed = 0, abandoned = 0;
    DWORD status = 0;
    rendezvous(id);
    ULONGLONG end = now_ms() + ms;
    while (now_ms() < end) {
        if (!get_text(text, ARRAYSIZE(text))) {
            failed++;
            status = last_status();
        } else if (ABANDONED != 0 && last_status() == ABANDONED) {
            /* A writer died halfway: this read may be torn, and says so. */
            abandoned++;
        } else if (text[0] == 0) {
            empty++;
        } else {
            reads++;
            torn_reads += torn(text);
        }
    }
    printf("reader: reads=%lu torn=%lu empty=%lu failed=%lu abandoned=%lu status=%lu\n", reads, torn_reads, empty,
           failed, abandoned, (unsigned long)status);
    return 0;
}


static int drive(DWORD ms, BOOL kill)
{
    char id[16], ready_name[64], go_name[64], args[64];
    proc procs[WRITERS + READERS];
    int n = 0;
    snprintf(id, sizeof id, "%lu", (unsigned long)my_pid());
    names(id, ready_name, go_name);
    gate ready = gate_create(ready_name), go = gate_create(go_name);
    fflush(stdout);
    for (int i = 0; i < WRITERS; i++) {
        snprintf(args, sizeof args, "write %c %lu %s", 'A' + i, (unsigned long)ms, id);
        procs[n++] = spawn(NULL, args);
    }
    for (int i = 0; i < READERS; i++) {
        snprintf(args, sizeof args, "read %lu %s", (unsigned long)ms, id);
        procs[n++] = spawn(NULL, args);
    }
    for (int i = 0; i < n; i++) {
        if (!gate_wait(ready, 60000)) {
            fprintf(stderr, "stress: only %d of %d workers got ready\n", i, n);
            for (int j = 0; j < n; j++)
                proc_kill(procs[j]);
            return 1;
        }
    }
    /* Enough for everyone, the replacements of killed writers too. */
    gate_post(go, 100000);
    if (kill) {
        /* Every 20-60 ms, watch the lock word until a writer holds it, and
         * kill that writer: mid-write, unless it let go in between. Stop 500
         * ms before the end, so that the last writers write and report. A
         * replacement passes the rendezvous at once: "go" is open. */
        unsigned kills = 0, died_holding = 0, stuck = 0, seed = (unsigned)my_pid();
        double takeover_max_ms = 0;
        ULONGLONG end = now_ms() + (ms > 500 ? ms - 500 : 0);
        volatile SHMEM_HEADER *header = map_header(FALSE);
        while (now_ms() < end) {
            seed = seed * 1103515245 + 12345;
            sleep_ms(20 + (seed >> 16) % 40);
            int w = -1;
            for (int spin = 0; w < 0 && spin < 1000000; spin++) {
                DWORD holder = (DWORD)header->lock;
                for (int i = 0; i < WRITERS; i++)
                    if (holder != 0 && proc_id(procs[i]) == holder)
                        w = i;
            }
            if (w < 0 || now_ms() >= end)
                continue;
            DWORD pid = (DWORD)proc_id(procs[w]);
            proc_kill(procs[w]);
            /* Dead and still the holder: time how long the others take to
             * notice and take the lock over. */
            if ((DWORD)header->lock == pid) {
                double start = now_us(), waited_ms;
                do {
                    sleep_ms(0);
                    waited_ms = (now_us() - start) / 1000;
                } while ((DWORD)header->lock == pid && waited_ms < 10000);
                died_holding++;
                if ((DWORD)header->lock == pid)
                    stuck++;
                else if (waited_ms > takeover_max_ms)
                    takeover_max_ms = waited_ms;
            }
            unsigned long left = (unsigned long)(end + 500 - now_ms());
            snprintf(args, sizeof args, "write %c %lu %s", 'A' + w, left, id);
            procs[w] = spawn(NULL, args);
            kills++;
        }
        printf("kills=%u died_holding=%u stuck=%u takeover_max_ms=%.1f\n", kills, died_holding, stuck,
               takeover_max_ms);
        fflush(stdout);
    }
    /* A crash shows as an exception code such as 0xc0000005 (on Linux,
     * 0x100 plus the signal). */
    ULONGLONG deadline = now_ms() + ms + 60000;
    unsigned long codes[WRITERS + READERS];
    for (int i = 0; i < n; i++) {
        ULONGLONG t = now_ms();
        if (!proc_wait(procs[i], t < deadline ? (unsigned long)(deadline - t) : 0, &codes[i])) {
            fprintf(stderr, "stress: workers still running long after %lu ms\n", (unsigned long)ms);
            return 1;
        }
    }
    gate_remove(ready_name);
    gate_remove(go_name);
    for (int i = 0; i < n; i++)
        printf("exit=0x%lx\n", codes[i]);
    return 0;
}

static int program(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "drive") == 0)
        return drive(strtoul(argv[2], NULL, 10), FALSE);
    if (argc == 3 && strcmp(argv[1], "drive-kill") == 0)
        return drive(strtoul(argv[2], NULL, 10), TRUE);
    if (argc == 5 && strcmp(argv[1], "write") == 0)
        return writer(argv[2][0], strtoul(argv[3], NULL, 10), argv[4]);
    if (argc == 4 && strcmp(argv[1], "read") == 0)
        return reader(strtoul(argv[2], NULL, 10), argv[3]);
    fprintf(stderr, "usage: stress.exe drive MS | drive-kill MS | write LETTER MS ID | read MS ID\n");
    return 2;
}
