/*
 * ipc times what a Linux user would use instead of shared memory to hand a
 * string to another process: a pipe, or a Unix-domain socket, each way.
 *
 *   ipc pipe N LEN     the mean round trip of a LEN-character UTF-16
 *                      message to a child process and back through two
 *                      pipes, in nanoseconds, as pair_ns
 *   ipc socket N LEN   the same through a socketpair(AF_UNIX, SOCK_STREAM)
 *
 * The round trip is the counterpart of the benchmark's set+get pair: one
 * process hands the message over and the other has it, and here the
 * message comes back as well.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <uchar.h>
#include <unistd.h>

static char16_t msg[4096], back[4096];

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* full moves exactly n bytes, as read or write may move fewer. */
static int full(int fd, void *buf, size_t n, int out)
{
    char *p = buf;
    while (n > 0) {
        ssize_t r = out ? write(fd, p, n) : read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[1], "pipe") != 0 && strcmp(argv[1], "socket") != 0)) {
        fprintf(stderr, "usage: ipc pipe|socket N LEN\n");
        return 2;
    }
    long n = strtol(argv[2], NULL, 10), len = strtol(argv[3], NULL, 10);
    if (n <= 0 || len <= 0 || len >= (long)(sizeof msg / sizeof msg[0])) {
        fprintf(stderr, "ipc: bad N or LEN\n");
        return 2;
    }
    size_t bytes = (size_t)len * sizeof msg[0];
    for (long i = 0; i < len; i++)
        msg[i] = u'x';
    /* to[0] is read by the child, from[1] written by it. */
    int to[2], from[2];
    if (strcmp(argv[1], "pipe") == 0) {
        if (pipe(to) != 0 || pipe(from) != 0) {
            perror("ipc: pipe");
            return 1;
        }
    } else {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
            perror("ipc: socketpair");
            return 1;
        }
        to[0] = from[1] = sv[1];
        to[1] = from[0] = sv[0];
    }
    pid_t child = fork();
    if (child < 0) {
        perror("ipc: fork");
        return 1;
    }
    if (child == 0) {
        static char16_t buf[4096];
        for (long i = 0; i < n + 1; i++)
            if (full(to[0], buf, bytes, 0) != 0 || full(from[1], buf, bytes, 1) != 0)
                _exit(1);
        _exit(0);
    }
    /* One round trip outside the timing: the child has started. */
    if (full(to[1], msg, bytes, 1) != 0 || full(from[0], back, bytes, 0) != 0) {
        fprintf(stderr, "ipc: the first round trip failed\n");
        return 1;
    }
    double start = now_us();
    for (long i = 0; i < n; i++) {
        if (full(to[1], msg, bytes, 1) != 0 || full(from[0], back, bytes, 0) != 0) {
            fprintf(stderr, "ipc: round trip %ld failed\n", i);
            return 1;
        }
    }
    double elapsed = now_us() - start;
    int status;
    waitpid(child, &status, 0);
    if (memcmp(msg, back, bytes) != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "ipc: the message came back changed, or the child failed\n");
        return 1;
    }
    printf("pair_ns=%.0f\n", elapsed * 1000 / (double)n);
    return 0;
}
