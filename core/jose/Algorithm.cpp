#include "Algorithm.h"

#include <array>
#include <string>

namespace tb::jose {

namespace {

struct AlgInfo
{
    Alg alg;
    const char16_t* name;
    AlgFamily family;
    const char* digest;
    int hashBytes;
    const char16_t* curve;
};

constexpr std::array<AlgInfo, 15> infos{{
    {Alg::HS256, u"HS256", AlgFamily::Hmac, "SHA256", 32, u""},
    {Alg::HS384, u"HS384", AlgFamily::Hmac, "SHA384", 48, u""},
    {Alg::HS512, u"HS512", AlgFamily::Hmac, "SHA512", 64, u""},
    {Alg::RS256, u"RS256", AlgFamily::RsaPkcs1, "SHA256", 32, u""},
    {Alg::RS384, u"RS384", AlgFamily::RsaPkcs1, "SHA384", 48, u""},
    {Alg::RS512, u"RS512", AlgFamily::RsaPkcs1, "SHA512", 64, u""},
    {Alg::PS256, u"PS256", AlgFamily::RsaPss, "SHA256", 32, u""},
    {Alg::PS384, u"PS384", AlgFamily::RsaPss, "SHA384", 48, u""},
    {Alg::PS512, u"PS512", AlgFamily::RsaPss, "SHA512", 64, u""},
    {Alg::ES256, u"ES256", AlgFamily::Ecdsa, "SHA256", 32, u"P-256"},
    {Alg::ES384, u"ES384", AlgFamily::Ecdsa, "SHA384", 48, u"P-384"},
    {Alg::ES512, u"ES512", AlgFamily::Ecdsa, "SHA512", 64, u"P-521"},
    {Alg::ES256K, u"ES256K", AlgFamily::Ecdsa, "SHA256", 32, u"secp256k1"},
    {Alg::EdDSA, u"EdDSA", AlgFamily::EdDsa, nullptr, 0, u""},
    {Alg::None, u"none", AlgFamily::Unsecured, nullptr, 0, u""},
}};

const AlgInfo& info(Alg alg)
{
    return infos[static_cast<std::size_t>(alg)];
}

} // namespace

std::optional<Alg> algFromName(QStringView name)
{
    for (const auto& i : infos) {
        if (name == QStringView(i.name)) {
            return i.alg;
        }
    }
    return std::nullopt;
}

QString algName(Alg alg)
{
    // The names are static: no allocation (this runs in every verify sentence).
    const char16_t* name = info(alg).name;
    return QString::fromRawData(reinterpret_cast<const QChar*>(name),
                                qsizetype(std::char_traits<char16_t>::length(name)));
}

AlgFamily algFamily(Alg alg)
{
    return info(alg).family;
}

const char* algDigest(Alg alg)
{
    return info(alg).digest;
}

int algHashBytes(Alg alg)
{
    return info(alg).hashBytes;
}

QString algCurve(Alg alg)
{
    return QString::fromUtf16(info(alg).curve);
}

QList<Alg> allAlgs()
{
    QList<Alg> out;
    for (const auto& i : infos) {
        out << i.alg;
    }
    return out;
}

bool isNoneVariant(QStringView name)
{
    return name.compare(u"none", Qt::CaseInsensitive) == 0 && name != u"none";
}

} // namespace tb::jose
