/*
 * child reads the string its parent wrote into shared memory through the
 * library and prints it. It loads the library beside itself by full path
 * (load.h), on Windows and on Linux.
 *
 * Usage: child [--next | --record | --unlink]
 *
 * With --next it first waits, up to a minute, for the next write, and
 * prints what that wrote. --record prints the typed record instead, as one
 * line of JSON (record_json.h). --unlink does what parent --unlink does
 * (load.h).
 */
/* Only the core of windows.h, which is most of this program's compile time:
 * it needs no GDI, RPC, OLE or shell. */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include "load.h"

#ifdef _WIN32
/* shmemgen_print_line writes prefix and text and a newline to standard output:
 * through WriteConsoleW on a console, so that every character shows, and
 * as UTF-8 otherwise (pipes and files). */
static int shmemgen_print_line(const WCHAR *prefix, const WCHAR *text)
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
#else
/* shmemgen_print_line writes prefix, then text as UTF-8 (an unpaired surrogate as
 * U+FFFD), then a newline, to standard output. */
static int shmemgen_print_line(const char *prefix, const shmemgen_wchar *text)
{
    fputs(prefix, stdout);
    for (size_t i = 0; text[i] != 0; i++) {
        unsigned long c = text[i];
        if (c >= 0xd800 && c < 0xdc00 && text[i + 1] >= 0xdc00 && text[i + 1] < 0xe000)
            c = 0x10000 + ((c - 0xd800) << 10) + (text[++i] - 0xdc00);
        else if (c >= 0xd800 && c < 0xe000)
            c = 0xfffd;
        if (c < 0x80) {
            putchar((int)c);
        } else if (c < 0x800) {
            putchar((int)(0xc0 | c >> 6));
            putchar((int)(0x80 | (c & 0x3f)));
        } else if (c < 0x10000) {
            putchar((int)(0xe0 | c >> 12));
            putchar((int)(0x80 | (c >> 6 & 0x3f)));
            putchar((int)(0x80 | (c & 0x3f)));
        } else {
            putchar((int)(0xf0 | c >> 18));
            putchar((int)(0x80 | (c >> 12 & 0x3f)));
            putchar((int)(0x80 | (c >> 6 & 0x3f)));
            putchar((int)(0x80 | (c & 0x3f)));
        }
    }
    putchar('\n');
    return fflush(stdout) == 0 && !ferror(stdout);
}
#endif

#ifdef _WIN32
int wmain(int argc, wchar_t **argv)
#define SHMEMGEN_TEXT(s) L##s
#define SHMEMGEN_ARG_IS(arg, s) (wcscmp(arg, L##s) == 0)
#else
int main(int argc, char **argv)
#define SHMEMGEN_TEXT(s) s
#define SHMEMGEN_ARG_IS(arg, s) (strcmp(arg, s) == 0)
#endif
{
    if (argc == 2 && SHMEMGEN_ARG_IS(argv[1], "--unlink"))
        return shmemgen_unlink_main("child");
    int record = argc == 2 && SHMEMGEN_ARG_IS(argv[1], "--record");
    if (argc > 2 || (argc == 2 && !record && !SHMEMGEN_ARG_IS(argv[1], "--next"))) {
        fprintf(stderr, "usage: child [--next | --record | --unlink]\n");
        return 2;
    }
    if (!shmemgen_load("child"))
        return 1;
    if (record)
        return shmemgen_record_print_json("child") ? 0 : 1;
    if (argc == 2) {
        /* 0 returns the current generation at once; the next call waits
         * for it to change. */
        shmemgen_ulonglong generation = 0;
        if (!shmemgen_lib.wait(&generation, 0) || !shmemgen_lib.wait(&generation, 60000)) {
            unsigned long failed = (unsigned long)shmemgen_lib.status();
            fprintf(stderr, "child: " SHMEMGEN_WAIT_NAME " failed: %s (status 0x%08lx)\n", shmemgen_status_text(failed), failed);
            return 1;
        }
    }
    shmemgen_wchar *text = malloc(SHMEMGEN_CHILD_CHARS * sizeof *text);
    if (text == NULL) {
        fprintf(stderr, "child: out of memory\n");
        return 1;
    }
    if (!shmemgen_lib.get(text, SHMEMGEN_CHILD_CHARS)) {
        unsigned long failed = (unsigned long)shmemgen_lib.status();
        fprintf(stderr, "child: " SHMEMGEN_GET_NAME " failed: %s (status 0x%08lx)\n", shmemgen_status_text(failed), failed);
        free(text);
        return 1;
    }
    int ok = shmemgen_print_line(SHMEMGEN_TEXT("Child process read from shared memory: "), text);
    free(text);
    return ok ? 0 : 1;
}
