#ifndef EHEALTH_COPENSSL_SHIM_H
#define EHEALTH_COPENSSL_SHIM_H

/* SHA256_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP, but EVP's per-call
   overhead is most of PBKDF2's cost: see ehealth_pbkdf2_hmac_sha256. */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/ec.h>
#include <openssl/bn.h>
#include <openssl/sha.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <openssl/provider.h>
#include <openssl/cms.h>
#include <openssl/x509v3.h>
#include <openssl/ocsp.h>
#include <string.h>

/* One SHA-256 compression of `block` from the state `start`, the state written out as the digest:
   the whole of an HMAC-SHA256 half whose message is one 32-byte value, the padding of
   64 + 32 bytes being already in `block`. */
static inline void ehealth_sha256_compress(const SHA256_CTX *start, SHA256_CTX *scratch, const unsigned char block[SHA256_CBLOCK],
                                           unsigned char digest[SHA256_DIGEST_LENGTH]) {
    *scratch = *start;
    SHA256_Transform(scratch, block);
    for (int index = 0; index < 8; index++) {
        digest[4 * index] = (unsigned char)(scratch->h[index] >> 24);
        digest[4 * index + 1] = (unsigned char)(scratch->h[index] >> 16);
        digest[4 * index + 2] = (unsigned char)(scratch->h[index] >> 8);
        digest[4 * index + 3] = (unsigned char)scratch->h[index];
    }
}

/* PBKDF2-HMAC-SHA256 (RFC 8018 5.2), the same function as OpenSSL's PKCS5_PBKDF2_HMAC with
   EVP_sha256(), in about a third of its time: the HMAC's inner and outer pads are hashed once,
   and each iteration is two bare SHA-256 compressions of a block padded in advance, with no EVP
   call and no clean-up per hash (OpenSSL 3.0 goes through EVP_MAC, and SHA256_Final clears its
   context, for every iteration). Returns 1 on success, 0 for zero iterations. */
static inline int ehealth_pbkdf2_hmac_sha256(const unsigned char *password, size_t passwordLength,
                                             const unsigned char *salt, size_t saltLength, unsigned int iterations,
                                             unsigned char *output, size_t outputLength) {
    if (iterations == 0) return 0;
    unsigned char key[SHA256_CBLOCK];
    memset(key, 0, sizeof key);
    if (passwordLength > SHA256_CBLOCK) {
        SHA256(password, passwordLength, key);
    } else if (passwordLength > 0) {
        memcpy(key, password, passwordLength);
    }
    unsigned char innerPad[SHA256_CBLOCK], outerPad[SHA256_CBLOCK];
    for (int index = 0; index < SHA256_CBLOCK; index++) {
        innerPad[index] = key[index] ^ 0x36;
        outerPad[index] = key[index] ^ 0x5c;
    }
    SHA256_CTX inner, outer, context;
    SHA256_Init(&inner);
    SHA256_Update(&inner, innerPad, sizeof innerPad);
    SHA256_Init(&outer);
    SHA256_Update(&outer, outerPad, sizeof outerPad);
    /* A 32-byte message after a 64-byte pad: 0x80, zeros, then the length, 768 bits, big-endian. */
    unsigned char block[SHA256_CBLOCK];
    memset(block, 0, sizeof block);
    block[SHA256_DIGEST_LENGTH] = 0x80;
    block[SHA256_CBLOCK - 2] = 0x03;
    for (unsigned int number = 1; outputLength > 0; number++) {
        unsigned char counter[4] = { (unsigned char)(number >> 24), (unsigned char)(number >> 16),
                                     (unsigned char)(number >> 8), (unsigned char)number };
        unsigned char t[SHA256_DIGEST_LENGTH];
        context = inner;
        SHA256_Update(&context, salt, saltLength);
        SHA256_Update(&context, counter, sizeof counter);
        SHA256_Final(block, &context);
        ehealth_sha256_compress(&outer, &context, block, block);
        memcpy(t, block, sizeof t);
        for (unsigned int iteration = 1; iteration < iterations; iteration++) {
            ehealth_sha256_compress(&inner, &context, block, block);
            ehealth_sha256_compress(&outer, &context, block, block);
            for (int index = 0; index < SHA256_DIGEST_LENGTH; index++) t[index] ^= block[index];
        }
        size_t taken = outputLength < sizeof t ? outputLength : sizeof t;
        memcpy(output, t, taken);
        output += taken;
        outputLength -= taken;
        OPENSSL_cleanse(t, sizeof t);
    }
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(key, sizeof key);
    OPENSSL_cleanse(innerPad, sizeof innerPad);
    OPENSSL_cleanse(outerPad, sizeof outerPad);
    OPENSSL_cleanse(&inner, sizeof inner);
    OPENSSL_cleanse(&outer, sizeof outer);
    OPENSSL_cleanse(&context, sizeof context);
    return 1;
}

#endif
