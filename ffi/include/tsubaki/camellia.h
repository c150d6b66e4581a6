/*
 * tsubaki/camellia.h -- Camellia (RFC 3713) through libtsubaki, with the C interface
 * of OpenSSL's <openssl/camellia.h>: the same type, constants and functions, so that a
 * program written for OpenSSL's header builds against this one by changing the include
 * and links with -ltsubaki (static: libtsubaki.a -lpthread -ldl -lm) instead of -lcrypto.
 *
 * Written for tsubaki (MIT OR Apache-2.0); the declarations below are the interface
 * OpenSSL publishes, restated, not OpenSSL code.
 *
 * What differs from OpenSSL, all of it where OpenSSL's behaviour is undefined:
 *   - a NULL pointer makes a void function return without doing anything;
 *   - a *num outside 0..15 makes the CFB128 and OFB functions set *num = -1 and return
 *     (OpenSSL does so for a negative *num), and makes the CTR function return;
 *   - a CAMELLIA_KEY that Camellia_set_key did not fill (never set, zeroed, corrupted)
 *     makes every function return without doing anything;
 *   - no function ever aborts or unwinds: an internal failure (none is known to be
 *     reachable) zeroes the output bytes the call would have written.
 * The cipher runs on tsubaki's constant-time backend for this CPU: no table lookup at a
 * secret-dependent address.
 *
 * Do not link libtsubaki and OpenSSL's libcrypto into one program: both define these
 * symbols.
 */

#ifndef TSUBAKI_CAMELLIA_H
#define TSUBAKI_CAMELLIA_H

#ifdef OPENSSL_CAMELLIA_H
#error "tsubaki/camellia.h and openssl/camellia.h declare the same names: include one"
#endif

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes per Camellia block. */
#define CAMELLIA_BLOCK_SIZE 16

/* Values of the `enc` argument. */
#define CAMELLIA_ENCRYPT 1
#define CAMELLIA_DECRYPT 0

/* Size of the key table inside CAMELLIA_KEY, in bytes and in 32-bit words. */
#define CAMELLIA_TABLE_BYTE_LEN 272
#define CAMELLIA_TABLE_WORD_LEN (CAMELLIA_TABLE_BYTE_LEN / 4)

/* The key table as an array of words. Its contents are private to the library. */
typedef unsigned int KEY_TABLE_TYPE[CAMELLIA_TABLE_WORD_LEN];

/*
 * An expanded key: 280 bytes, 8-byte aligned (the double is there for the alignment).
 * Declare it anywhere; only Camellia_set_key gives it a meaning. It serves encryption
 * and decryption alike. It holds secret key material: clear it when done with it.
 *
 * libtsubaki stores the 34 64-bit subkeys in `u`, 3 (128-bit key) or 4 (192/256-bit)
 * in `grand_rounds` as OpenSSL does, and a backend code in the 4 padding bytes after
 * `grand_rounds`; a copy that loses the padding still works.
 */
struct camellia_key_st {
    union {
        double d;
        KEY_TABLE_TYPE rd_key;
    } u;
    int grand_rounds;
};
typedef struct camellia_key_st CAMELLIA_KEY;

/*
 * Expands the `bits`-bit key at `userKey` (bits = 128, 192 or 256) into *key.
 * Returns 0 on success, -1 if userKey or key is NULL, -2 if bits is another value
 * (*key untouched in both cases), -3 on an internal failure (*key zeroed; not known
 * to be reachable, and OpenSSL has no such case).
 */
int Camellia_set_key(const unsigned char *userKey, const int bits,
                     CAMELLIA_KEY *key);

/* Encrypts / decrypts the 16-byte block at `in` into `out` (which may be `in`). */
void Camellia_encrypt(const unsigned char *in, unsigned char *out,
                      const CAMELLIA_KEY *key);
void Camellia_decrypt(const unsigned char *in, unsigned char *out,
                      const CAMELLIA_KEY *key);

/* One block: encrypts if enc == CAMELLIA_ENCRYPT, decrypts for any other value. */
void Camellia_ecb_encrypt(const unsigned char *in, unsigned char *out,
                          const CAMELLIA_KEY *key, const int enc);

/*
 * CBC over `length` bytes; encrypts if enc != 0. `ivec` (16 bytes) is the chaining
 * value and ends as the last ciphertext block. A partial last block is encrypted as if
 * padded with zero bytes and written whole: `out` needs `length` rounded up to 16 bytes.
 * Decrypting such a length reads `length` rounded up to 16 bytes of `in` and writes
 * `length` bytes. This is not PKCS#7 padding.
 */
void Camellia_cbc_encrypt(const unsigned char *in, unsigned char *out,
                          size_t length, const CAMELLIA_KEY *key,
                          unsigned char *ivec, const int enc);

/*
 * CFB with 128-bit feedback over `length` bytes, resumable: `ivec` (16 bytes) and
 * *num (bytes of the current block used, 0..15; start at 0) carry the state between
 * calls. Encrypts if enc != 0.
 */
void Camellia_cfb128_encrypt(const unsigned char *in, unsigned char *out,
                             size_t length, const CAMELLIA_KEY *key,
                             unsigned char *ivec, int *num, const int enc);

/*
 * CFB with 1-bit feedback over the first `length` BITS of `in` (most significant bit
 * of each byte first); the other bits of `out`'s last byte are left as they were.
 * Encrypts if enc != 0. `num` is not used and may be NULL.
 */
void Camellia_cfb1_encrypt(const unsigned char *in, unsigned char *out,
                           size_t length, const CAMELLIA_KEY *key,
                           unsigned char *ivec, int *num, const int enc);

/*
 * CFB with 8-bit feedback over `length` bytes, resumable through `ivec`. Encrypts if
 * enc != 0. `num` is not used and may be NULL.
 */
void Camellia_cfb8_encrypt(const unsigned char *in, unsigned char *out,
                           size_t length, const CAMELLIA_KEY *key,
                           unsigned char *ivec, int *num, const int enc);

/*
 * OFB over `length` bytes; the same call encrypts and decrypts. Resumable: `ivec`
 * holds the current keystream block and *num (0..15; start at 0) how much of it is used.
 */
void Camellia_ofb128_encrypt(const unsigned char *in, unsigned char *out,
                             size_t length, const CAMELLIA_KEY *key,
                             unsigned char *ivec, int *num);

/*
 * CTR over `length` bytes; the same call encrypts and decrypts. `ivec` is the next
 * counter block, incremented as one 128-bit big-endian number; `ecount_buf` holds the
 * current keystream block and *num (0..15; start at 0) how much of it is used.
 */
void Camellia_ctr128_encrypt(const unsigned char *in, unsigned char *out,
                             size_t length, const CAMELLIA_KEY *key,
                             unsigned char ivec[CAMELLIA_BLOCK_SIZE],
                             unsigned char ecount_buf[CAMELLIA_BLOCK_SIZE],
                             unsigned int *num);

#ifdef __cplusplus
}
#endif

#endif /* TSUBAKI_CAMELLIA_H */
