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
 * ID names the driver's rendezvous objects. Built against the generated
 * shmem.h, or with -DSAMPLE against the sample's dllmem.dll, whose exports
 * return nothing and take no lock.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "spawn.h"

#define LENGTH 2000
#define WRITERS 4
#define READERS 4

#ifdef SAMPLE
__declspec(dllimport) void SetSharedMem(LPWSTR);
__declspec(dllimport) void GetSharedMem(LPWSTR, DWORD);
static BOOL set_text(LPWSTR s) { SetSharedMem(s); return TRUE; }
static BOOL get_text(LPWSTR s, DWORD cch) { GetSharedMem(s, cch); return TRUE; }
static DWORD last_status(void) { return 0; }
#define ABANDONED 0
#else
#include "shmem.h"
static BOOL set_text(LPWSTR s) { return SetSharedMem(s); }
static BOOL get_text(LPWSTR s, DWORD cch) { return GetSharedMem(s, cch); }
static DWORD last_status(void) { return SharedMemLastError(); }
#define ABANDONED SHMEM_STATUS_ABANDONED
#endif

/* The driver creates both objects; ID (its process id) keeps two runs
 * from meeting. Each worker counts "ready" up once the DLL has attached,
 * so that all 8 start on "go" together, however slowly Wine starts them. */
static void names(const wchar_t *id, WCHAR *ready, WCHAR *go)
{
    _snwprintf(ready, 64, L"Local\\shmemgen-stress-ready-%ls", id);
    _snwprintf(go, 64, L"Local\\shmemgen-stress-go-%ls", id);
}

static void rendezvous(const wchar_t *id)
{
    WCHAR ready_name[64], go_name[64];
    names(id, ready_name, go_name);
    HANDLE ready = OpenSemaphoreW(SEMAPHORE_MODIFY_STATE, FALSE, ready_name);
    HANDLE go = OpenEventW(SYNCHRONIZE, FALSE, go_name);
    if (ready == NULL || go == NULL) {
        fprintf(stderr, "stress: cannot open the driver's objects (error %lu)\n", GetLastError());
        exit(2);
    }
    ReleaseSemaphore(ready, 1, NULL);
    if (WaitForSingleObject(go, 60000) != WAIT_OBJECT_0) {
        fprintf(stderr, "stress: no go from the driver\n");
        exit(2);
    }
}

static WCHAR text[4 * LENGTH];

static int writer(wchar_t letter, DWORD ms, const wchar_t *id)
{
    unsigned long writes = 0, failed = 0, abandoned = 0;
    DWORD status = 0;
    for (int i = 0; i < LENGTH; i++)
        text[i] = letter;
    text[LENGTH] = 0;
    rendezvous(id);
    ULONGLONG end = GetTickCount64() + ms;
    while (GetTickCount64() < end) {
        if (set_text(text)) {
            writes++;
            abandoned += ABANDONED != 0 && last_status() == ABANDONED;
        } else {
            failed++;
            status = last_status();
        }
    }
    printf("writer %lc: writes=%lu failed=%lu abandoned=%lu status=%lu\n", letter, writes, failed, abandoned,
           status);
    return 0;
}

/* torn reports whether s is anything but one of the writers' letters
 * repeated LENGTH times. */
static int torn(const WCHAR *s)
{
    if (s[0] < L'A' || s[0] >= L'A' + WRITERS)
        return 1;
    int n = 0;
    while (s[n] == s[0])
        n++;
    return n != LENGTH || s[n] != 0;
}

static int reader(DWORD ms, const wchar_t *id)
{
    unsigned long reads = 0, torn_reads = 0, empty = 0, failed = 0, abandoned = 0;
    DWORD status = 0;
    rendezvous(id);
    ULONGLONG end = GetTickCount64() + ms;
    while (GetTickCount64() < end) {
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
           failed, abandoned, status);
    return 0;
}


#ifdef SAMPLE
typedef struct {
    LONGLONG lock;
} SHMEM_HEADER;
static volatile SHMEM_HEADER *map_header(void)
{
    fprintf(stderr, "stress: the sample has no lock to kill a holder of\n");
    exit(2);
}
#else
/* map_header maps the section's header, to watch the lock word. */
static volatile SHMEM_HEADER *map_header(void)
{
    HANDLE section = OpenFileMappingW(FILE_MAP_READ, FALSE, SHMEM_MAPPING_NAME);
    void *view = section ? MapViewOfFile(section, FILE_MAP_READ, 0, 0, sizeof(SHMEM_HEADER)) : NULL;
    if (view == NULL) {
        fprintf(stderr, "stress: cannot map the header (error %lu)\n", GetLastError());
        exit(1);
    }
    return view;
}
#endif

static int drive(DWORD ms, BOOL kill)
{
    WCHAR id[16], ready_name[64], go_name[64], args[64];
    HANDLE procs[WRITERS + READERS];
    int n = 0;
    _snwprintf(id, ARRAYSIZE(id), L"%lu", GetCurrentProcessId());
    names(id, ready_name, go_name);
    HANDLE ready = CreateSemaphoreW(NULL, 0, WRITERS + READERS, ready_name);
    HANDLE go = CreateEventW(NULL, TRUE, FALSE, go_name);
    if (ready == NULL || go == NULL) {
        fprintf(stderr, "stress: cannot create the rendezvous (error %lu)\n", GetLastError());
        return 1;
    }
    fflush(stdout);
    for (int i = 0; i < WRITERS; i++) {
        _snwprintf(args, ARRAYSIZE(args), L"write %lc %lu %ls", L'A' + i, ms, id);
        procs[n++] = spawn(NULL, args);
    }
    for (int i = 0; i < READERS; i++) {
        _snwprintf(args, ARRAYSIZE(args), L"read %lu %ls", ms, id);
        procs[n++] = spawn(NULL, args);
    }
    for (int i = 0; i < n; i++) {
        if (WaitForSingleObject(ready, 60000) != WAIT_OBJECT_0) {
            fprintf(stderr, "stress: only %d of %d workers got ready\n", i, n);
            for (int j = 0; j < n; j++)
                TerminateProcess(procs[j], 1);
            return 1;
        }
    }
    SetEvent(go);
    if (kill) {
        /* Every 20-60 ms, watch the lock word until a writer holds it, and
         * kill that writer: mid-write, unless it let go in between. Stop 500
         * ms before the end, so that the last writers write and report. A
         * replacement passes the rendezvous at once: "go" is already set. */
        unsigned kills = 0, died_holding = 0, stuck = 0, seed = GetCurrentProcessId();
        double takeover_max_ms = 0;
        ULONGLONG end = GetTickCount64() + (ms > 500 ? ms - 500 : 0);
        volatile SHMEM_HEADER *header = map_header();
        while (GetTickCount64() < end) {
            seed = seed * 1103515245 + 12345;
            Sleep(20 + (seed >> 16) % 40);
            int w = -1;
            for (int spin = 0; w < 0 && spin < 1000000; spin++) {
                DWORD holder = (DWORD)header->lock;
                for (int i = 0; i < WRITERS; i++)
                    if (holder != 0 && GetProcessId(procs[i]) == holder)
                        w = i;
            }
            if (w < 0 || GetTickCount64() >= end)
                continue;
            DWORD pid = GetProcessId(procs[w]);
            TerminateProcess(procs[w], 9);
            WaitForSingleObject(procs[w], INFINITE);
            CloseHandle(procs[w]);
            /* Dead and still the holder: time how long the others take to
             * notice and take the lock over. */
            if ((DWORD)header->lock == pid) {
                LARGE_INTEGER freq, start, now;
                QueryPerformanceFrequency(&freq);
                QueryPerformanceCounter(&start);
                double waited_ms;
                do {
                    Sleep(0);
                    QueryPerformanceCounter(&now);
                    waited_ms = (double)(now.QuadPart - start.QuadPart) * 1000 / (double)freq.QuadPart;
                } while ((DWORD)header->lock == pid && waited_ms < 10000);
                died_holding++;
                if ((DWORD)header->lock == pid)
                    stuck++;
                else if (waited_ms > takeover_max_ms)
                    takeover_max_ms = waited_ms;
            }
            DWORD left = (DWORD)(end + 500 - GetTickCount64());
            _snwprintf(args, ARRAYSIZE(args), L"write %lc %lu %ls", L'A' + w, left, id);
            procs[w] = spawn(NULL, args);
            kills++;
        }
        printf("kills=%u died_holding=%u stuck=%u takeover_max_ms=%.1f\n", kills, died_holding, stuck,
               takeover_max_ms);
        fflush(stdout);
    }
    if (WaitForMultipleObjects(n, procs, TRUE, ms + 60000) != WAIT_OBJECT_0) {
        fprintf(stderr, "stress: workers still running long after %lu ms\n", ms);
        return 1;
    }
    /* A crash shows as an exception code such as 0xc0000005. */
    for (int i = 0; i < n; i++) {
        DWORD code = 1;
        GetExitCodeProcess(procs[i], &code);
        printf("exit=0x%lx\n", code);
    }
    return 0;
}

int wmain(int argc, wchar_t **argv)
{
    if (argc == 3 && wcscmp(argv[1], L"drive") == 0)
        return drive(wcstoul(argv[2], NULL, 10), FALSE);
    if (argc == 3 && wcscmp(argv[1], L"drive-kill") == 0)
        return drive(wcstoul(argv[2], NULL, 10), TRUE);
    if (argc == 5 && wcscmp(argv[1], L"write") == 0)
        return writer(argv[2][0], wcstoul(argv[3], NULL, 10), argv[4]);
    if (argc == 4 && wcscmp(argv[1], L"read") == 0)
        return reader(wcstoul(argv[2], NULL, 10), argv[3]);
    fprintf(stderr, "usage: stress.exe drive MS | drive-kill MS | write LETTER MS ID | read MS ID\n");
    return 2;
}
