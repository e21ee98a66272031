#pragma once

#include <QByteArrayView>
#include <QList>

namespace tb::inspect {

// A run of bytes that one side has and the other does not (or has different bytes at).
struct ByteSpan
{
    qsizetype start = 0;
    qsizetype length = 0;
    friend bool operator==(const ByteSpan&, const ByteSpan&) = default;
};

struct ByteDiff
{
    QList<ByteSpan> a; // differing bytes of A, in order, never adjacent
    QList<ByteSpan> b;
    bool aligned = true; // false when the edit limit was hit and the whole middle is marked
    [[nodiscard]] bool equal() const { return a.isEmpty() && b.isEmpty(); }
};

// Aligns A and B on a longest common subsequence (Myers' O(ND) diff after trimming the common prefix and
// suffix) and marks the bytes outside it: what a reader sees as "changed" in JSON text. Past `maxEdits`
// insertions + deletions (or a cost bound on long inputs) the whole differing middle is marked instead.
ByteDiff diffAligned(QByteArrayView a, QByteArrayView b, int maxEdits = 512);

// Offset by offset: marks the offsets where A and B differ and the tail of the longer one. For binary
// fields of fixed layout (signatures, IVs, tags), where aligning random bytes would invent matches.
ByteDiff diffPositional(QByteArrayView a, QByteArrayView b);

} // namespace tb::inspect
