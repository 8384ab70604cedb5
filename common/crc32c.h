/*
 * crc32c.h - CRC-32C (Castagnoli), the checksum on every record and block.
 *
 * CRC-32C detects every burst error up to 32 bits and all odd numbers of
 * bit flips; it is the checksum LevelDB, RocksDB, ext4 and iSCSI use.
 * Check value: crc32c("123456789") == 0xe3069283.
 *
 * A stored checksum is masked (crc32c_mask) so that a checksum of bytes
 * that themselves contain checksums does not degenerate (LevelDB's trick).
 */
#ifndef KV_CRC32C_H
#define KV_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* The CRC-32C of data[0..n). */
uint32_t crc32c(const void *data, size_t n);
/* Continues a CRC: crc32c_extend(crc32c(a), b) == crc32c(a followed by b). */
uint32_t crc32c_extend(uint32_t crc, const void *data, size_t n);
/* crc32c_extend by the tables alone, whatever the processor: the definition
 * the hardware path is tested against (crc32c.c). */
uint32_t crc32c_portable_extend(uint32_t crc, const void *data, size_t n);

uint32_t crc32c_mask(uint32_t crc);
uint32_t crc32c_unmask(uint32_t masked);

#endif
