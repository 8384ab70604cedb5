/*
 * test_crc32c.c - CRC-32C against published values, extend == whole, the
 * mask round trip, and detection of single flipped bits.
 */
#include <stdint.h>

#include "crc32c.h"
#include "testing.h"

static void test_crc32c_check_value(void) {
    CHECK(crc32c("123456789", 9) == 0xe3069283u);
    CHECK(crc32c("", 0) == 0);
}

/* The test vectors of RFC 3720 (iSCSI), B.4, also in LevelDB's crc32c_test. */
static void test_crc32c_rfc3720(void) {
    char buf[32];
    memset(buf, 0, sizeof buf);
    CHECK(crc32c(buf, 32) == 0x8a9136aau);
    memset(buf, 0xff, sizeof buf);
    CHECK(crc32c(buf, 32) == 0x62a8ab43u);
    for (int i = 0; i < 32; i++) buf[i] = (char)i;
    CHECK(crc32c(buf, 32) == 0x46dd794eu);
    for (int i = 0; i < 32; i++) buf[i] = (char)(31 - i);
    CHECK(crc32c(buf, 32) == 0x113fdb5cu);
}

/* Splitting at every point, at every alignment, gives the same CRC. */
static void test_crc32c_extend(void) {
    char buf[80];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (char)(i * 37 + 11);
    for (size_t start = 0; start < 8; start++) {
        size_t n = sizeof buf - start;
        uint32_t whole = crc32c(buf + start, n);
        for (size_t cut = 0; cut <= n; cut++) {
            uint32_t a = crc32c(buf + start, cut);
            CHECKF(crc32c_extend(a, buf + start + cut, n - cut) == whole,
                   "start %zu cut %zu", start, cut);
        }
    }
}

/* The chosen path (hardware where there is one) agrees with the tables on
 * every length from 0 to 300, at every alignment, from any start value. */
static void test_crc32c_portable_agrees(void) {
    unsigned char buf[320];
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < sizeof buf; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        buf[i] = (unsigned char)(x >> 56);
    }
    for (size_t start = 0; start < 8; start++)
        for (size_t n = 0; n <= 300; n++) {
            uint32_t seed = (uint32_t)(n * 2654435761u);
            CHECKF(crc32c_extend(seed, buf + start, n) ==
                       crc32c_portable_extend(seed, buf + start, n),
                   "start %zu length %zu", start, n);
        }
    CHECK(crc32c_portable_extend(0, "123456789", 9) == 0xe3069283u);
}

static void test_crc32c_mask(void) {
    uint32_t crc = crc32c("foo", 3);
    CHECK(crc32c_mask(crc) != crc);
    CHECK(crc32c_mask(crc32c_mask(crc)) != crc);
    CHECK(crc32c_unmask(crc32c_mask(crc)) == crc);
    CHECK(crc32c_unmask(crc32c_unmask(crc32c_mask(crc32c_mask(crc)))) == crc);
    static const uint32_t vals[] = {0,           1,           0x7fffffffu,
                                    0x80000000u, 0xffffffffu, 0xa282ead8u};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        CHECKF(crc32c_unmask(crc32c_mask(vals[i])) == vals[i], "value %zu", i);
    /* LevelDB's definition, written out for one value. */
    CHECK(
        crc32c_mask(0x12345678u) ==
        (uint32_t)(((0x12345678u >> 15) | (0x12345678u << 17)) + 0xa282ead8u));
}

/* Every single-bit flip in a 64-byte record changes its CRC. */
static void test_crc32c_bit_flip(void) {
    unsigned char buf[64];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 101 + 7);
    uint32_t good = crc32c(buf, sizeof buf);
    for (size_t bit = 0; bit < 8 * sizeof buf; bit++) {
        buf[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        uint32_t bad = crc32c(buf, sizeof buf);
        buf[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        CHECKF(bad != good, "flip of bit %zu undetected", bit);
    }
    CHECK(crc32c(buf, sizeof buf) == good);
}

TEST_TABLE(crc32c, TEST(test_crc32c_check_value), TEST(test_crc32c_rfc3720),
           TEST(test_crc32c_extend), TEST(test_crc32c_portable_agrees),
           TEST(test_crc32c_mask),
           TEST(test_crc32c_bit_flip))
