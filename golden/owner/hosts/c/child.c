/*
 * child reads the string its parent wrote into shared memory through
 * shmem.dll and prints it.
 *
 * Usage: child.exe [--next]
 *
 * With --next it first waits, up to a minute, for the next write, and
 * prints what that wrote.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "shmem.h"

/* CHILD_CHARS is the read buffer in characters: the whole mapping, or
 * 1 MiB of it for larger ones. */
#define CHILD_CHARS 2048

/* print_line writes prefix and text and a newline to standard output:
 * through WriteConsoleW on a console, so that every character shows, and
 * as UTF-8 otherwise (pipes and files). */
static int print_line(const WCHAR *prefix, const WCHAR *text)
{
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD mode;
    if (GetConsoleMode(out, &mode)) {
        DWORD written;
        return WriteConsoleW(out, prefix, (DWORD)wcslen(prefix), &written, NULL) &&
               WriteConsoleW(out, text, (DWORD)wcslen(text), &written, NULL) &&
               WriteConsoleW(out, L"\n", 1, &written, NULL);
    }
    const WCHAR *parts[] = {prefix, text};
    for (int i = 0; i < 2; i++) {
        int n = WideCharToMultiByte(CP_UTF8, 0, parts[i], -1, NULL, 0, NULL, NULL);
        char *utf8 = malloc(n > 0 ? (size_t)n : 1);
        if (n <= 0 || utf8 == NULL || !WideCharToMultiByte(CP_UTF8, 0, parts[i], -1, utf8, n, NULL, NULL)) {
            free(utf8);
            return 0;
        }
        fputs(utf8, stdout);
        free(utf8);
    }
    fputs("\n", stdout);
    return fflush(stdout) == 0;
}

int wmain(int argc, wchar_t **argv)
{
    if (argc > 2 || (argc == 2 && wcscmp(argv[1], L"--next") != 0)) {
        fprintf(stderr, "usage: child.exe [--next]\n");
        return 2;
    }
    if (argc == 2) {
        /* 0 returns the current generation at once; the next call waits
         * for it to change. */
        ULONGLONG generation = 0;
        if (!WaitSharedMem(&generation, 0) || !WaitSharedMem(&generation, 60000)) {
            fprintf(stderr, "child: WaitSharedMem failed (status 0x%08lx)\n", SharedMemLastError());
            return 1;
        }
    }
    WCHAR *text = malloc(CHILD_CHARS * sizeof(WCHAR));
    if (text == NULL) {
        fprintf(stderr, "child: out of memory\n");
        return 1;
    }
    if (!GetSharedMem(text, CHILD_CHARS)) {
        fprintf(stderr, "child: GetSharedMem failed (status 0x%08lx)\n", SharedMemLastError());
        free(text);
        return 1;
    }
    int ok = print_line(L"Child process read from shared memory: ", text);
    free(text);
    return ok ? 0 : 1;
}
