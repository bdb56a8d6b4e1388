/*
 * parent writes a string into shared memory through the library, starts
 * the child and waits for it; it exits with the child's status. It loads the
 * library beside itself by full path (load.h), on Windows and on Linux.
 *
 * Usage: parent [CHILD_COMMAND_LINE [TEXT]]
 *        parent --record JSON [CHILD_COMMAND_LINE]
 *        parent --unlink
 *
 * CHILD_COMMAND_LINE defaults to the child beside this program (child.exe
 * on Windows, child on Linux), TEXT to "This is a test string". On Linux a
 * CHILD_COMMAND_LINE given is run by /bin/sh -c, as Windows would parse it
 * into a program and its arguments.
 *
 * --record writes the typed record from JSON (an object of its fields,
 * record_json.h) instead of the text, and starts the child with --record,
 * which prints it back as one line of JSON.
 *
 * --unlink removes the segment's name on Linux, where it outlives its
 * processes, so that the next run creates it afresh: the way out of
 * BAD_LAYOUT after a rebuild with another size or layout (load.h).
 */
/* Only the core of windows.h, which is most of this program's compile time:
 * it needs no GDI, RPC, OLE or shell. */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include "load.h"

#ifdef _WIN32
static const WCHAR shmemgen_default_text[] = L"This is a test string";

/* shmemgen_child_command_line returns a writable copy of the command line to start,
 * as CreateProcessW requires one: the line given, or the quoted path of
 * child.exe beside this program, then arg (" --record" or ""). */
static WCHAR *shmemgen_child_command_line(const wchar_t *given, const wchar_t *arg)
{
    static WCHAR line[32768];
    if (given != NULL) {
        if (wcslen(given) + wcslen(arg) >= ARRAYSIZE(line))
            return NULL;
        wcscpy(line, given);
        wcscat(line, arg);
        return line;
    }
    WCHAR path[32768];
    if (!shmemgen_exe_dir(path, ARRAYSIZE(path)))
        return NULL;
    if (_snwprintf(line, ARRAYSIZE(line), L"\"%lschild.exe\"%ls", path, arg) < 0)
        return NULL;
    line[ARRAYSIZE(line) - 1] = L'\0';
    return line;
}

/* shmemgen_run_child starts line with this process's standard handles, so that its
 * output goes where ours goes, waits for it and returns its exit status,
 * or -1. */
static int shmemgen_run_child(WCHAR *line)
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
        return -1;
    }
    CloseHandle(pi.hThread);
    DWORD status = 1;
    if (WaitForSingleObject(pi.hProcess, INFINITE) != WAIT_OBJECT_0 || !GetExitCodeProcess(pi.hProcess, &status)) {
        fprintf(stderr, "parent: waiting for the child failed (error %lu)\n", GetLastError());
        status = 1;
    }
    CloseHandle(pi.hProcess);
    return (int)status;
}
#else
#include <errno.h>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

static const char shmemgen_default_text[] = "This is a test string";

/* shmemgen_utf16_from_utf8 converts NUL-terminated UTF-8 to UTF-16, in a buffer the
 * caller frees; an invalid sequence becomes U+FFFD. */
static shmemgen_wchar *shmemgen_utf16_from_utf8(const char *s)
{
    size_t len = strlen(s);
    shmemgen_wchar *out = malloc((len + 1) * sizeof *out);
    if (out == NULL)
        return NULL;
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned long c = 0xfffd;
        int more = 0;
        if (*p < 0x80)
            c = *p, more = 0;
        else if ((*p & 0xe0) == 0xc0)
            c = *p & 0x1f, more = 1;
        else if ((*p & 0xf0) == 0xe0)
            c = *p & 0x0f, more = 2;
        else if ((*p & 0xf8) == 0xf0)
            c = *p & 0x07, more = 3;
        else
            more = -1;
        p++;
        for (int k = 0; k < more; k++, p++) {
            if ((*p & 0xc0) != 0x80) {
                more = -1;
                break;
            }
            c = c << 6 | (*p & 0x3f);
        }
        if (more < 0 || c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
            c = 0xfffd;
        if (c >= 0x10000) {
            c -= 0x10000;
            out[n++] = (shmemgen_wchar)(0xd800 + (c >> 10));
            out[n++] = (shmemgen_wchar)(0xdc00 + (c & 0x3ff));
        } else {
            out[n++] = (shmemgen_wchar)c;
        }
    }
    out[n] = 0;
    return out;
}

/* shmemgen_run_child runs line with /bin/sh -c, or the child beside this program
 * when line is NULL, with arg ("--record") after it unless arg is NULL, with
 * this process's standard streams, waits for it and returns its exit
 * status, or -1. */
static int shmemgen_run_child(const char *line, const char *arg)
{
    char path[PATH_MAX + 8];
    char *full = NULL;
    if (line != NULL && arg != NULL) {
        full = malloc(strlen(line) + strlen(arg) + 2);
        if (full == NULL)
            return -1;
        sprintf(full, "%s %s", line, arg);
        line = full;
    }
    char *sh_argv[] = {"sh", "-c", (char *)line, NULL};
    char *child_argv[] = {path, (char *)arg, NULL};
    char **argv = sh_argv;
    const char *program = "/bin/sh";
    if (line == NULL) {
        if (!shmemgen_exe_dir(path, PATH_MAX)) {
            fprintf(stderr, "parent: cannot find this program's directory\n");
            return -1;
        }
        strcat(path, "child");
        program = path;
        argv = child_argv;
    }
    pid_t pid;
    int err = posix_spawn(&pid, program, NULL, NULL, argv, environ);
    free(full);
    if (err != 0) {
        fprintf(stderr, "parent: starting %s failed: %s\n", program, strerror(err));
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "parent: waiting for the child failed: %s\n", strerror(errno));
            return -1;
        }
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
#endif

#ifdef _WIN32
int wmain(int argc, wchar_t **argv)
#else
int main(int argc, char **argv)
#endif
{
#ifdef _WIN32
    if (argc == 2 && wcscmp(argv[1], L"--unlink") == 0)
#else
    if (argc == 2 && strcmp(argv[1], "--unlink") == 0)
#endif
        return shmemgen_unlink_main("parent");
#ifdef _WIN32
    int record = argc > 1 && wcscmp(argv[1], L"--record") == 0;
#else
    int record = argc > 1 && strcmp(argv[1], "--record") == 0;
#endif
    if (argc > (record ? 4 : 3) || (record && argc < 3)) {
        fprintf(stderr, "usage: parent [CHILD_COMMAND_LINE [TEXT]]\n       parent --record JSON [CHILD_COMMAND_LINE]\n       parent --unlink\n");
        return 2;
    }
    if (!shmemgen_load("parent"))
        return 1;
    if (record) {
#ifdef _WIN32
        int size = WideCharToMultiByte(CP_UTF8, 0, argv[2], -1, NULL, 0, NULL, NULL);
        char *json = size > 0 ? malloc((size_t)size) : NULL;
        if (json == NULL || WideCharToMultiByte(CP_UTF8, 0, argv[2], -1, json, size, NULL, NULL) != size) {
            fprintf(stderr, "parent: the record's JSON is not text\n");
            return 1;
        }
        WCHAR *child = shmemgen_child_command_line(argc > 3 ? argv[3] : NULL, L" --record");
        if (child == NULL) {
            fprintf(stderr, "parent: child command line too long\n");
            return 1;
        }
#else
        const char *json = argv[2];
        const char *child = argc > 3 ? argv[3] : NULL;
#endif
        if (!shmemgen_record_write_json("parent", json))
            return 1;
        fflush(stdout);
#ifdef _WIN32
        int status = shmemgen_run_child(child);
#else
        int status = shmemgen_run_child(child, "--record");
#endif
        return status < 0 ? 1 : status;
    }
#ifdef _WIN32
    const WCHAR *text = argc > 2 ? argv[2] : shmemgen_default_text;
    WCHAR *line = shmemgen_child_command_line(argc > 1 ? argv[1] : NULL, L"");
    if (line == NULL) {
        fprintf(stderr, "parent: child command line too long\n");
        return 1;
    }
#else
    shmemgen_wchar *text = shmemgen_utf16_from_utf8(argc > 2 ? argv[2] : shmemgen_default_text);
    const char *line = argc > 1 ? argv[1] : NULL;
    if (text == NULL) {
        fprintf(stderr, "parent: out of memory\n");
        return 1;
    }
#endif

    printf("Process is writing to shared memory...\n");
    /* The child writes to the same output: ours must be out first. */
    fflush(stdout);
    if (!shmemgen_lib.set((shmemgen_wchar *)text)) {
        unsigned long failed = (unsigned long)shmemgen_lib.status();
        fprintf(stderr, "parent: " SHMEMGEN_SET_NAME " failed: %s (status 0x%08lx)\n", shmemgen_status_text(failed), failed);
        return 1;
    }
    if (shmemgen_lib.status() == SHMEMGEN_STATUS_TRUNCATED)
        fprintf(stderr, "parent: the text was cut to fit the mapping's %llu characters\n",
                SHMEMGEN_CAPACITY - 1);

#ifdef _WIN32
    int status = shmemgen_run_child(line);
#else
    int status = shmemgen_run_child(line, NULL);
#endif
    return status < 0 ? 1 : status;
}
