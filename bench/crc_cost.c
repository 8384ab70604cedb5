/*
 * crc_cost.c - what checking one 4 KiB block costs: CRC-32C by
 * common/crc32c.c's tables (crc32c_portable_extend, the definition) and by
 * crc32c_extend, which uses the processor's crc32 instruction where it has
 * one (chapter 7's "the crc in hardware").
 *
 *     cc -O2 -Icommon -o crc_cost bench/crc_cost.c common/crc32c.c
 *     ./crc_cost [N]
 *
 * Times N checks (default 200,000) of one 4 KiB block of pseudo-random
 * bytes each way, the two taking turns in four passes, and prints the
 * mean time per block of each (the two must give the same CRC, or this
 * exits 1). crc32c_extend takes the hardware path where the processor
 * has SSE4.2 (common/crc32c.c), else it is the tables too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crc32c.h"

#define BLOCK 4096
#define PASSES 4

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

typedef uint32_t (*crc_fn)(uint32_t, const void *, size_t);

/* Seconds for n CRCs of block by f; *sum keeps the compiler from
 * dropping the work. */
static double run(crc_fn f, const unsigned char *block, long n,
                  uint32_t *sum) {
    double start = now();
    for (long i = 0; i < n; i++) *sum += f((uint32_t)i, block, BLOCK);
    return now() - start;
}

int main(int argc, char **argv) {
    if (argc > 2 || (argc == 2 && (strcmp(argv[1], "--help") == 0 ||
                                   strcmp(argv[1], "-h") == 0))) {
        fprintf(argc == 2 ? stdout : stderr,
                "usage: crc_cost [N]: N CRC-32C checks of a 4 KiB block "
                "(default 200000), by the tables and by crc32c_extend\n");
        return argc == 2 ? 0 : 2;
    }
    long n = 200000;
    if (argc == 2) {
        char *end;
        n = strtol(argv[1], &end, 10);
        if (*end != '\0' || n < 1) {
            fprintf(stderr, "crc_cost: N must be a positive count, not "
                            "'%s'\n", argv[1]);
            return 2;
        }
    }
    static unsigned char block[BLOCK];
    uint64_t x = 301;
    for (int i = 0; i < BLOCK; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        block[i] = (unsigned char)(x >> 56);
    }
    if (crc32c_extend(0, block, BLOCK) !=
        crc32c_portable_extend(0, block, BLOCK)) {
        fprintf(stderr, "crc_cost: the two CRCs differ\n");
        return 1;
    }
    double tables = 0, fast = 0;
    uint32_t sum = 0;
    for (int p = 0; p < PASSES; p++) {
        tables += run(crc32c_portable_extend, block, n / PASSES + 1, &sum);
        fast += run(crc32c_extend, block, n / PASSES + 1, &sum);
    }
    long done = (n / PASSES + 1) * PASSES;
    printf("per 4 KiB block: tables %.3f us, crc32c_extend %.3f us "
           "(%ld blocks each; sum %u)\n",
           tables * 1e6 / (double)done, fast * 1e6 / (double)done, done,
           (unsigned)sum);
    return 0;
}
