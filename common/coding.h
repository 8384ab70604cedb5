/*
 * coding.h - little-endian fixed-width integers and varints.
 *
 * Every integer the course writes to disk is little-endian, whatever the
 * machine: fixed32/fixed64 take 4 and 8 bytes; a varint takes 1 to 10
 * bytes, seven bits a byte, low bits first, the top bit set on every byte
 * but the last (the encoding LevelDB and protocol buffers use).
 */
#ifndef KV_CODING_H
#define KV_CODING_H

#include <stddef.h>
#include <stdint.h>

#define VARINT32_MAX_BYTES 5
#define VARINT64_MAX_BYTES 10

void encode_fixed32(char *dst, uint32_t v);
void encode_fixed64(char *dst, uint64_t v);
uint32_t decode_fixed32(const char *src);
uint64_t decode_fixed64(const char *src);

/* Writes v at dst and returns the number of bytes written (1 to 10). */
size_t encode_varint64(char *dst, uint64_t v);
size_t encode_varint32(char *dst, uint32_t v);
/* The number of bytes encode_varint64 would write. */
size_t varint_length(uint64_t v);

/*
 * Reads a varint from [p, limit). Returns the byte after it, or NULL if the
 * bytes run out first or the varint is too long for the type (corruption).
 */
const char *decode_varint64(const char *p, const char *limit, uint64_t *v);
const char *decode_varint32(const char *p, const char *limit, uint32_t *v);

#endif
