#include "Signature.h"

#include <algorithm>
#include <array>
#include <cstring>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include <QStringBuilder>

#include "Ossl.h"

namespace tb::crypto {

using jose::Alg;
using jose::AlgFamily;

namespace {

const auto* bytesOf(QByteArrayView v)
{
    return reinterpret_cast<const unsigned char*>(v.data());
}

Error keyMismatch(Alg alg, const keys::Key& key)
{
    return Error{ErrorCode::KeyMismatch,
                 QStringLiteral("%1 cannot be used with this key (%2).").arg(jose::algName(alg), key.describe()),
                 {}};
}

Result<QByteArray> pkeySign(Alg alg, const keys::Key& key, QByteArrayView input)
{
    MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    ERR_clear_error();
    if (!ctx ||
        EVP_DigestSignInit_ex(ctx.get(), &pctx, jose::algDigest(alg), nullptr, nullptr, key.pkey(), nullptr) != 1) {
        return fail(ErrorCode::CryptoFailure,
                    QStringLiteral("Could not start signing with %1.").arg(jose::algName(alg)), takeOpensslErrors());
    }
    if (jose::algFamily(alg) == AlgFamily::RsaPss && !setPssParams(pctx, OSSL_PKEY_RSA_PSS_SALT_LEN_DIGEST)) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("Could not set the RSA-PSS parameters."),
                    takeOpensslErrors());
    }
    std::size_t size = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &size, bytesOf(input), static_cast<std::size_t>(input.size())) != 1) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("Signing failed."), takeOpensslErrors());
    }
    QByteArray sig(static_cast<qsizetype>(size), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size, bytesOf(input),
                       static_cast<std::size_t>(input.size())) != 1) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("Signing failed."), takeOpensslErrors());
    }
    sig.truncate(static_cast<qsizetype>(size));
    if (jose::algFamily(alg) == AlgFamily::Ecdsa) {
        return ecdsaDerToRaw(sig, ecdsaCoordBytes(alg));
    }
    return sig;
}

// A context ready to verify: a copy of the key's template when `pssSalt` is the standard one, else set up here.
bool startVerify(EVP_MD_CTX* ctx, Alg alg, const keys::Key& key, const char* pssSalt)
{
    const bool standard = pssSalt == nullptr || qstrcmp(pssSalt, OSSL_PKEY_RSA_PSS_SALT_LEN_DIGEST) == 0;
    bool ok = false;
    if (const EVP_MD_CTX* prepared = standard ? key.verifyTemplate(alg) : nullptr) {
        ok = EVP_MD_CTX_copy_ex(ctx, prepared) == 1;
    } else {
        EVP_PKEY_CTX* pctx = nullptr;
        ok = EVP_DigestVerifyInit_ex(ctx, &pctx, jose::algDigest(alg), nullptr, nullptr, key.pkey(), nullptr) == 1 &&
             (pssSalt == nullptr || setPssParams(pctx, pssSalt));
    }
    // The context is used once: its final step need not work on a copy of it.
    EVP_MD_CTX_set_flags(ctx, EVP_MD_CTX_FLAG_FINALISE);
    return ok;
}

enum class Outcome
{
    Valid,
    Invalid,
    Failed, // OpenSSL could not decide; `failure` holds its error queue
};

// Leaves OpenSSL's error queue empty for the next caller, without the cost of clearing an empty one.
void dropOpensslErrors()
{
    if (ERR_peek_error() != 0) {
        ERR_clear_error();
    }
}

Outcome pkeyVerify(Alg alg, const keys::Key& key, QByteArrayView input, QByteArrayView sig, const char* pssSalt,
                   QString* failure)
{
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || !startVerify(ctx.get(), alg, key, pssSalt)) {
        *failure = takeOpensslErrors();
        return Outcome::Failed;
    }
    const int rc = EVP_DigestVerify(ctx.get(), bytesOf(sig), static_cast<std::size_t>(sig.size()), bytesOf(input),
                                    static_cast<std::size_t>(input.size()));
    if (rc == 1) {
        dropOpensslErrors();
        return Outcome::Valid;
    }
    // A wrong signature leaves a plain error (or none); running out of memory half-way leaves a fatal one.
    bool fatal = false;
    *failure = takeOpensslErrors(&fatal);
    return fatal ? Outcome::Failed : Outcome::Invalid;
}

SignatureVerdict notChecked(Alg alg, const QString& failure)
{
    return {false,
            QStringLiteral("OpenSSL failed while checking the %1 signature, so it was neither accepted nor found "
                           "wrong (%2).")
                .arg(jose::algName(alg), failure.isEmpty() ? QStringLiteral("no detail") : failure),
            false};
}

struct CurveOrder
{
    const char* jwkName;
    int nid;
    QByteArray order; // big-endian, exactly the curve's coordinate size
};

// The group orders of the JWS curves, built once (a curve costs far more to build than a verify).
const std::array<CurveOrder, 4>& curveOrders()
{
    static const std::array<CurveOrder, 4> orders = [] {
        std::array<CurveOrder, 4> out{{{"P-256", NID_X9_62_prime256v1, {}},
                                       {"P-384", NID_secp384r1, {}},
                                       {"P-521", NID_secp521r1, {}},
                                       {"secp256k1", NID_secp256k1, {}}}};
        for (auto& c : out) {
            std::unique_ptr<EC_GROUP, Deleter<EC_GROUP_free>> group(EC_GROUP_new_by_curve_name(c.nid));
            const BIGNUM* order = group ? EC_GROUP_get0_order(group.get()) : nullptr;
            if (order != nullptr) {
                c.order.resize(BN_num_bytes(order));
                BN_bn2bin(order, reinterpret_cast<unsigned char*>(c.order.data()));
            }
        }
        return out;
    }();
    return orders;
}

// r and s must lie in [1, n-1] (CVE-2022-21449 "psychic signatures" accepted r = s = 0). Signatures are
// public, so plain byte comparisons of the fixed-length big-endian values are fine.
bool ecdsaScalarsInRange(const keys::Key& key, QByteArrayView raw, int n, QString* why)
{
    const QByteArray* order = nullptr;
    for (const auto& c : curveOrders()) {
        if (key.curve() == QLatin1String(c.jwkName) && c.order.size() == n) {
            order = &c.order;
        }
    }
    if (order == nullptr) {
        *why = QStringLiteral("The key's curve is unknown.");
        return false;
    }
    for (int half = 0; half < 2; ++half) {
        const QByteArrayView v = raw.sliced(half * n, n);
        const bool zero = std::all_of(v.begin(), v.end(), [](char b) { return b == 0; });
        if (zero || std::memcmp(v.data(), order->constData(), std::size_t(n)) >= 0) {
            *why = QStringLiteral("The ECDSA value %1 is %2: it must lie between 1 and the group order minus 1 "
                                  "(CVE-2022-21449, psychic signatures).")
                       .arg(half == 0 ? QStringLiteral("r") : QStringLiteral("s"),
                            zero ? QStringLiteral("zero") : QStringLiteral("not below the order"));
            return false;
        }
    }
    return true;
}

// One DER INTEGER of a non-negative big-endian value: minimal length, a 0x00 when the top bit is set.
void appendDerInteger(QByteArray& out, QByteArrayView value)
{
    qsizetype start = 0;
    while (start + 1 < value.size() && value[start] == 0) {
        ++start;
    }
    const QByteArrayView digits = value.sliced(start);
    const bool pad = (static_cast<unsigned char>(digits[0]) & 0x80) != 0;
    out.append('\x02');
    out.append(char(digits.size() + (pad ? 1 : 0)));
    if (pad) {
        out.append('\0');
    }
    out.append(digits);
}

SignatureVerdict verifyEcdsa(Alg alg, const keys::Key& key, QByteArrayView input, QByteArrayView sig)
{
    const int n = ecdsaCoordBytes(alg);
    if (sig.size() != 2 * n) {
        return {false,
                QStringLiteral("An %1 signature must be exactly %2 bytes (raw r||s); this one is %3 bytes%4.")
                    .arg(jose::algName(alg))
                    .arg(2 * n)
                    .arg(sig.size())
                    .arg(!sig.isEmpty() && sig[0] == 0x30 ? QStringLiteral(" and looks DER-encoded") : QString())};
    }
    QString why;
    if (!ecdsaScalarsInRange(key, sig, n, &why)) {
        return {false, why};
    }
    auto der = ecdsaRawToDer(sig, n);
    if (!der) {
        return {false, der.error().message};
    }
    QString failure;
    switch (pkeyVerify(alg, key, input, *der, nullptr, &failure)) {
    case Outcome::Valid:
        return {true, {}};
    case Outcome::Failed:
        return notChecked(alg, failure);
    case Outcome::Invalid:
        break;
    }
    return {false, QStringLiteral("The %1 signature does not match the signing input and the %2.")
                       .arg(jose::algName(alg), key.describe())};
}

struct MacBuffer
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> bytes{};
    qsizetype size = 0;
};

// HMAC from the key's precomputed pads into `mac`, without allocating beyond OpenSSL's context copies.
bool hmacInto(Alg alg, const keys::Key& key, QByteArrayView input, MacBuffer& mac)
{
    // One working context per thread: EVP_MD_CTX_copy_ex into it reuses it. Made on first use and again after a
    // failed allocation, so one out-of-memory moment does not disable HMAC on this thread for good.
    thread_local MdCtxPtr work;
    if (!work) {
        work.reset(EVP_MD_CTX_new());
    }
    const keys::HmacPads* pads = key.hmacPads(alg);
    std::array<unsigned char, EVP_MAX_MD_SIZE> inner{};
    unsigned int innerLen = 0;
    unsigned int outLen = 0;
    const bool ok = pads != nullptr && work && EVP_MD_CTX_copy_ex(work.get(), pads->inner.get()) == 1 &&
                    EVP_DigestUpdate(work.get(), input.data(), static_cast<std::size_t>(input.size())) == 1 &&
                    EVP_DigestFinal_ex(work.get(), inner.data(), &innerLen) == 1 &&
                    EVP_MD_CTX_copy_ex(work.get(), pads->outer.get()) == 1 &&
                    EVP_DigestUpdate(work.get(), inner.data(), innerLen) == 1 &&
                    EVP_DigestFinal_ex(work.get(), mac.bytes.data(), &outLen) == 1;
    OPENSSL_cleanse(inner.data(), inner.size());
    mac.size = ok ? qsizetype(outLen) : 0;
    return ok;
}

SignatureVerdict verifyHmac(Alg alg, const keys::Key& key, QByteArrayView input, QByteArrayView sig)
{
    MacBuffer mac;
    if (!hmacInto(alg, key, input, mac)) {
        return notChecked(alg, takeOpensslErrors());
    }
    // Lengths are public; compare them first, then the bytes in constant time.
    if (sig.size() != mac.size) {
        return {false, QStringLiteral("An %1 MAC is %2 bytes; this signature is %3 bytes.")
                           .arg(jose::algName(alg))
                           .arg(mac.size)
                           .arg(sig.size())};
    }
    if (CRYPTO_memcmp(sig.data(), mac.bytes.data(), static_cast<std::size_t>(sig.size())) != 0) {
        return {false, QStringLiteral("The ") % jose::algName(alg) %
                           QStringLiteral(" MAC does not match: wrong secret, or the token was changed.")};
    }
    return {true, {}};
}

SignatureVerdict verifyRsaOrEd(Alg alg, const keys::Key& key, QByteArrayView input, QByteArrayView sig)
{
    const bool pss = jose::algFamily(alg) == AlgFamily::RsaPss;
    QString failure;
    Outcome outcome = pkeyVerify(alg, key, input, sig, pss ? OSSL_PKEY_RSA_PSS_SALT_LEN_DIGEST : nullptr, &failure);
    if (outcome == Outcome::Valid) {
        return {true, {}};
    }
    if (outcome == Outcome::Invalid && pss) {
        outcome = pkeyVerify(alg, key, input, sig, OSSL_PKEY_RSA_PSS_SALT_LEN_AUTO, &failure);
        if (outcome == Outcome::Valid) {
            return {false, QStringLiteral("The %1 signature uses a salt length other than the hash length, which RFC "
                                          "7518 §3.5 requires.")
                               .arg(jose::algName(alg))};
        }
    }
    if (outcome == Outcome::Failed) {
        return notChecked(alg, failure);
    }
    return {false, QStringLiteral("The %1 signature does not match the signing input and the %2.")
                       .arg(jose::algName(alg), key.describe())};
}

} // namespace

int ecdsaCoordBytes(Alg alg)
{
    switch (alg) {
    case Alg::ES256:
    case Alg::ES256K:
        return 32;
    case Alg::ES384:
        return 48;
    case Alg::ES512:
        return 66;
    default:
        return 0;
    }
}

Result<QByteArray> signBytes(Alg alg, const keys::Key& key, QByteArrayView input)
{
    if (alg == Alg::None || !key.fits(alg)) {
        return std::unexpected(keyMismatch(alg, key));
    }
    if (!key.hasPrivate()) {
        return fail(ErrorCode::KeyMismatch,
                    QStringLiteral("Signing needs a private key; this is a %1.").arg(key.describe()));
    }
    if (jose::algFamily(alg) == AlgFamily::Hmac) {
        return hmac(alg, key, input);
    }
    return pkeySign(alg, key, input);
}

QString validSentence(Alg alg, const keys::Key& key)
{
    if (jose::algFamily(alg) == AlgFamily::Hmac) {
        return QStringLiteral("The ") % jose::algName(alg) % QStringLiteral(" MAC matches the ") % key.describe() %
               u'.';
    }
    return QStringLiteral("The ") % jose::algName(alg) % QStringLiteral(" signature verifies with the ") %
           key.describe() % u'.';
}

Result<SignatureVerdict> verifyBytes(Alg alg, const keys::Key& key, QByteArrayView input, QByteArrayView signature,
                                     Wording wording)
{
    if (alg == Alg::None || !key.fits(alg)) {
        return std::unexpected(keyMismatch(alg, key));
    }
    if (signature.isEmpty()) {
        return SignatureVerdict{false, QStringLiteral("The signature is empty.")};
    }
    SignatureVerdict verdict;
    switch (jose::algFamily(alg)) {
    case AlgFamily::Hmac:
        verdict = verifyHmac(alg, key, input, signature);
        break;
    case AlgFamily::Ecdsa:
        verdict = verifyEcdsa(alg, key, input, signature);
        break;
    default:
        verdict = verifyRsaOrEd(alg, key, input, signature);
        break;
    }
    if (verdict.valid && wording == Wording::Always) {
        verdict.reason = validSentence(alg, key);
    }
    return verdict;
}

Result<QByteArray> ecdsaRawToDer(QByteArrayView raw, int coordBytes)
{
    if (coordBytes <= 0 || coordBytes > 66 || raw.size() != 2 * coordBytes) {
        return fail(ErrorCode::InvalidData,
                    QStringLiteral("A raw ECDSA signature must be exactly %1 bytes.").arg(2 * coordBytes));
    }
    // SEQUENCE { INTEGER r, INTEGER s }: at most 2 * (2 + 67) = 138 content bytes, so the length fits a
    // short form (< 128) or one long-form byte.
    QByteArray body;
    body.reserve(2 * (coordBytes + 3));
    appendDerInteger(body, raw.first(coordBytes));
    appendDerInteger(body, raw.sliced(coordBytes));
    QByteArray der;
    der.reserve(body.size() + 3);
    der.append('\x30');
    if (body.size() >= 128) {
        der.append('\x81');
    }
    der.append(char(body.size()));
    return der + body;
}

Result<QByteArray> ecdsaDerToRaw(QByteArrayView der, int coordBytes)
{
    const auto* p = bytesOf(der);
    EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
    if (!sig || p != bytesOf(der) + der.size()) {
        ERR_clear_error();
        return fail(ErrorCode::InvalidData, QStringLiteral("The ECDSA signature is not valid DER."));
    }
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    QByteArray raw(2 * coordBytes, Qt::Uninitialized);
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    if (BN_bn2binpad(r, out, coordBytes) != coordBytes || BN_bn2binpad(s, out + coordBytes, coordBytes) != coordBytes) {
        return fail(ErrorCode::InvalidData, QStringLiteral("An ECDSA value is longer than the curve allows."));
    }
    return raw;
}

Result<QByteArray> hmac(Alg alg, const keys::Key& key, QByteArrayView input)
{
    if (jose::algFamily(alg) != AlgFamily::Hmac || key.type() != keys::KeyType::Oct) {
        return std::unexpected(keyMismatch(alg, key));
    }
    MacBuffer mac;
    if (!hmacInto(alg, key, input, mac)) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("HMAC computation failed."), takeOpensslErrors());
    }
    return QByteArray(reinterpret_cast<const char*>(mac.bytes.data()), mac.size);
}

Result<QByteArray> digest(const char* name, QByteArrayView input)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t outLen = 0;
    if (EVP_Q_digest(nullptr, name, nullptr, input.data(), static_cast<std::size_t>(input.size()), out, &outLen) != 1) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("Digest %1 failed.").arg(QLatin1String(name)),
                    takeOpensslErrors());
    }
    return QByteArray(reinterpret_cast<const char*>(out), static_cast<qsizetype>(outLen));
}

} // namespace tb::crypto
