/*
 * spawn.h starts a second process, for the test programs that need one: a
 * lock holder, a waiter, a stress worker, a caller that crashes; and waits
 * for it or kills it. Include it after port.h, or alone in a Windows-only
 * program.
 */
#ifndef SPAWN_H
#define SPAWN_H

#include <stdio.h>
#include <stdlib.h>
#ifdef _WIN32
#include <windows.h>
typedef HANDLE proc;
#else
#include <limits.h>
#include <signal.h>
/* glibc's: the test programs find this one through -iquote, never -I. */
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
typedef pid_t proc;
extern char **environ;
#endif

#ifdef _WIN32
/* spawnw is spawn with the program and its arguments in UTF-16, for the
 * Windows-only programs. */
static inline HANDLE spawnw(const wchar_t *program, const wchar_t *args)
{
    WCHAR path[MAX_PATH], line[2 * MAX_PATH];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    DWORD n = GetModuleFileNameW(NULL, path, MAX_PATH);
    if (n == 0 || n >= MAX_PATH) {
        fprintf(stderr, "spawn: GetModuleFileName failed (error %lu)\n", GetLastError());
        exit(1);
    }
    if (program != NULL) {
        WCHAR *slash = wcsrchr(path, L'\\');
        _snwprintf(slash ? slash + 1 : path, MAX_PATH - (slash ? (size_t)(slash + 1 - path) : 0), L"%ls", program);
        path[MAX_PATH - 1] = 0;
    }
    _snwprintf(line, ARRAYSIZE(line), L"\"%ls\" %ls", path, args);
    line[ARRAYSIZE(line) - 1] = 0;
    ZeroMemory(&si, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    SetHandleInformation(si.hStdOutput, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    SetHandleInformation(si.hStdError, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    fflush(stdout); /* ours first, then the child's */
    if (!CreateProcessW(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        fprintf(stderr, "spawn: cannot start %ls (error %lu)\n", line, GetLastError());
        exit(1);
    }
    CloseHandle(pi.hThread);
    return pi.hProcess;
}
#endif

/* spawn starts program, a file beside the running one (NULL: the running
 * one itself), with args, words separated by single spaces, sharing our
 * standard handles so that its reports come out of ours. It returns the
 * process and exits on failure. */
static inline proc spawn(const char *program, const char *args)
{
#ifdef _WIN32
    WCHAR wprogram[MAX_PATH], wargs[2 * MAX_PATH];
    if (program != NULL)
        MultiByteToWideChar(CP_UTF8, 0, program, -1, wprogram, MAX_PATH);
    MultiByteToWideChar(CP_UTF8, 0, args, -1, wargs, 2 * MAX_PATH);
    return spawnw(program ? wprogram : NULL, wargs);
#else
    char path[PATH_MAX], words[1024], *argv[32];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) {
        perror("spawn: /proc/self/exe");
        exit(1);
    }
    path[n] = 0;
    if (program != NULL) {
        char *slash = strrchr(path, '/');
        snprintf(slash + 1, sizeof path - (size_t)(slash + 1 - path), "%s", program);
    }
    snprintf(words, sizeof words, "%s", args);
    int argc = 0;
    argv[argc++] = path;
    for (char *w = strtok(words, " "); w != NULL && argc < 31; w = strtok(NULL, " "))
        argv[argc++] = w;
    argv[argc] = NULL;
    fflush(stdout);
    pid_t pid;
    int err = posix_spawn(&pid, path, NULL, NULL, argv, environ);
    if (err != 0) {
        fprintf(stderr, "spawn: cannot start %s: %s\n", path, strerror(err));
        exit(1);
    }
    return pid;
#endif
}

/* proc_id is the process's id. */
static inline unsigned long proc_id(proc p)
{
#ifdef _WIN32
    return GetProcessId(p);
#else
    return (unsigned long)p;
#endif
}

/* proc_wait waits at most ms for p to end and stores its exit code: a
 * Windows exit code (an exception code for a crash), or on Linux the exit
 * status, or 0x100 plus the signal that killed it. FALSE if p still runs. */
static inline int proc_wait(proc p, unsigned long ms, unsigned long *code)
{
#ifdef _WIN32
    DWORD c = 1;
    if (WaitForSingleObject(p, ms) != WAIT_OBJECT_0)
        return 0;
    GetExitCodeProcess(p, &c);
    *code = c;
    return 1;
#else
    int status;
    for (unsigned long waited = 0;; waited++) {
        pid_t r = waitpid(p, &status, WNOHANG);
        if (r == p)
            break;
        if (r < 0 || waited >= ms)
            return 0;
        struct timespec t = {0, 1000000};
        nanosleep(&t, NULL);
    }
    *code = WIFEXITED(status) ? (unsigned long)WEXITSTATUS(status) : 0x100UL + (unsigned long)WTERMSIG(status);
    return 1;
#endif
}

/* proc_kill kills p at once, as TerminateProcess and SIGKILL do: no code
 * of p's runs after, whatever it holds, and returns once it is gone. */
static inline void proc_kill(proc p)
{
    unsigned long code;
#ifdef _WIN32
    TerminateProcess(p, 9);
#else
    kill(p, SIGKILL);
#endif
    proc_wait(p, 0xffffffffUL, &code);
#ifdef _WIN32
    CloseHandle(p);
#endif
}

#endif
