/*
 * coding.c - little-endian fixed-width integers and varints (see coding.h).
 *
 * Bytes are assembled one at a time with shifts, so the result is the same
 * on any machine and no unaligned pointer is ever dereferenced.
 *
 * Varint: seven bits a byte, low bits first, top bit set on every byte but
 * the last. 300 = 0b1_0010_1100 encodes as 0xac 0x02. A decoder refuses a
 * varint that runs past its buffer, that has more bytes than the type
 * allows, or whose last byte carries bits the type cannot hold.
 */
#include "coding.h"

void encode_fixed32(char *dst, uint32_t v) {
    unsigned char *p = (unsigned char *)dst;
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

void encode_fixed64(char *dst, uint64_t v) {
    unsigned char *p = (unsigned char *)dst;
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}

uint32_t decode_fixed32(const char *src) {
    const unsigned char *p = (const unsigned char *)src;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v |= (uint32_t)p[i] << (8 * i);
    return v;
}

uint64_t decode_fixed64(const char *src) {
    const unsigned char *p = (const unsigned char *)src;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* Writes v at dst (room for VARINT64_MAX_BYTES); returns the byte count. */
size_t encode_varint64(char *dst, uint64_t v) {
    unsigned char *p = (unsigned char *)dst;
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

size_t encode_varint32(char *dst, uint32_t v) {
    return encode_varint64(dst, v);
}

size_t varint_length(uint64_t v) {
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

/*
 * Decodes a varint of at most `bits` bits from [p, limit). Returns the byte
 * after it, or NULL when it is truncated or too long (corruption).
 */
static const char *decode_varint(const char *p, const char *limit,
                                 unsigned bits, uint64_t *v) {
    uint64_t result = 0;
    for (unsigned shift = 0; shift < bits && p < limit; shift += 7) {
        unsigned char byte = (unsigned char)*p++;
        uint64_t payload = byte & 0x7f;
        /* The last possible byte may only carry the bits left in the type. */
        if (bits - shift < 7 && (payload >> (bits - shift)) != 0) return NULL;
        result |= payload << shift;
        if (!(byte & 0x80)) {
            *v = result;
            return p;
        }
    }
    return NULL;
}

const char *decode_varint64(const char *p, const char *limit, uint64_t *v) {
    return decode_varint(p, limit, 64, v);
}

const char *decode_varint32(const char *p, const char *limit, uint32_t *v) {
    uint64_t w;
    const char *q = decode_varint(p, limit, 32, &w);
    if (q) *v = (uint32_t)w;
    return q;
}
