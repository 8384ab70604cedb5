/*
 * test_coding.c - fixed-width integers and varints: exact bytes, round
 * trips at the boundaries, and refusal of truncated and over-long varints.
 */
#include <stdint.h>

#include "coding.h"
#include "testing.h"

static void test_fixed_little_endian(void) {
    char b[8];
    encode_fixed32(b, 0x04030201u);
    CHECK(memcmp(b, "\x01\x02\x03\x04", 4) == 0);
    encode_fixed64(b, 0x0807060504030201ull);
    CHECK(memcmp(b, "\x01\x02\x03\x04\x05\x06\x07\x08", 8) == 0);
    CHECK(decode_fixed32("\xff\x00\x00\x80") == 0x800000ffu);
    CHECK(decode_fixed64("\x01\x00\x00\x00\x00\x00\x00\xff") ==
          0xff00000000000001ull);
}

static void test_fixed_roundtrip(void) {
    static const uint64_t vals[] = {0,
                                    1,
                                    127,
                                    128,
                                    255,
                                    256,
                                    0xffffffffull,
                                    0x100000000ull,
                                    UINT64_MAX - 1,
                                    UINT64_MAX};
    char b[9]; /* one spare byte, read at offset 1 to test alignment */
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        encode_fixed64(b + 1, vals[i]);
        CHECKF(decode_fixed64(b + 1) == vals[i], "fixed64 %zu", i);
        encode_fixed32(b + 1, (uint32_t)vals[i]);
        CHECKF(decode_fixed32(b + 1) == (uint32_t)vals[i], "fixed32 %zu", i);
    }
}

static void test_varint_exact_bytes(void) {
    char b[VARINT64_MAX_BYTES];
    CHECK(encode_varint64(b, 0) == 1 && b[0] == 0);
    CHECK(encode_varint64(b, 127) == 1 && b[0] == 0x7f);
    CHECK(encode_varint64(b, 128) == 2 && memcmp(b, "\x80\x01", 2) == 0);
    CHECK(encode_varint64(b, 300) == 2 && memcmp(b, "\xac\x02", 2) == 0);
    CHECK(encode_varint32(b, UINT32_MAX) == 5 &&
          memcmp(b, "\xff\xff\xff\xff\x0f", 5) == 0);
    CHECK(encode_varint64(b, UINT64_MAX) == 10 &&
          memcmp(b, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10) == 0);
}

static void test_varint_roundtrip(void) {
    static const uint64_t vals[] = {0,
                                    1,
                                    127,
                                    128,
                                    16383,
                                    16384,
                                    0xffffffffull,
                                    0x100000000ull,
                                    (1ull << 63) - 1,
                                    1ull << 63,
                                    UINT64_MAX};
    char b[VARINT64_MAX_BYTES + 1];
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        size_t n = encode_varint64(b, vals[i]);
        CHECKF(n == varint_length(vals[i]), "length of %zu", i);
        uint64_t v = 0;
        const char *end = decode_varint64(b, b + n, &v);
        CHECKF(end == b + n && v == vals[i], "varint64 value %zu", i);
        if (vals[i] <= UINT32_MAX) {
            uint32_t w = 0;
            CHECK(encode_varint32(b, (uint32_t)vals[i]) == n);
            CHECKF(decode_varint32(b, b + n, &w) == b + n && w == vals[i],
                   "varint32 value %zu", i);
        }
    }
}

static void test_varint_sequence(void) {
    /* Several varints back to back decode in order and end exactly. */
    char b[64];
    size_t n = 0;
    for (uint64_t v = 1; v != 0 && n + VARINT64_MAX_BYTES <= sizeof b; v <<= 9)
        n += encode_varint64(b + n, v);
    const char *p = b;
    for (uint64_t v = 1; p < b + n; v <<= 9) {
        uint64_t got;
        p = decode_varint64(p, b + n, &got);
        CHECK(p != NULL);
        CHECK(got == v);
    }
    CHECK(p == b + n);
}

static void test_varint_truncated(void) {
    char b[VARINT64_MAX_BYTES];
    uint64_t v;
    uint32_t w;
    size_t n = encode_varint64(b, UINT64_MAX);
    for (size_t cut = 0; cut < n; cut++)
        CHECKF(decode_varint64(b, b + cut, &v) == NULL, "cut at %zu", cut);
    n = encode_varint32(b, 1u << 28);
    for (size_t cut = 0; cut < n; cut++)
        CHECKF(decode_varint32(b, b + cut, &w) == NULL, "cut32 at %zu", cut);
}

static void test_varint_overlong(void) {
    uint64_t v;
    uint32_t w;
    /* Eleven bytes with continuation bits: longer than any uint64. */
    const char *b = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01";
    CHECK(decode_varint64(b, b + 11, &v) == NULL);
    /* Its last ten bytes are UINT64_MAX; a tenth byte above 1 is too big. */
    CHECK(decode_varint64(b + 1, b + 11, &v) == b + 11 && v == UINT64_MAX);
    const char *c = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02";
    CHECK(decode_varint64(c, c + 10, &v) == NULL);
    /* uint32: six bytes, or a fifth byte above 0x0f. */
    const char *d = "\x80\x80\x80\x80\x80\x00";
    CHECK(decode_varint32(d, d + 6, &w) == NULL);
    const char *e = "\xff\xff\xff\xff\x1f";
    CHECK(decode_varint32(e, e + 5, &w) == NULL);
    /* The same bytes are a fine uint64, and 2^32-1 a fine uint32. */
    CHECK(decode_varint64(e, e + 5, &v) == e + 5 && v == 0x1ffffffffull);
    const char *f = "\xff\xff\xff\xff\x0f";
    CHECK(decode_varint32(f, f + 5, &w) == f + 5 && w == UINT32_MAX);
}

TEST_TABLE(coding, TEST(test_fixed_little_endian), TEST(test_fixed_roundtrip),
           TEST(test_varint_exact_bytes), TEST(test_varint_roundtrip),
           TEST(test_varint_sequence), TEST(test_varint_truncated),
           TEST(test_varint_overlong))
