#ifndef EHEALTH_COPENSSL_SHIM_H
#define EHEALTH_COPENSSL_SHIM_H

#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <openssl/provider.h>
#include <openssl/cms.h>

#endif
