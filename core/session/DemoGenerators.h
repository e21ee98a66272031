#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include "base/Error.h"

namespace tb::session {

// Teaching generators, good and bad (SESSION-REFERENCE.md §1.6). Time-based ones start at `startMs`
// (injected) and advance by 1-20 ms per ID from a seeded sequence, as requests would arrive.
enum class DemoKind
{
    Counter,        // decimal counter
    EpochMs,        // Unix time in ms
    CounterEpochMs, // WebGoat "hijack a session": <counter>-<epoch ms>, with an occasional skipped value
    Padded32,       // 32 random bits padded with zeros to 128 (hex)
    Lcg,            // 64-bit LCG (Knuth MMIX), high 32 bits of four steps (hex)
    Md5Counter,     // MD5(decimal counter) (hex): passes the statistics, fully predictable
    UuidV1,
    UuidV7,
    Csprng, // 128 bits from OpenSSL, base64url
};

QStringList demoKindNames();
Result<DemoKind> demoKindFromName(const QString& name);
QString demoKindName(DemoKind kind);

Result<QList<QByteArray>> generateDemo(DemoKind kind, int count, qint64 startMs, quint64 seed);

} // namespace tb::session
