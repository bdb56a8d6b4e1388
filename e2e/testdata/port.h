/*
 * port.h is what the test programs that run on Windows and on Linux need
 * from the system, one function each: UTF-16 strings, clocks, a thread,
 * named semaphores, the shared header mapped by name, and the program's
 * entry point. Include it after shmem.h. The programs use the Windows type
 * names; on Linux they are the header's portable types (SHMEM_WCHAR is
 * char16_t, UTF-16 as on Windows, never wchar_t). Text literals are u"".
 * spawn.h starts and ends processes.
 */
#ifndef PORT_H
#define PORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
typedef SHMEM_WCHAR WCHAR;
typedef WCHAR *LPWSTR;
typedef SHMEM_DWORD DWORD;
typedef SHMEM_BOOL BOOL;
typedef SHMEM_ULONGLONG ULONGLONG;
typedef int64_t LONGLONG;
typedef uint8_t BYTE;
#define TRUE 1
#define FALSE 0
#define ARRAYSIZE(a) (sizeof(a) / sizeof((a)[0]))
/* SHM_NAME is the POSIX name of the mapping: the header's, or the
 * default project's. */
#ifdef SHMEM_SHM_NAME
#define SHM_NAME SHMEM_SHM_NAME
#else
#define SHM_NAME "/dllmemfilemap"
#endif
#endif

/* program is the test program's main, with its arguments in UTF-8. */
static int program(int argc, char **argv);

#ifdef _WIN32
int wmain(int argc, wchar_t **wargv)
{
    char **argv = calloc((size_t)argc + 1, sizeof *argv);
    for (int i = 0; i < argc; i++) {
        int n = WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, NULL, 0, NULL, NULL);
        argv[i] = malloc((size_t)n);
        WideCharToMultiByte(CP_UTF8, 0, wargv[i], -1, argv[i], n, NULL, NULL);
    }
    return program(argc, argv);
}
#else
int main(int argc, char **argv)
{
    return program(argc, argv);
}
#endif

/* u16len, u16cmp and u16ncmp are wcslen, wcscmp and wcsncmp for UTF-16. */
static inline size_t u16len(const WCHAR *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static inline int u16ncmp(const WCHAR *a, const WCHAR *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
        if (a[i] == 0)
            break;
    }
    return 0;
}

static inline int u16cmp(const WCHAR *a, const WCHAR *b)
{
    return u16ncmp(a, b, (size_t)-1);
}

/* ascii is s as a C string for printing, '?' for what is not ASCII, in one
 * of two buffers that the next calls but one reuse. */
static inline const char *ascii(const WCHAR *s)
{
    static char buf[2][256];
    static int which;
    char *out = buf[which ^= 1];
    size_t i = 0;
    for (; s[i] && i < sizeof buf[0] - 1; i++)
        out[i] = s[i] < 128 ? (char)s[i] : '?';
    out[i] = 0;
    return out;
}

/* now_ms is a monotonic clock in milliseconds, now_us in microseconds. */
static inline ULONGLONG now_ms(void)
{
#ifdef _WIN32
    return GetTickCount64();
#else
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (ULONGLONG)t.tv_sec * 1000 + (ULONGLONG)t.tv_nsec / 1000000;
#endif
}

static inline double now_us(void)
{
#ifdef _WIN32
    static LARGE_INTEGER freq;
    LARGE_INTEGER t;
    if (freq.QuadPart == 0)
        QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart * 1e6 / (double)freq.QuadPart;
#else
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
#endif
}

static inline void sleep_ms(DWORD ms)
{
#ifdef _WIN32
    Sleep(ms);
#else
    struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
#endif
}

/* my_pid is the running process's id. */
static inline DWORD my_pid(void)
{
#ifdef _WIN32
    return GetCurrentProcessId();
#else
    return (DWORD)getpid();
#endif
}

/* in_thread runs fn in another thread and waits for it to end; the
 * thread gets a pointer to fn. */
#ifdef _WIN32
static DWORD WINAPI thread_main(LPVOID fn)
{
    (*(void (**)(void))fn)();
    return 0;
}
#else
static void *thread_main(void *fn)
{
    (*(void (**)(void))fn)();
    return NULL;
}
#endif

static inline void in_thread(void (*fn)(void))
{
#ifdef _WIN32
    HANDLE t = CreateThread(NULL, 0, thread_main, &fn, 0, NULL);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
#else
    pthread_t t;
    pthread_create(&t, NULL, thread_main, &fn);
    pthread_join(t, NULL);
#endif
}

/* A gate is a named semaphore, for processes that meet: gate_create
 * makes it (count 0), gate_open opens one another process made. NAME is
 * ASCII, without a prefix: Local\NAME on Windows, /NAME on Linux. */
#ifdef _WIN32
typedef HANDLE gate;
#else
typedef sem_t *gate;
#endif

static inline gate gate_open_or_create(const char *name, int create)
{
    char full[128];
#ifdef _WIN32
    WCHAR wide[128];
    snprintf(full, sizeof full, "Local\\%s", name);
    MultiByteToWideChar(CP_UTF8, 0, full, -1, wide, ARRAYSIZE(wide));
    HANDLE g = create ? CreateSemaphoreW(NULL, 0, 0x7fffffff, wide)
                      : OpenSemaphoreW(SEMAPHORE_MODIFY_STATE | SYNCHRONIZE, FALSE, wide);
    if (g == NULL) {
        fprintf(stderr, "gate %s: error %lu\n", full, GetLastError());
        exit(2);
    }
#else
    snprintf(full, sizeof full, "/%s", name);
    sem_t *g = create ? sem_open(full, O_CREAT | O_EXCL, 0600, 0) : sem_open(full, 0);
    if (g == SEM_FAILED) {
        fprintf(stderr, "gate %s: %s\n", full, strerror(errno));
        exit(2);
    }
#endif
    return g;
}

static inline gate gate_create(const char *name) { return gate_open_or_create(name, 1); }
static inline gate gate_open(const char *name) { return gate_open_or_create(name, 0); }

/* gate_remove lets go of the name once every process has opened it: the
 * processes that have it keep it (on Windows the name goes with the last
 * handle anyway). */
static inline void gate_remove(const char *name)
{
#ifdef _WIN32
    (void)name;
#else
    char full[128];
    snprintf(full, sizeof full, "/%s", name);
    sem_unlink(full);
#endif
}

static inline void gate_post(gate g, int n)
{
#ifdef _WIN32
    ReleaseSemaphore(g, n, NULL);
#else
    for (int i = 0; i < n; i++)
        sem_post(g);
#endif
}

/* gate_wait takes one from the gate, waiting at most ms; FALSE on a
 * timeout. */
static inline BOOL gate_wait(gate g, DWORD ms)
{
#ifdef _WIN32
    return WaitForSingleObject(g, ms) == WAIT_OBJECT_0;
#else
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000;
    if (t.tv_nsec >= 1000000000) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000;
    }
    int r;
    while ((r = sem_timedwait(g, &t)) != 0 && errno == EINTR)
        ;
    return r == 0;
#endif
}

/* map_header maps the shared memory's header by its name, to watch the
 * lock word or the waiters as the test drivers do; write for the programs
 * that take the lock by the protocol. It exits when there is no mapping. */
static inline volatile SHMEM_HEADER *map_header(BOOL write)
{
#ifdef _WIN32
    DWORD access = write ? FILE_MAP_WRITE : FILE_MAP_READ;
    HANDLE section = OpenFileMappingW(access, FALSE, SHMEM_MAPPING_NAME);
    void *view = section ? MapViewOfFile(section, access, 0, 0, sizeof(SHMEM_HEADER)) : NULL;
    if (view == NULL) {
        fprintf(stderr, "cannot map the header (error %lu)\n", GetLastError());
        exit(1);
    }
#else
    int fd = shm_open(SHM_NAME, write ? O_RDWR : O_RDONLY, 0);
    void *view = fd < 0 ? MAP_FAILED
                        : mmap(NULL, sizeof(SHMEM_HEADER), write ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
    if (view == MAP_FAILED) {
        fprintf(stderr, "cannot map the header of %s: %s\n", SHM_NAME, strerror(errno));
        exit(1);
    }
    if (fd >= 0)
        close(fd);
#endif
    return view;
}

#endif
