/*
 * write_append.c - what one bare write(2) of a log record costs (chapter
 * 4's question: how much of stage 4's extra cost per put is the log's one
 * system call).
 *
 *     cc -O2 -o write_append bench/write_append.c && ./write_append FILE [N]
 *
 * Opens FILE with O_WRONLY | O_CREAT | O_APPEND (created if missing, else
 * appended to: remove it afterwards) and times N write(2) calls (default
 * 1,000,000) of one 133-byte record each, no sync, then prints the mean
 * time per call. 133 bytes is the size of one of the benchmark's log
 * records: a put's record is a 17-byte header (docs/format-wal.md) and
 * the key and value, 16 and 100 bytes in db_bench's workloads. A million
 * records make a file of 133 MB, in the page cache until the kernel
 * writes it back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RECORD 133

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int usage(FILE *to, int code) {
    fprintf(to, "usage: write_append FILE [N]: N write(2) calls of a "
                "%d-byte record (default 1000000)\n", RECORD);
    return code;
}

int main(int argc, char **argv) {
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
                      strcmp(argv[1], "-h") == 0))
        return usage(stdout, 0);
    if (argc < 2 || argc > 3) return usage(stderr, 2);
    long n = 1000000;
    if (argc == 3) {
        char *end;
        errno = 0;
        n = strtol(argv[2], &end, 10);
        if (errno != 0 || *end != '\0' || n < 1) {
            fprintf(stderr, "write_append: N must be a positive count, "
                            "not '%s'\n", argv[2]);
            return 2;
        }
    }
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) {
        fprintf(stderr, "write_append: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    char record[RECORD];
    for (int i = 0; i < RECORD; i++) record[i] = (char)('a' + i % 26);
    double t0 = now();
    for (long i = 0; i < n; i++) {
        ssize_t w = write(fd, record, RECORD);
        if (w != RECORD) {
            fprintf(stderr, "write_append: %s: write %ld of %ld: %s\n",
                    argv[1], i + 1, n,
                    w < 0 ? strerror(errno) : "a short write");
            return 1;
        }
    }
    double t1 = now();
    if (close(fd) != 0) {
        fprintf(stderr, "write_append: %s: close: %s\n", argv[1],
                strerror(errno));
        return 1;
    }
    printf("per %d-byte write(2), O_APPEND, no sync: %.3f us   "
           "(%ld writes)\n", RECORD, (t1 - t0) / (double)n * 1e6, n);
    return 0;
}
