/*
 * parent writes a string into shared memory through shmem.dll, starts
 * the child and waits for it; it exits with the child's status.
 *
 * Usage: parent.exe [CHILD_COMMAND_LINE [TEXT]]
 *
 * CHILD_COMMAND_LINE defaults to child.exe beside this program, TEXT to
 * "This is a test string".
 */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

#include "shmem.h"

static const WCHAR default_text[] = L"This is a test string";

/* child_command_line returns a writable copy of the command line to start,
 * as CreateProcessW requires one: the argument given, or the quoted path of
 * child.exe beside this program. */
static WCHAR *child_command_line(int argc, wchar_t **argv)
{
    static WCHAR line[32768];
    if (argc > 1) {
        if (wcslen(argv[1]) >= ARRAYSIZE(line))
            return NULL;
        wcscpy(line, argv[1]);
        return line;
    }
    WCHAR path[32768];
    DWORD n = GetModuleFileNameW(NULL, path, ARRAYSIZE(path));
    if (n == 0 || n >= ARRAYSIZE(path))
        return NULL;
    WCHAR *slash = wcsrchr(path, L'\\');
    *(slash ? slash + 1 : path) = L'\0';
    if (_snwprintf(line, ARRAYSIZE(line), L"\"%lschild.exe\"", path) < 0)
        return NULL;
    line[ARRAYSIZE(line) - 1] = L'\0';
    return line;
}

/* start_child starts line with this process's standard handles, so that
 * its output goes where ours goes, and returns its process handle. */
static HANDLE start_child(WCHAR *line)
{
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    ZeroMemory(&si, sizeof si);
    ZeroMemory(&pi, sizeof pi);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    SetHandleInformation(si.hStdInput, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    SetHandleInformation(si.hStdOutput, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    SetHandleInformation(si.hStdError, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    if (!CreateProcessW(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        fprintf(stderr, "parent: CreateProcess failed (error %lu)\n", GetLastError());
        return NULL;
    }
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

int wmain(int argc, wchar_t **argv)
{
    if (argc > 3) {
        fprintf(stderr, "usage: parent.exe [CHILD_COMMAND_LINE [TEXT]]\n");
        return 2;
    }
    const WCHAR *text = argc > 2 ? argv[2] : default_text;
    WCHAR *line = child_command_line(argc, argv);
    if (line == NULL) {
        fprintf(stderr, "parent: child command line too long\n");
        return 1;
    }

    printf("Process is writing to shared memory...\n");
    /* The child writes to the same output: ours must be out first. */
    fflush(stdout);
    if (!SetSharedMem((LPWSTR)text)) {
        fprintf(stderr, "parent: SetSharedMem failed (status 0x%08lx)\n", SharedMemLastError());
        return 1;
    }
    if (SharedMemLastError() == SHMEM_STATUS_TRUNCATED)
        fprintf(stderr, "parent: the text was cut to fit the mapping's %llu characters\n",
                SHMEM_CAPACITY - 1);

    HANDLE child = start_child(line);
    if (child == NULL)
        return 1;
    DWORD status = 1;
    if (WaitForSingleObject(child, INFINITE) != WAIT_OBJECT_0 || !GetExitCodeProcess(child, &status)) {
        fprintf(stderr, "parent: waiting for the child failed (error %lu)\n", GetLastError());
        status = 1;
    }
    CloseHandle(child);
    return (int)status;
}
