/*
 * test_block.c - unit tests for blocks (block.h): the round trip, seeks at
 * and around restart points, the smallest blocks, and corruption: every
 * flipped byte is caught, and a block whose crc was forged to match still
 * never makes the iterator read out of bounds.
 */
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "coding.h"
#include "crc32c.h"
#include "testing.h"

/* Key i: "key%05d" (so neighbours share a long prefix). */
static kv_slice key_of(int i, char *buf) {
    snprintf(buf, 16, "key%05d", i);
    return kv_str(buf);
}

/* Value i: i % 23 copies of 'a' + i % 26, so sizes vary and 0 occurs. */
static kv_slice value_of(int i, char *buf) {
    int n = i % 23;
    memset(buf, 'a' + i % 26, (size_t)n);
    return (kv_slice){buf, (size_t)n};
}

/* Builds a block of n entries into a fresh xmalloc'd copy in *data. */
static size_t build(int n, char **data) {
    block_builder bb;
    block_builder_init(&bb);
    char k[16], v[32];
    for (int i = 0; i < n; i++)
        block_builder_add(&bb, key_of(i, k), value_of(i, v));
    size_t predicted = block_builder_size(&bb);
    kv_slice blk = block_builder_finish(&bb);
    *data = xmalloc(blk.size);
    memcpy(*data, blk.data, blk.size);
    size_t size = blk.size;
    block_builder_free(&bb);
    return predicted == size ? size : 0;
}

static int same(kv_slice a, kv_slice b) { return kv_compare(a, b) == 0; }

/* 1 when the iterator, just positioned, stands on entry i. */
static int at_entry(iter *it, int i) {
    char k[16], v[32];
    return iter_valid(it) && same(iter_key(it), key_of(i, k)) &&
           same(iter_value(it), value_of(i, v)) && iter_kind(it) == ENTRY_PUT;
}

/* 1 when walking b gives back exactly entries 0 .. n-1 and no error. */
static int all_right(const block *b, int n) {
    iter *it = block_iter_new(b);
    int i = 0;
    for (iter_seek(it, kv_str("")); iter_valid(it); iter_next(it), i++)
        if (i >= n || !at_entry(it, i)) break;
    int ok = i == n && !iter_valid(it) && iter_status(it).code == KV_OK;
    iter_free(it);
    return ok;
}

static void test_round_trip(void) {
    char *data;
    size_t size = build(100, &data);
    CHECK(size > 0);
    block b;
    CHECK_OK(block_parse(&b, data, size, "t.sst", 0));
    CHECK(b.nrestarts == 7); /* entries 0, 16, 32, ..., 96 */
    CHECK(block_count(&b) == 100);
    iter *it = block_iter_new(&b);
    int i = 0;
    for (iter_seek(it, kv_str("")); iter_valid(it); iter_next(it), i++)
        CHECKF(at_entry(it, i), "entry %d wrong", i);
    CHECK(i == 100);
    CHECK_OK(iter_status(it));
    iter_free(it);
    CHECK(all_right(&b, 100));
    block_free(&b);
}

static void test_prefix_compression(void) {
    char *data;
    size_t size = build(64, &data);
    /* Raw, the keys alone take 64 * 8 bytes; compressed, most entries
     * store 1 key byte and 3 header bytes plus the value. */
    size_t values = 0;
    for (int i = 0; i < 64; i++) values += (size_t)(i % 23);
    CHECK(size < values + 64 * 8);
    free(data);
}

static void test_seek_restart_boundaries(void) {
    char *data;
    size_t size = build(100, &data);
    block b;
    CHECK_OK(block_parse(&b, data, size, "t.sst", 0));
    iter *it = block_iter_new(&b);
    static const int at[] = {0,  1,  14, 15, 16, 17, 31, 32,
                             33, 47, 48, 63, 64, 95, 96, 99};
    char k[32];
    for (size_t j = 0; j < sizeof at / sizeof at[0]; j++) {
        int i = at[j];
        iter_seek(it, key_of(i, k)); /* exactly at the key */
        CHECKF(at_entry(it, i), "seek to key %d", i);
        strcat(k, "!"); /* between key i and key i + 1 */
        iter_seek(it, kv_str(k));
        if (i == 99)
            CHECK(!iter_valid(it));
        else
            CHECKF(at_entry(it, i + 1), "seek past key %d", i);
    }
    iter_seek(it, kv_str("a")); /* before the first key */
    CHECK(at_entry(it, 0));
    iter_seek(it, kv_str("key")); /* a prefix of every key */
    CHECK(at_entry(it, 0));
    iter_seek(it, kv_str("z")); /* after the last */
    CHECK(!iter_valid(it));
    CHECK_OK(iter_status(it));
    iter_free(it);
    block_free(&b);
}

static void test_single_entry(void) {
    char *data;
    size_t size = build(1, &data);
    block b;
    CHECK_OK(block_parse(&b, data, size, "t.sst", 0));
    CHECK(b.nrestarts == 1 && block_count(&b) == 1);
    iter *it = block_iter_new(&b);
    char k[16];
    iter_seek(it, kv_str("a"));
    CHECK(at_entry(it, 0));
    iter_next(it);
    CHECK(!iter_valid(it));
    iter_seek(it, key_of(0, k));
    CHECK(at_entry(it, 0));
    iter_seek(it, key_of(1, k));
    CHECK(!iter_valid(it));
    CHECK_OK(iter_status(it));
    iter_free(it);
    block_free(&b);
}

static void test_empty_block(void) {
    char *data;
    size_t size = build(0, &data);
    CHECK(size == 8); /* num_restarts = 0 and the crc */
    block b;
    CHECK_OK(block_parse(&b, data, size, "t.sst", 0));
    CHECK(block_count(&b) == 0);
    iter *it = block_iter_new(&b);
    iter_seek(it, kv_str(""));
    CHECK(!iter_valid(it));
    CHECK_OK(iter_status(it));
    iter_free(it);
    block_free(&b);
}

/* Parses a copy of data[0..size); with fix_crc the crc is recomputed. */
static kv_status parse_copy(const char *data, size_t size, int fix_crc,
                            block *b) {
    char *copy = xmalloc(size);
    memcpy(copy, data, size);
    if (fix_crc && size >= 4)
        encode_fixed32(copy + size - 4, crc32c_mask(crc32c(copy, size - 4)));
    return block_parse(b, copy, size, "t.sst", 4096);
}

static void test_flip_every_byte(void) {
    char *data;
    size_t size = build(40, &data);
    static const unsigned char masks[] = {0x01, 0x80, 0xff};
    for (size_t off = 0; off < size; off++) {
        for (size_t m = 0; m < sizeof masks; m++) {
            data[off] ^= (char)masks[m];
            block b;
            kv_status s = parse_copy(data, size, 0, &b);
            data[off] ^= (char)masks[m];
            if (s.code == KV_OK) {
                /* Undetected: then every entry must read back right. */
                int ok = all_right(&b, 40);
                block_free(&b);
                CHECKF(ok, "offset %zu: undetected and wrong", off);
                continue;
            }
            CHECKF(s.code == KV_CORRUPTION, "offset %zu: %s", off, s.msg);
            CHECKF(strstr(s.msg, "t.sst: block at offset 4096: "), "%s", s.msg);
        }
    }
    free(data);
}

/* Walks b from the start and seeks a few keys; must end in bounds. */
static int walk_bounded(const block *b) {
    iter *it = block_iter_new(b);
    size_t n = 0;
    for (iter_seek(it, kv_str("")); iter_valid(it); iter_next(it)) n++;
    kv_code c = iter_status(it).code;
    char k[16];
    for (int i = 0; i < 40; i += 7) iter_seek(it, key_of(i, k));
    iter_free(it);
    return n <= b->size && (c == KV_OK || c == KV_CORRUPTION);
}

static void test_forged_crc(void) {
    /* A flip whose crc is recomputed gets past the checksum: the restart
     * checks and the entry bounds checks are all that stand. ASan watches. */
    char *data;
    size_t size = build(40, &data);
    int rejected = 0, walked = 0;
    for (size_t off = 0; off + 4 < size; off++) {
        for (int mask = 1; mask < 256; mask <<= 1) {
            data[off] ^= (char)mask;
            block b;
            kv_status s = parse_copy(data, size, 1, &b);
            data[off] ^= (char)mask;
            if (s.code != KV_OK) {
                CHECKF(s.code == KV_CORRUPTION, "%s", s.msg);
                rejected++;
                continue;
            }
            CHECKF(walk_bounded(&b), "offset %zu mask %d", off, mask);
            block_free(&b);
            walked++;
        }
    }
    CHECK(rejected > 0 && walked > 0);
    free(data);
}

static void test_bad_restarts(void) {
    char *data;
    size_t size = build(40, &data); /* restarts at 0, 16, 32 */
    block b;
    kv_status s;
    encode_fixed32(data + size - 8, 1000000); /* num_restarts too big */
    s = parse_copy(data, size, 1, &b);
    CHECK(s.code == KV_CORRUPTION && strstr(s.msg, "bad restart count"));
    encode_fixed32(data + size - 8, 3);
    encode_fixed32(data + size - 12, (uint32_t)size); /* past the entries */
    s = parse_copy(data, size, 1, &b);
    CHECK(s.code == KV_CORRUPTION && strstr(s.msg, "bad restart offset"));
    encode_fixed32(data + size - 12, 0); /* not increasing */
    s = parse_copy(data, size, 1, &b);
    CHECK(s.code == KV_CORRUPTION && strstr(s.msg, "bad restart offset"));
    s = parse_copy(data, 5, 0, &b);
    CHECK(s.code == KV_CORRUPTION && strstr(s.msg, "too short"));
    free(data);
}

static void test_bad_entry(void) {
    char *data;
    size_t size = build(3, &data);
    /* Entry 0's unshared length (its second byte) made huge, crc forged:
     * the restart array is fine, the walk must stop at the entry. */
    data[1] = (char)0x7f;
    block b;
    CHECK_OK(parse_copy(data, size, 1, &b));
    iter *it = block_iter_new(&b);
    iter_seek(it, kv_str(""));
    CHECK(!iter_valid(it));
    kv_status s = iter_status(it);
    CHECK(s.code == KV_CORRUPTION &&
          strstr(s.msg, "t.sst: block at offset 4096: bad entry"));
    iter_free(it);
    block_free(&b);
    free(data);
}

TEST_TABLE(block, TEST(test_round_trip), TEST(test_prefix_compression),
           TEST(test_seek_restart_boundaries), TEST(test_single_entry),
           TEST(test_empty_block), TEST(test_flip_every_byte),
           TEST(test_forged_crc), TEST(test_bad_restarts), TEST(test_bad_entry))
