/*
 * spawn.h starts a second process, for the test programs that need one: a
 * lock holder, a waiter, a stress worker, a caller that crashes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

/* spawn starts program, a file beside the running one (NULL: the running
 * one itself), with args, sharing our standard handles so that its reports
 * come out of ours. It returns the process and exits on failure. */
static inline HANDLE spawn(const wchar_t *program, const wchar_t *args)
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
