#include "ByteDiff.h"

#include <algorithm>
#include <vector>

namespace tb::inspect {

namespace {

// Work bound of the aligned diff: (n + m) x edits, about a few tens of milliseconds at most.
constexpr qsizetype maxWork = 20'000'000;

// Appends [at, at + length), merged with the last span when they touch.
void mark(QList<ByteSpan>& spans, qsizetype at, qsizetype length = 1)
{
    if (length <= 0) {
        return;
    }
    if (!spans.isEmpty() && spans.back().start + spans.back().length == at) {
        spans.back().length += length;
    } else {
        spans.append(ByteSpan{at, length});
    }
}

// Myers' greedy forward pass; the V array of every round is kept for the walk back. Returns false when
// more than `maxD` edits are needed.
bool myers(QByteArrayView a, QByteArrayView b, qsizetype offset, int maxD, ByteDiff& out)
{
    const auto n = a.size();
    const auto m = b.size();
    const int size = 2 * maxD + 3;
    const int zero = maxD + 1;
    std::vector<qsizetype> v(std::size_t(size), 0);
    std::vector<std::vector<qsizetype>> trace;
    int found = -1;
    for (int d = 0; d <= maxD && found < 0; ++d) {
        for (int k = -d; k <= d; k += 2) {
            qsizetype x = (k == -d || (k != d && v[std::size_t(zero + k - 1)] < v[std::size_t(zero + k + 1)]))
                              ? v[std::size_t(zero + k + 1)]
                              : v[std::size_t(zero + k - 1)] + 1;
            qsizetype y = x - k;
            while (x < n && y < m && a[x] == b[y]) {
                ++x;
                ++y;
            }
            v[std::size_t(zero + k)] = x;
            if (x >= n && y >= m) {
                found = d;
                break;
            }
        }
        trace.push_back(v);
    }
    if (found < 0) {
        return false;
    }
    std::vector<qsizetype> delA;
    std::vector<qsizetype> insB;
    qsizetype x = n;
    qsizetype y = m;
    for (int d = found; d > 0; --d) {
        const std::vector<qsizetype>& prev = trace[std::size_t(d - 1)];
        const auto k = int(x - y);
        const bool down = k == -d || (k != d && prev[std::size_t(zero + k - 1)] < prev[std::size_t(zero + k + 1)]);
        const int pk = down ? k + 1 : k - 1;
        const qsizetype px = prev[std::size_t(zero + pk)];
        const qsizetype py = px - pk;
        if (down) {
            insB.push_back(py); // B[py] has no partner in A
        } else {
            delA.push_back(px); // A[px] has no partner in B
        }
        x = px;
        y = py;
    }
    std::reverse(delA.begin(), delA.end());
    std::reverse(insB.begin(), insB.end());
    for (const qsizetype i : delA) {
        mark(out.a, offset + i);
    }
    for (const qsizetype i : insB) {
        mark(out.b, offset + i);
    }
    return true;
}

} // namespace

ByteDiff diffAligned(QByteArrayView a, QByteArrayView b, int maxEdits)
{
    ByteDiff out;
    qsizetype prefix = 0;
    const qsizetype shorter = std::min(a.size(), b.size());
    while (prefix < shorter && a[prefix] == b[prefix]) {
        ++prefix;
    }
    qsizetype suffix = 0;
    while (suffix < shorter - prefix && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
        ++suffix;
    }
    const QByteArrayView midA = a.sliced(prefix, a.size() - prefix - suffix);
    const QByteArrayView midB = b.sliced(prefix, b.size() - prefix - suffix);
    if (midA.isEmpty() || midB.isEmpty()) {
        mark(out.a, prefix, midA.size());
        mark(out.b, prefix, midB.size());
        return out;
    }
    const qsizetype bound = std::max<qsizetype>(1, maxWork / (midA.size() + midB.size()));
    const int maxD = int(std::min<qsizetype>(std::max(maxEdits, 1), bound));
    if (!myers(midA, midB, prefix, maxD, out)) {
        out.a = {ByteSpan{prefix, midA.size()}};
        out.b = {ByteSpan{prefix, midB.size()}};
        out.aligned = false;
    }
    return out;
}

ByteDiff diffPositional(QByteArrayView a, QByteArrayView b)
{
    ByteDiff out;
    const qsizetype shorter = std::min(a.size(), b.size());
    for (qsizetype i = 0; i < shorter; ++i) {
        if (a[i] != b[i]) {
            mark(out.a, i);
            mark(out.b, i);
        }
    }
    mark(out.a, shorter, a.size() - shorter);
    mark(out.b, shorter, b.size() - shorter);
    return out;
}

} // namespace tb::inspect
