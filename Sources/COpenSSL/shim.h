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
#include <string.h>

/* PBKDF2-HMAC-SHA256 (RFC 8018 5.2), the same function as OpenSSL's PKCS5_PBKDF2_HMAC with
   EVP_sha256(), in about half its time: the HMAC's inner and outer pads are hashed once, and
   each of the iterations costs two SHA-256 compressions and no EVP calls. OpenSSL 3.0 goes
   through EVP_MAC for every iteration. The 100,000 iterations of a keystore are then about
   1/10 of an RSA-2048 key generation instead of 1/4. Returns 1 on success. */
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
    for (unsigned int block = 1; outputLength > 0; block++) {
        unsigned char counter[4] = { (unsigned char)(block >> 24), (unsigned char)(block >> 16),
                                     (unsigned char)(block >> 8), (unsigned char)block };
        unsigned char u[SHA256_DIGEST_LENGTH], t[SHA256_DIGEST_LENGTH];
        context = inner;
        SHA256_Update(&context, salt, saltLength);
        SHA256_Update(&context, counter, sizeof counter);
        SHA256_Final(u, &context);
        context = outer;
        SHA256_Update(&context, u, sizeof u);
        SHA256_Final(u, &context);
        memcpy(t, u, sizeof t);
        for (unsigned int iteration = 1; iteration < iterations; iteration++) {
            context = inner;
            SHA256_Update(&context, u, sizeof u);
            SHA256_Final(u, &context);
            context = outer;
            SHA256_Update(&context, u, sizeof u);
            SHA256_Final(u, &context);
            for (int index = 0; index < SHA256_DIGEST_LENGTH; index++) t[index] ^= u[index];
        }
        size_t taken = outputLength < sizeof t ? outputLength : sizeof t;
        memcpy(output, t, taken);
        output += taken;
        outputLength -= taken;
        OPENSSL_cleanse(u, sizeof u);
        OPENSSL_cleanse(t, sizeof t);
    }
    OPENSSL_cleanse(key, sizeof key);
    OPENSSL_cleanse(innerPad, sizeof innerPad);
    OPENSSL_cleanse(outerPad, sizeof outerPad);
    OPENSSL_cleanse(&inner, sizeof inner);
    OPENSSL_cleanse(&outer, sizeof outer);
    OPENSSL_cleanse(&context, sizeof context);
    return 1;
}

#endif
