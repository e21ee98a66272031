#include "DemoGenerators.h"

#include <array>
#include <memory>

#include <openssl/evp.h>

#include "crypto/Random.h"
#include "session/SessionId.h"

namespace tb::session {

namespace {

constexpr qint64 uuidEpochOffset = 0x01B21DD213814000LL;
constexpr int maxDemoCount = 1000000;

const std::array<std::pair<DemoKind, const char*>, 9> names{{
    {DemoKind::Counter, "counter"},
    {DemoKind::EpochMs, "epoch-ms"},
    {DemoKind::CounterEpochMs, "counter-epochms"},
    {DemoKind::Padded32, "padded32"},
    {DemoKind::Lcg, "lcg"},
    {DemoKind::Md5Counter, "md5-counter"},
    {DemoKind::UuidV1, "uuid-v1"},
    {DemoKind::UuidV7, "uuid-v7"},
    {DemoKind::Csprng, "csprng"},
}};

// SplitMix64: a small deterministic sequence for simulated arrival gaps (not for IDs).
struct SplitMix
{
    quint64 state;
    quint64 next()
    {
        quint64 z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    qint64 gapMs() { return 1 + qint64(next() % 20); }
};

// MD5 through EVP: only used to show that a hash of a counter looks random.
Result<QByteArray> md5(const QByteArray& input)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    size_t length = 0;
    if (EVP_Q_digest(nullptr, "MD5", nullptr, input.constData(), std::size_t(input.size()), out.data(), &length) != 1) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("MD5 is not available in this OpenSSL."));
    }
    return QByteArray(reinterpret_cast<const char*>(out.data()), qsizetype(length));
}

QByteArray uuidText(const QByteArray& raw16)
{
    const QByteArray hex = raw16.toHex();
    return hex.mid(0, 8) + '-' + hex.mid(8, 4) + '-' + hex.mid(12, 4) + '-' + hex.mid(16, 4) + '-' + hex.mid(20);
}

QByteArray hex64(quint64 v, int digits)
{
    return QByteArray::number(v, 16).rightJustified(digits, '0');
}

} // namespace

QStringList demoKindNames()
{
    QStringList list;
    for (const auto& [kind, name] : names) {
        list << QString::fromLatin1(name);
    }
    return list;
}

Result<DemoKind> demoKindFromName(const QString& name)
{
    for (const auto& [kind, text] : names) {
        if (name == QLatin1String(text)) {
            return kind;
        }
    }
    return fail(ErrorCode::InvalidArgument, QStringLiteral("Unknown demo generator '%1' (one of: %2).")
                                                .arg(name, demoKindNames().join(QStringLiteral(", "))));
}

QString demoKindName(DemoKind kind)
{
    for (const auto& [k, text] : names) {
        if (k == kind) {
            return QString::fromLatin1(text);
        }
    }
    return {};
}

Result<QList<QByteArray>> generateDemo(DemoKind kind, int count, qint64 startMs, quint64 seed)
{
    if (count < 1 || count > maxDemoCount) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The count must be between 1 and %1.").arg(maxDemoCount));
    }
    if (kind == DemoKind::Csprng) {
        return generateIds(IdSpec{}, count);
    }
    SplitMix mix{seed};
    QList<QByteArray> ids;
    ids.reserve(count);
    qint64 t = startMs;
    quint64 counter = 100000 + seed % 1000;
    quint64 lcg = seed | 1u;
    auto fixed = crypto::randomBytes(8); // UUID v1 clock sequence and node, fixed for the run
    auto random = crypto::randomBytes(qsizetype(count) * 16);
    if (!fixed || !random) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("The random number generator failed."));
    }
    for (int i = 0; i < count; ++i) {
        t += mix.gapMs();
        const QByteArray r = random->mid(qsizetype(i) * 16, 16);
        switch (kind) {
        case DemoKind::Counter:
            ids << QByteArray::number(counter++);
            break;
        case DemoKind::EpochMs:
            ids << QByteArray::number(t);
            break;
        case DemoKind::CounterEpochMs:
            counter += (mix.next() % 100 == 0) ? 2 : 1; // a skipped value went to another user
            ids << QByteArray::number(counter) + '-' + QByteArray::number(t);
            break;
        case DemoKind::Padded32:
            ids << QByteArray(24, '0') + r.left(4).toHex();
            break;
        case DemoKind::Lcg: {
            QByteArray id;
            for (int step = 0; step < 4; ++step) {
                lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
                id += hex64(lcg >> 32, 8);
            }
            ids << id;
            break;
        }
        case DemoKind::Md5Counter: {
            auto digest = md5(QByteArray::number(counter++));
            if (!digest) {
                return std::unexpected(digest.error());
            }
            ids << digest->toHex();
            break;
        }
        case DemoKind::UuidV1: {
            const quint64 ticks = quint64(t) * 10000 + quint64(uuidEpochOffset) + quint64(i % 10000);
            QByteArray raw(16, '\0');
            const quint64 low = ticks & 0xFFFFFFFFu;
            const quint64 mid = (ticks >> 32) & 0xFFFFu;
            const quint64 high = ((ticks >> 48) & 0x0FFFu) | 0x1000u;
            const QByteArray head = QByteArray::fromHex(hex64(low, 8) + hex64(mid, 4) + hex64(high, 4));
            raw.replace(0, 8, head);
            raw[8] = char((quint8(fixed->at(0)) & 0x3F) | 0x80);
            raw[9] = fixed->at(1);
            raw.replace(10, 6, fixed->mid(2, 6));
            raw[10] = char(quint8(raw[10]) | 0x01); // multicast bit: a random node, as RFC 9562 allows
            ids << uuidText(raw);
            break;
        }
        case DemoKind::UuidV7: {
            QByteArray raw = r;
            const QByteArray ms = QByteArray::fromHex(hex64(quint64(t), 12));
            raw.replace(0, 6, ms);
            raw[6] = char((quint8(raw[6]) & 0x0F) | 0x70);
            raw[8] = char((quint8(raw[8]) & 0x3F) | 0x80);
            ids << uuidText(raw);
            break;
        }
        case DemoKind::Csprng:
            break;
        }
    }
    return ids;
}

} // namespace tb::session
