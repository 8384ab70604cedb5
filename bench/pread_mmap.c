/*
 * pread_mmap.c - what one random 4 KiB read costs, through pread(2) and
 * through a mapping (chapter 7's question: why LevelDB's gets, which read
 * mapped tables, spend less per block than stage 6's, which pread).
 *
 *     cc -O2 -o pread_mmap bench/pread_mmap.c && ./pread_mmap FILE
 *
 * FILE should be in the page cache (read it once first, e.g. with cat), and
 * at least a few MB: the tables of a store, concatenated, say. Prints the
 * mean time per read over 200,000 reads at random 4 KiB-aligned offsets:
 * pread into one buffer; the same offsets' first and middle bytes through
 * a mapping, twice (the first pass takes the page faults); and a malloc,
 * a 4 KiB copy out of the mapping and a free, as a get that copies a
 * block would.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define READS 200000
#define BLOCK 4096

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The next random block offset in a file of n blocks. */
static size_t next_offset(uint64_t *x, size_t n) {
    *x = *x * 6364136223846793005ull + 1442695040888963407ull;
    return (size_t)((*x >> 20) % n) * BLOCK;
}

int main(int argc, char **argv) {
    struct stat st;
    int fd = argc == 2 ? open(argv[1], O_RDONLY) : -1;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < 16 * BLOCK) {
        fprintf(stderr, "usage: pread_mmap FILE (a file of 64 KiB or more)\n");
        return 2;
    }
    size_t n = (size_t)st.st_size / BLOCK;
    char *buf = malloc(BLOCK);
    char *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (buf == NULL || map == MAP_FAILED) {
        perror("pread_mmap");
        return 1;
    }
    uint64_t x = 1, sum = 0;
    double t[5];
    t[0] = now();
    for (int i = 0; i < READS; i++) {
        if (pread(fd, buf, BLOCK, (off_t)next_offset(&x, n)) != BLOCK) return 1;
        sum += (unsigned char)buf[7];
    }
    t[1] = now();
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < READS; i++) {
            size_t o = next_offset(&x, n);
            sum += (unsigned char)map[o + 7] + (unsigned char)map[o + 2000];
        }
        t[2 + pass] = now();
    }
    for (int i = 0; i < READS; i++) {
        char *copy = malloc(BLOCK);
        memcpy(copy, map + next_offset(&x, n), BLOCK);
        sum += (unsigned char)copy[7];
        free(copy);
    }
    t[4] = now();
    printf("per 4 KiB read: pread %.3f us; mapped %.3f us (first pass), "
           "%.3f us (second); malloc + copy + free %.3f us   (%llu)\n",
           (t[1] - t[0]) / READS * 1e6, (t[2] - t[1]) / READS * 1e6,
           (t[3] - t[2]) / READS * 1e6, (t[4] - t[3]) / READS * 1e6,
           (unsigned long long)sum);
    return 0;
}
