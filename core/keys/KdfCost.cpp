#include "KdfCost.h"

#include <memory>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "base/Limits.h"

namespace tb::keys {

namespace {

struct FreeSig
{
    void operator()(X509_SIG* s) const { X509_SIG_free(s); }
};

// The DER of the first ENCRYPTED PRIVATE KEY block, or the bytes themselves when they are not PEM.
QByteArray encryptedDer(QByteArrayView bytes)
{
    if (!bytes.contains("-----BEGIN")) {
        return bytes.toByteArray();
    }
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(bytes.data(), int(bytes.size())), &BIO_free);
    QByteArray der;
    while (bio && der.isEmpty()) {
        char* name = nullptr;
        char* header = nullptr;
        unsigned char* data = nullptr;
        long len = 0;
        if (PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1) {
            break;
        }
        if (qstrcmp(name, PEM_STRING_PKCS8) == 0) {
            der = QByteArray(reinterpret_cast<const char*>(data), len);
        }
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_free(data);
    }
    return der;
}

long long integer(const ASN1_INTEGER* value)
{
    int64_t v = 0;
    return value != nullptr && ASN1_INTEGER_get_int64(&v, value) == 1 ? v : -1;
}

Result<void> overLimit(const QString& what, long long work, long long limit)
{
    return fail(ErrorCode::TooLarge,
                QStringLiteral("The encrypted key asks for %1 = %2, above the limit of %3 (a denial-of-service "
                               "vector): it was not decrypted.")
                    .arg(what)
                    .arg(work)
                    .arg(limit));
}

Result<void> checkPbes2(const ASN1_TYPE* parameter)
{
    std::unique_ptr<PBE2PARAM, decltype(&PBE2PARAM_free)> pbe2(
        static_cast<PBE2PARAM*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), parameter)), &PBE2PARAM_free);
    if (!pbe2 || pbe2->keyfunc == nullptr) {
        return {};
    }
    const int kdf = OBJ_obj2nid(pbe2->keyfunc->algorithm);
    if (kdf == NID_id_pbkdf2) {
        std::unique_ptr<PBKDF2PARAM, decltype(&PBKDF2PARAM_free)> p(
            static_cast<PBKDF2PARAM*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), pbe2->keyfunc->parameter)),
            &PBKDF2PARAM_free);
        const long long iterations = p ? integer(p->iter) : -1;
        if (iterations < 0 || iterations > limits::maxKeyKdfIterations) {
            return overLimit(QStringLiteral("PBKDF2 iterations"), iterations, limits::maxKeyKdfIterations);
        }
    } else if (kdf == NID_id_scrypt) {
        std::unique_ptr<SCRYPT_PARAMS, decltype(&SCRYPT_PARAMS_free)> p(
            static_cast<SCRYPT_PARAMS*>(
                ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(SCRYPT_PARAMS), pbe2->keyfunc->parameter)),
            &SCRYPT_PARAMS_free);
        const long long n = p ? integer(p->costParameter) : -1;
        const long long r = p ? integer(p->blockSize) : -1;
        const long long par = p ? integer(p->parallelizationParameter) : -1;
        const bool bad = n <= 0 || r <= 0 || par <= 0 || n > limits::maxKeyScryptWork || r > limits::maxKeyScryptWork ||
                         par > limits::maxKeyScryptWork || n * r > limits::maxKeyScryptWork / par;
        if (bad) {
            return overLimit(QStringLiteral("scrypt N * r * p (%1 * %2 * %3)").arg(n).arg(r).arg(par),
                             n > 0 && r > 0 && par > 0 && n <= limits::maxKeyScryptWork &&
                                     r <= limits::maxKeyScryptWork && par <= limits::maxKeyScryptWork
                                 ? n * r * par
                                 : -1,
                             limits::maxKeyScryptWork);
        }
    }
    return {};
}

Result<void> checkPkcs12Pbe(const ASN1_TYPE* parameter)
{
    std::unique_ptr<PBEPARAM, decltype(&PBEPARAM_free)> p(
        static_cast<PBEPARAM*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBEPARAM), parameter)), &PBEPARAM_free);
    const long long iterations = p ? integer(p->iter) : -1;
    if (p && (iterations < 0 || iterations > limits::maxKeyKdfIterations)) {
        return overLimit(QStringLiteral("PBE iterations"), iterations, limits::maxKeyKdfIterations);
    }
    return {};
}

} // namespace

Result<void> checkKdfCost(QByteArrayView bytes)
{
    const QByteArray der = encryptedDer(bytes);
    ERR_set_mark();
    const auto* p = reinterpret_cast<const unsigned char*>(der.constData());
    std::unique_ptr<X509_SIG, FreeSig> sig(d2i_X509_SIG(nullptr, &p, long(der.size())));
    ERR_pop_to_mark();
    if (!sig) {
        return {};
    }
    const X509_ALGOR* alg = nullptr;
    X509_SIG_get0(sig.get(), &alg, nullptr);
    if (alg == nullptr || alg->parameter == nullptr || alg->parameter->type != V_ASN1_SEQUENCE) {
        return {};
    }
    ERR_set_mark();
    const Result<void> verdict =
        OBJ_obj2nid(alg->algorithm) == NID_pbes2 ? checkPbes2(alg->parameter) : checkPkcs12Pbe(alg->parameter);
    ERR_pop_to_mark();
    return verdict;
}

} // namespace tb::keys
