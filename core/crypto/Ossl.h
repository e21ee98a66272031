#pragma once

// RAII owners for OpenSSL objects (STYLE item 13). Private to core/: only core/crypto, core/keys and the
// crack kernel include OpenSSL headers.

#include <memory>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include <QString>

namespace tb::crypto {

template <auto Fn>
struct Deleter
{
    template <typename T>
    void operator()(T* p) const
    {
        Fn(p);
    }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using MdPtr = std::unique_ptr<EVP_MD, Deleter<EVP_MD_free>>;
using MacPtr = std::unique_ptr<EVP_MAC, Deleter<EVP_MAC_free>>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, Deleter<EVP_MAC_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
using DecoderCtxPtr = std::unique_ptr<OSSL_DECODER_CTX, Deleter<OSSL_DECODER_CTX_free>>;
using EncoderCtxPtr = std::unique_ptr<OSSL_ENCODER_CTX, Deleter<OSSL_ENCODER_CTX_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using SecretBnPtr = std::unique_ptr<BIGNUM, Deleter<BN_clear_free>>;

// RSA-PSS with the given salt length (OSSL_PKEY_RSA_PSS_SALT_LEN_DIGEST for PS*, RFC 7518 §3.5) on a signing or
// verifying context.
bool setPssParams(EVP_PKEY_CTX* pctx, const char* saltlen);

// Drains OpenSSL's error queue into one line for tb::Error::detail (never contains key material). `fatal`, when
// given, tells whether the queue held a fatal error (out of memory, an internal error).
QString takeOpensslErrors(bool* fatal = nullptr);

} // namespace tb::crypto
