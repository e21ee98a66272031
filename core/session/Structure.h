#pragma once

#include <vector>

#include <QByteArray>
#include <QList>
#include <QString>

namespace tb::session {

// What statistics miss (OWASP WSTG-SESS-01): static parts, fields, counters, timestamps, known formats.
struct StructureFinding
{
    QString kind;             // "static", "length", "delimiter", "counter", "timestamp", "uuid", "jwt", "json"
    QString detail;           // one or two sentences for people
    bool predictable = false; // the finding alone makes the next ID guessable (counter, timestamp)
};

// `captureMs` is the capture time (epoch milliseconds) that timestamps are compared with (±1 day);
// 0 means unknown, and only self-describing timestamps (UUID v1/v7) are reported.
std::vector<StructureFinding> detectStructure(const QList<QByteArray>& ids, qint64 captureMs);

} // namespace tb::session
