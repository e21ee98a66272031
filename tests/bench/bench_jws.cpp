// JWS verify and sign rates per algorithm on a ~300-byte token with the key parsed once, through tokenbench's full
// path (tb::validate::verifyToken: parse, header JSON, alg/crit/time checks, report) and through the bare primitive
// (tb::crypto::verifyBytes / signBytes), printed beside the raw OpenSSL primitive on the same bytes in the same run:
// EVP_DigestVerify / EVP_DigestSign with a fresh EVP_MD_CTX per token, and for HMAC an EVP_MAC with a fresh,
// freshly keyed EVP_MAC_CTX per token; then, as the like-for-like reference, the same with the per-key set-up done
// once and a context copied per token (as verifyToken does). Then the cost of parsing a PEM key, beside OSSL_DECODER
// alone. Rates are per CPU-second of this thread (CLOCK_THREAD_CPUTIME_ID), in alternating slices, so other processes
// on a shared machine count against neither side. Goals (issue 2): RS256, ES256, EdDSA verify >= 0.9x raw; HS256 verify
// >= 0.4x raw EVP_MAC. Asserts nothing. TB_BENCH_SECONDS (default 0.6) sets the CPU time spent per measured row;
// TB_BENCH_ONLY=HS256,ES256 limits the rows (handy under perf).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <vector>

#include <time.h>

#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include "crypto/Signature.h"
#include "jose/Algorithm.h"
#include "jose/Jws.h"
#include "keys/KeyIo.h"
#include "validate/Verifier.h"

using tb::jose::Alg;

namespace {

volatile std::size_t g_sink = 0; // keeps the optimiser from dropping the work

double cpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

using Op = std::function<bool()>;

// Operations per CPU-second of each function, measured in alternating slices of ~5 ms each.
std::vector<double> rates(const std::vector<Op>& ops, double seconds)
{
    const std::size_t n = ops.size();
    std::vector<qint64> batch(n, 1);
    for (std::size_t i = 0; i < n; ++i) { // calibrate: a batch takes about 5 ms
        const double start = cpuSeconds();
        int calls = 0;
        while (cpuSeconds() - start < 0.005) {
            ops[i]();
            ++calls;
        }
        batch[i] = std::max(1, calls);
    }
    std::vector<double> time(n, 0);
    std::vector<qint64> count(n, 0);
    double total = 0;
    while (total < seconds) {
        for (std::size_t i = 0; i < n; ++i) {
            const double start = cpuSeconds();
            for (qint64 k = 0; k < batch[i]; ++k) {
                ops[i]();
            }
            const double spent = cpuSeconds() - start;
            time[i] += spent;
            total += spent;
            count[i] += batch[i];
        }
    }
    std::vector<double> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = double(count[i]) / time[i];
    }
    return out;
}

const unsigned char* bytesOf(const QByteArray& b)
{
    return reinterpret_cast<const unsigned char*>(b.constData());
}

struct MdCtxFree
{
    void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct MacFree
{
    void operator()(EVP_MAC* p) const { EVP_MAC_free(p); }
};
struct MacCtxFree
{
    void operator()(EVP_MAC_CTX* p) const { EVP_MAC_CTX_free(p); }
};
struct DecoderCtxFree
{
    void operator()(OSSL_DECODER_CTX* p) const { OSSL_DECODER_CTX_free(p); }
};
struct PkeyFree
{
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};

struct Case
{
    const char* name;
    Alg alg;
    const char* curve; // for EdDSA
};

// The raw primitive, as an OpenSSL 3 user would write it: a fresh context per token.
bool rawVerify(Alg alg, EVP_PKEY* pkey, const QByteArray& input, const QByteArray& opensslSig)
{
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    if (EVP_DigestVerifyInit_ex(ctx.get(), &pctx, tb::jose::algDigest(alg), nullptr, nullptr, pkey, nullptr) != 1) {
        return false;
    }
    if (tb::jose::algFamily(alg) == tb::jose::AlgFamily::RsaPss) {
        int saltlen = RSA_PSS_SALTLEN_DIGEST;
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, saltlen) != 1) {
            return false;
        }
    }
    return EVP_DigestVerify(ctx.get(), bytesOf(opensslSig), std::size_t(opensslSig.size()), bytesOf(input),
                            std::size_t(input.size())) == 1;
}

// The same with the set-up done once per key: a template context copied per token (what verifyToken does).
bool rawVerifyCopy(const EVP_MD_CTX* prepared, const QByteArray& input, const QByteArray& opensslSig)
{
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    return EVP_MD_CTX_copy_ex(ctx.get(), prepared) == 1 &&
           EVP_DigestVerify(ctx.get(), bytesOf(opensslSig), std::size_t(opensslSig.size()), bytesOf(input),
                            std::size_t(input.size())) == 1;
}

std::unique_ptr<EVP_MD_CTX, MdCtxFree> verifyTemplate(Alg alg, EVP_PKEY* pkey)
{
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    if (EVP_DigestVerifyInit_ex(ctx.get(), &pctx, tb::jose::algDigest(alg), nullptr, nullptr, pkey, nullptr) != 1) {
        return nullptr;
    }
    if (tb::jose::algFamily(alg) == tb::jose::AlgFamily::RsaPss &&
        (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1)) {
        return nullptr;
    }
    return ctx;
}

bool rawSign(Alg alg, EVP_PKEY* pkey, const QByteArray& input)
{
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    if (EVP_DigestSignInit_ex(ctx.get(), &pctx, tb::jose::algDigest(alg), nullptr, nullptr, pkey, nullptr) != 1) {
        return false;
    }
    if (tb::jose::algFamily(alg) == tb::jose::AlgFamily::RsaPss) {
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1) {
            return false;
        }
    }
    unsigned char sig[1024];
    std::size_t len = sizeof sig;
    const bool ok = EVP_DigestSign(ctx.get(), sig, &len, bytesOf(input), std::size_t(input.size())) == 1;
    g_sink = g_sink + len;
    return ok;
}

// HMAC with a fresh, freshly keyed EVP_MAC_CTX (the MAC algorithm fetched once).
bool rawMac(EVP_MAC* mac, const char* digest, const tb::SecretBytes& secret, const QByteArray& input,
            const QByteArray& expected)
{
    std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx(EVP_MAC_CTX_new(mac));
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
                           OSSL_PARAM_construct_end()};
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t len = 0;
    if (!ctx || EVP_MAC_init(ctx.get(), secret.data(), secret.size(), params) != 1 ||
        EVP_MAC_update(ctx.get(), bytesOf(input), std::size_t(input.size())) != 1 ||
        EVP_MAC_final(ctx.get(), out, &len, sizeof out) != 1) {
        return false;
    }
    return len == std::size_t(expected.size()) && CRYPTO_memcmp(out, expected.constData(), len) == 0;
}

// HMAC from a keyed template duplicated per token (the fastest way to MAC many tokens with one key).
bool rawMacDup(EVP_MAC_CTX* keyed, const QByteArray& input, const QByteArray& expected)
{
    std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx(EVP_MAC_CTX_dup(keyed));
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t len = 0;
    if (!ctx || EVP_MAC_update(ctx.get(), bytesOf(input), std::size_t(input.size())) != 1 ||
        EVP_MAC_final(ctx.get(), out, &len, sizeof out) != 1) {
        return false;
    }
    return len == std::size_t(expected.size()) && CRYPTO_memcmp(out, expected.constData(), len) == 0;
}

bool rawDecodePem(const QByteArray& pem, int selection)
{
    EVP_PKEY* pkey = nullptr;
    std::unique_ptr<OSSL_DECODER_CTX, DecoderCtxFree> dctx(
        OSSL_DECODER_CTX_new_for_pkey(&pkey, "PEM", nullptr, nullptr, selection, nullptr, nullptr));
    const unsigned char* data = bytesOf(pem);
    std::size_t len = std::size_t(pem.size());
    const bool ok = dctx && OSSL_DECODER_from_data(dctx.get(), &data, &len) == 1 && pkey != nullptr;
    std::unique_ptr<EVP_PKEY, PkeyFree> owned(pkey);
    return ok;
}

QByteArray payload300()
{
    return R"({"sub":"1234567890","name":"John Doe","iss":"https://auth.example.com","aud":"api.example.com",)"
           R"("iat":1516239022,"nbf":1516239022,"exp":1516242622,"scope":"read write profile email",)"
           R"("jti":"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d","roles":["reader","writer"],"tenant":"acme-42"})";
}

const char* verdict(double ratio, double goal)
{
    if (goal <= 0) {
        return "";
    }
    return ratio >= goal ? "ok" : "MISS";
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const double seconds = qEnvironmentVariableIsSet("TB_BENCH_SECONDS")
                               ? std::max(0.05, qEnvironmentVariable("TB_BENCH_SECONDS").toDouble())
                               : 0.6;
    const Case cases[] = {
        {"HS256", Alg::HS256, ""},   {"HS512", Alg::HS512, ""},        {"RS256", Alg::RS256, ""},
        {"PS256", Alg::PS256, ""},   {"ES256", Alg::ES256, ""},        {"ES384", Alg::ES384, ""},
        {"ES256K", Alg::ES256K, ""}, {"EdDSA", Alg::EdDSA, "Ed25519"}, {"EdDSA/Ed448", Alg::EdDSA, "Ed448"},
    };
    std::unique_ptr<EVP_MAC, MacFree> hmac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    const QByteArray payload = payload300();
    const double now = 1516239100; // inside [nbf, exp) of the payload

    std::printf("JWS verify and sign, one thread, operations per CPU-second (%.2f s per row), key parsed once\n",
                seconds);
    std::printf(
        "full = tb::validate::verifyToken / tb::jose::signCompact; bytes = tb::crypto::verifyBytes / signBytes;\n"
        "raw = OpenSSL EVP_DigestVerify/Sign with a fresh EVP_MD_CTX per token (HMAC: EVP_MAC, fresh "
        "EVP_MAC_CTX keyed per token)\n\n");
    std::printf("%-12s %6s | %11s %11s %11s | %6s %6s %5s | %11s %11s %11s | %6s %6s\n", "alg", "token", "verify full",
                "bytes", "raw", "full/r", "byte/r", "goal", "sign full", "bytes", "raw", "full/r", "byte/r");

    struct ParseRow
    {
        const char* name;
        QByteArray pub;
        QByteArray priv;
    };
    std::vector<ParseRow> parseRows;
    struct PreparedRef
    {
        const char* name;
        double dup;
        double full;
        double raw;
        double goal;
    };
    std::vector<PreparedRef> preparedRefs;

    const QStringList only = qEnvironmentVariable("TB_BENCH_ONLY").split(u',', Qt::SkipEmptyParts);
    for (const Case& c : cases) {
        if (!only.isEmpty() && !only.contains(QString::fromLatin1(c.name))) {
            continue;
        }
        auto generated = tb::keys::generateKey(c.alg, 0, QString::fromLatin1(c.curve));
        if (!generated) {
            std::printf("%-12s key generation failed: %s\n", c.name, qPrintable(generated.error().message));
            continue;
        }
        const tb::keys::KeyPtr priv = *generated;
        const bool oct = priv->type() == tb::keys::KeyType::Oct;
        tb::keys::KeyPtr pub = priv;
        if (!oct) {
            const QByteArray pubPem = tb::keys::exportPem(*priv, tb::keys::KeyPart::Public).value();
            pub = tb::keys::importKey(pubPem).value();
            parseRows.push_back({c.name, pubPem, tb::keys::exportPem(*priv, tb::keys::KeyPart::Private).value()});
        }
        const QByteArray header = tb::jose::defaultHeader(c.alg);
        const QByteArray token = tb::jose::signCompact(c.alg, priv.get(), header, payload).value();
        const qsizetype dot = token.lastIndexOf('.');
        const QByteArray input = token.left(dot);
        const QByteArray sig = QByteArray::fromBase64(token.mid(dot + 1), QByteArray::Base64UrlEncoding);
        const bool ecdsa = tb::jose::algFamily(c.alg) == tb::jose::AlgFamily::Ecdsa;
        const QByteArray opensslSig =
            ecdsa ? tb::crypto::ecdsaRawToDer(sig, tb::crypto::ecdsaCoordBytes(c.alg)).value() : sig;

        tb::validate::Policy policy;
        policy.allowedAlgs = QList<Alg>{c.alg};
        policy.now = now;
        const tb::validate::KeyInput keyInput{pub, {}, QStringLiteral("bench key")};

        const Op full = [&] {
            auto r = tb::validate::verifyToken(token, keyInput, policy);
            return r && r->valid;
        };
        const Op bytes = [&] {
            auto r = tb::crypto::verifyBytes(c.alg, *pub, input, sig);
            return r && r->valid;
        };
        const char* digest = tb::jose::algDigest(c.alg);
        const Op raw = oct ? Op([&] { return rawMac(hmac.get(), digest, pub->secret(), input, sig); })
                           : Op([&] { return rawVerify(c.alg, pub->pkey(), input, opensslSig); });
        if (!full() || !bytes() || !raw()) {
            std::printf("%-12s a verify failed (full %d, bytes %d, raw %d): figures skipped\n", c.name, int(full()),
                        int(bytes()), int(raw()));
            continue;
        }
        const std::vector<double> v = rates({full, bytes, raw}, seconds);

        const Op signFull = [&] {
            auto r = tb::jose::signCompact(c.alg, priv.get(), header, payload);
            g_sink = g_sink + std::size_t(r ? r->size() : 0);
            return r.has_value();
        };
        const Op signBytes = [&] {
            auto r = tb::crypto::signBytes(c.alg, *priv, input);
            g_sink = g_sink + std::size_t(r ? r->size() : 0);
            return r.has_value();
        };
        const Op signRaw = oct ? Op([&] { return rawMac(hmac.get(), digest, priv->secret(), input, sig); })
                               : Op([&] { return rawSign(c.alg, priv->pkey(), input); });
        const std::vector<double> s = rates({signFull, signBytes, signRaw}, seconds);

        const double goal =
            c.alg == Alg::HS256 ? 0.4
            : (c.alg == Alg::RS256 || c.alg == Alg::ES256 || (c.alg == Alg::EdDSA && QByteArray(c.curve) == "Ed25519"))
                ? 0.9
                : 0;
        char goalText[16] = "";
        if (goal > 0) {
            std::snprintf(goalText, sizeof goalText, "%s", verdict(v[0] / v[2], goal));
        }
        std::printf("%-12s %6lld | %11.0f %11.0f %11.0f | %5.2fx %5.2fx %5s | %11.0f %11.0f %11.0f | %5.2fx %5.2fx\n",
                    c.name, static_cast<long long>(token.size()), v[0], v[1], v[2], v[0] / v[2], v[1] / v[2], goalText,
                    s[0], s[1], s[2], s[0] / s[2], s[1] / s[2]);

        std::unique_ptr<EVP_MAC_CTX, MacCtxFree> keyed;
        std::unique_ptr<EVP_MD_CTX, MdCtxFree> prepared;
        Op dup;
        if (oct) {
            keyed.reset(EVP_MAC_CTX_new(hmac.get()));
            OSSL_PARAM params[] = {
                OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
                OSSL_PARAM_construct_end()};
            EVP_MAC_init(keyed.get(), pub->secret().data(), pub->secret().size(), params);
            dup = [&] { return rawMacDup(keyed.get(), input, sig); };
        } else {
            prepared = verifyTemplate(c.alg, pub->pkey());
            dup = [&] { return prepared && rawVerifyCopy(prepared.get(), input, opensslSig); };
        }
        if (dup()) {
            const std::vector<double> d = rates({full, dup, raw}, seconds);
            preparedRefs.push_back({c.name, d[1], d[0], d[2], goal});
        }
    }

    std::printf(
        "\nPrepared reference: raw with the per-key set-up done once, a context copied per token (HMAC: an\n"
        "EVP_MAC_CTX keyed once and duplicated; others: an EVP_MD_CTX after EVP_DigestVerifyInit_ex, copied)\n");
    std::printf("%-12s | %11s %11s %11s | %9s %9s %5s\n", "alg", "verify full", "raw dup", "raw fresh", "full/dup",
                "full/fresh", "goal");
    for (const PreparedRef& m : preparedRefs) {
        std::printf("%-12s | %11.0f %11.0f %11.0f | %8.2fx %8.2fx %5s\n", m.name, m.full, m.dup, m.raw, m.full / m.dup,
                    m.full / m.raw, verdict(m.full / m.dup, m.goal));
    }

    std::printf("\nPEM key parse (microseconds per key, CPU time): tb::keys::importKey vs OSSL_DECODER alone\n");
    std::printf("%-12s | %10s %10s %7s | %10s %10s %7s\n", "key", "SPKI tb", "raw", "tb/raw", "PKCS#8 tb", "raw",
                "tb/raw");
    for (const ParseRow& p : parseRows) {
        const Op pubTb = [&] { return tb::keys::importKey(p.pub).has_value(); };
        const Op pubRaw = [&] { return rawDecodePem(p.pub, EVP_PKEY_PUBLIC_KEY); };
        const Op privTb = [&] { return tb::keys::importKey(p.priv).has_value(); };
        const Op privRaw = [&] { return rawDecodePem(p.priv, EVP_PKEY_KEYPAIR); };
        if (!pubTb() || !pubRaw() || !privTb() || !privRaw()) {
            std::printf("%-12s a PEM does not parse\n", p.name);
            continue;
        }
        const std::vector<double> r = rates({pubTb, pubRaw, privTb, privRaw}, seconds);
        std::printf("%-12s | %10.1f %10.1f %6.2fx | %10.1f %10.1f %6.2fx\n", p.name, 1e6 / r[0], 1e6 / r[1],
                    r[1] / r[0], 1e6 / r[2], 1e6 / r[3], r[3] / r[2]);
    }
    std::printf(
        "\n(ratios full/r and byte/r: tokenbench rate over the raw rate, 1.00x = as fast as raw OpenSSL; "
        "goals: RS256, ES256, EdDSA verify >= 0.9x, HS256 >= 0.4x, checked against both raw references;\n"
        "verifyToken copies a per-key prepared context, so full/dup is the like-for-like ratio; PEM tb/raw > 1 means "
        "tokenbench is slower)\n");
    return 0;
}
