/*
 * fp_rate.c - measures the bloom filter's false-positive rate against the
 * theory, for 1 to 20 bits per key: the data of the chart "bloom
 * false-positive rate against bits per key, measured and theory".
 *
 *     fp_rate [--keys=N]
 *
 * For each bits_per_key it builds a filter of N keys ("%016d" of 0 .. N-1,
 * the benchmark's key format), asks it about N keys that are not there
 * (N .. 2N-1), and prints one line, columns separated by spaces, after a
 * header line:
 *
 *     bits_per_key k measured theory
 *     10 7 0.008330 0.008194
 *
 * measured is the fraction of absent keys the filter let through; theory
 * is (1 - e^(-k/b))^k. Exit status 0, or 2 for a bad command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bloom.h"

#define KEY_LEN 16

static void usage(FILE *out) {
    fprintf(out, "usage: fp_rate [--keys=N]\n"
                 "  For bits_per_key 1 to 20, builds a bloom filter of N "
                 "keys (default 100000),\n"
                 "  probes it with N absent keys, and prints\n"
                 "  \"bits_per_key k measured theory\" per line.\n");
}

/* Parses "--keys=N" into *n: 1 on success, 0 if the number is bad. */
static int parse_keys(const char *arg, size_t *n) {
    char *end;
    const char *v = arg + strlen("--keys=");
    if (*v < '0' || *v > '9') return 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (*end != '\0' || x < 1 || x > 100000000ull) return 0;
    *n = (size_t)x;
    return 1;
}

/* n keys "%016llu" of first, first+1, ...; the caller frees *text and the
 * array. */
static kv_slice *make_keys(unsigned long long first, size_t n, char **text) {
    *text = xmalloc(n * KEY_LEN + 1);
    kv_slice *keys = xmalloc(n * sizeof *keys);
    for (size_t i = 0; i < n; i++) {
        char *p = *text + i * KEY_LEN;
        snprintf(p, KEY_LEN + 1, "%016llu", first + i);
        keys[i] = (kv_slice){p, KEY_LEN};
    }
    return keys;
}

int main(int argc, char **argv) {
    size_t n = 100000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strncmp(argv[i], "--keys=", 7) != 0 || !parse_keys(argv[i], &n)) {
            fprintf(stderr, "fp_rate: bad argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }

    char *text, *absent_text;
    kv_slice *keys = make_keys(0, n, &text);
    kv_slice *absent = make_keys(n, n, &absent_text);
    printf("bits_per_key k measured theory\n");
    for (int b = 1; b <= 20; b++) {
        kv_buf f = {0};
        bloom_build(&f, keys, n, b);
        kv_slice fs = {f.data, f.size};
        size_t hits = 0;
        for (size_t i = 0; i < n; i++) hits += bloom_may_contain(fs, absent[i]);
        int k = bloom_k(b);
        printf("%d %d %.6f %.6f\n", b, k, (double)hits / n, bloom_theory(b, k));
        fflush(stdout);
        kv_buf_free(&f);
    }
    free(keys);
    free(text);
    free(absent);
    free(absent_text);
    return 0;
}
