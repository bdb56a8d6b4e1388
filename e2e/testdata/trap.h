/*
 * trap.h holds the library's lock on purpose, from inside an export: it
 * makes a source buffer whose tail runs into an inaccessible page
 * (PAGE_NOACCESS on Windows, PROT_NONE on Linux). Handed to a copying
 * export (WriteSharedBytes, SetSharedMem), the copy faults while the
 * export holds the lock, and a handler of ours decides what the holder
 * does: sleep and then open the page, so that the copy goes on (a slow
 * holder), or end the process at once with a chosen exit code (a holder
 * that dies half-way through a write). A vectored exception handler on
 * Windows, a SIGSEGV handler on Linux; each posts a gate, when given one,
 * the moment the holder is inside the lock.
 *
 * One trap at a time per process. Include it after port.h.
 */
#ifndef TRAP_H
#define TRAP_H

#include "spawn.h"

#ifndef _WIN32
#include <signal.h>
#endif

enum trap_action {
    /* TRAP_SLOW sleeps trap_arg milliseconds, then opens the page. */
    TRAP_SLOW,
    /* TRAP_DIE ends the process at once with exit code trap_arg, as
     * TerminateProcess or _exit do: nothing of the process runs after. */
    TRAP_DIE,
};

static struct {
    BYTE *page; /* the inaccessible page */
    size_t page_size;
    enum trap_action action;
    DWORD arg;
    gate inside; /* posted when the fault is taken, or NULL */
    volatile int faults;
} trap_state;

static inline BOOL trap_hit(const void *addr)
{
    const BYTE *a = addr;
    return trap_state.page != NULL && a >= trap_state.page && a < trap_state.page + trap_state.page_size;
}

#ifdef _WIN32
static LONG WINAPI trap_handler(EXCEPTION_POINTERS *e)
{
    EXCEPTION_RECORD *r = e->ExceptionRecord;
    if (r->ExceptionCode != EXCEPTION_ACCESS_VIOLATION || r->NumberParameters < 2 ||
        !trap_hit((const void *)r->ExceptionInformation[1]))
        return EXCEPTION_CONTINUE_SEARCH;
    InterlockedIncrement((volatile LONG *)&trap_state.faults);
    if (trap_state.inside != NULL)
        ReleaseSemaphore(trap_state.inside, 1, NULL);
    if (trap_state.action == TRAP_DIE)
        TerminateProcess(GetCurrentProcess(), trap_state.arg);
    Sleep(trap_state.arg);
    DWORD old;
    VirtualProtect(trap_state.page, trap_state.page_size, PAGE_READWRITE, &old);
    return EXCEPTION_CONTINUE_EXECUTION;
}
#else
static void trap_handler(int sig, siginfo_t *info, void *context)
{
    (void)context;
    if (!trap_hit(info->si_addr)) {
        /* Not ours: die of it as if no handler were here. */
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    __atomic_add_fetch(&trap_state.faults, 1, __ATOMIC_SEQ_CST);
    if (trap_state.inside != NULL)
        sem_post(trap_state.inside);
    if (trap_state.action == TRAP_DIE)
        _exit((int)trap_state.arg);
    struct timespec t = {.tv_sec = trap_state.arg / 1000, .tv_nsec = (long)(trap_state.arg % 1000) * 1000000};
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
    mprotect(trap_state.page, trap_state.page_size, PROT_READ | PROT_WRITE);
}
#endif

/*
 * trap_source returns a buffer of n readable bytes right before an
 * inaccessible page, filled with fill: a copy of more than n bytes from it
 * faults on the page, and then acts (TRAP_SLOW: arg milliseconds; TRAP_DIE:
 * exit code arg). For a string export, fill the n bytes with characters and
 * no NUL: the scan runs into the page. inside, if not NULL, is posted when
 * the fault is taken. Calling it again re-arms the trap with a fresh page.
 */
static inline void *trap_source(size_t n, BYTE fill, enum trap_action action, DWORD arg, gate inside)
{
#ifdef _WIN32
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    size_t page = si.dwPageSize;
    size_t lead = (n + page - 1) / page * page;
    BYTE *p = VirtualAlloc(NULL, lead + page, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    DWORD old;
    if (p == NULL || !VirtualProtect(p + lead, page, PAGE_NOACCESS, &old)) {
        fprintf(stderr, "trap: cannot make the page (error %lu)\n", GetLastError());
        exit(2);
    }
    static int installed;
    if (!installed++)
        AddVectoredExceptionHandler(1, trap_handler);
#else
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t lead = (n + page - 1) / page * page;
    BYTE *p = mmap(NULL, lead + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED || mprotect(p + lead, page, PROT_NONE) != 0) {
        fprintf(stderr, "trap: cannot make the page: %s\n", strerror(errno));
        exit(2);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = trap_handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
#endif
    trap_state.page = p + lead;
    trap_state.page_size = page;
    trap_state.action = action;
    trap_state.arg = arg;
    trap_state.inside = inside;
    BYTE *src = p + lead - n;
    memset(src, fill, n);
    return src;
}

/* trap_start starts this program again with args and a gate's name after
 * them, for a holder that hands the gate to trap_source, and returns the
 * holder once it is inside the lock. */
static inline proc trap_start(const char *args)
{
    char gate_name[64], line[256];
    snprintf(gate_name, sizeof gate_name, "shmemgen-trap-%lu", (unsigned long)my_pid());
    gate inside = gate_create(gate_name);
    snprintf(line, sizeof line, "%s %s", args, gate_name);
    proc holder = spawn(NULL, line);
    if (!gate_wait(inside, 60000)) {
        fprintf(stderr, "trap: the holder never got inside the lock\n");
        exit(1);
    }
    gate_remove(gate_name);
    return holder;
}

#endif
