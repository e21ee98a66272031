#include "JsonView.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include <QJsonArray>
#include <QJsonDocument>

namespace tb::jose {

namespace {

// Index of the token just past the value that starts at token `i`.
qsizetype skipValue(const QList<JsonToken>& tokens, qsizetype i)
{
    const JsonToken& first = tokens[i];
    if (first.type != JsonTokenType::BeginObject && first.type != JsonTokenType::BeginArray) {
        return i + 1;
    }
    qsizetype j = i + 1;
    while (j < tokens.size() && !(tokens[j].depth == first.depth && (tokens[j].type == JsonTokenType::EndObject ||
                                                                     tokens[j].type == JsonTokenType::EndArray))) {
        ++j;
    }
    return j + 1;
}

// Member names are short: a byte loop beats a call to memcmp.
bool sameBytes(const char* a, const char* b, std::size_t n)
{
    if (n > 16) {
        return std::memcmp(a, b, n) == 0;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (a[i] != b[i]) {
            return false;
        }
    }
    return true;
}

// A plain integer of up to 15 digits converts exactly (below 2^53) without from_chars: NumericDates mostly are.
std::optional<double> smallInteger(const char* text, qsizetype length)
{
    const bool negative = length > 0 && text[0] == '-';
    const qsizetype start = negative ? 1 : 0;
    if (length - start < 1 || length - start > 15) {
        return std::nullopt;
    }
    qint64 value = 0;
    for (qsizetype i = start; i < length; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return std::nullopt;
        }
        value = value * 10 + (text[i] - '0');
    }
    const auto v = double(value);
    return negative ? -v : v;
}

} // namespace

JsonObjectView::JsonObjectView(QByteArrayView text, const JsonScan& scan)
    : m_text(text)
    , m_tokens(&scan.tokens)
{
    if (scan.error || !scan.topLevelIsObject) {
        return;
    }
    m_isObject = true;
    const QList<JsonToken>& tokens = scan.tokens;
    for (qsizetype i = 1; i < tokens.size();) {
        const JsonToken& t = tokens[i];
        if (!(t.isKey && t.depth == 1) || i + 2 >= tokens.size()) {
            ++i;
            continue;
        }
        const qsizetype value = i + 2; // key, ':', value
        const qsizetype next = skipValue(tokens, value);
        const JsonToken& last = tokens[next - 1];
        QByteArrayView key = text.sliced(t.offset + 1, t.length - 2);
        if (t.escaped) {
            m_decodedKeys.append(jsonStringValue(text.sliced(t.offset, t.length)).toUtf8());
            key = m_decodedKeys.constLast();
        }
        const Member m{key, value, last.offset + last.length};
        // The scan found every duplicate: without any, no member needs a look-up here.
        if (!scan.duplicates.isEmpty() && find(m.key) >= 0) {
            m_duplicates << QString::fromUtf8(m.key);
        }
        m_members.append(m);
        i = next;
    }
}

qsizetype JsonObjectView::find(QByteArrayView key) const
{
    // Sizes first, then bytes inline: this runs several times per verify on a dozen members.
    const auto size = std::size_t(key.size());
    for (qsizetype i = m_members.size() - 1; i >= 0; --i) {
        const QByteArrayView k = m_members[i].key;
        if (std::size_t(k.size()) == size && sameBytes(k.data(), key.data(), size)) {
            return i;
        }
    }
    return -1;
}

std::optional<JsonTokenType> JsonObjectView::typeOf(QByteArrayView key) const
{
    const qsizetype i = find(key);
    return i < 0 ? std::nullopt : std::optional((*m_tokens)[m_members[i].valueToken].type);
}

std::optional<QString> JsonObjectView::string(QByteArrayView key) const
{
    const qsizetype i = find(key);
    if (i < 0) {
        return std::nullopt;
    }
    const JsonToken& t = (*m_tokens)[m_members[i].valueToken];
    if (t.type != JsonTokenType::String) {
        return std::nullopt;
    }
    return jsonStringValue(m_text.sliced(t.offset, t.length));
}

std::optional<double> JsonObjectView::number(QByteArrayView key) const
{
    const qsizetype i = find(key);
    if (i < 0) {
        return std::nullopt;
    }
    const JsonToken& t = (*m_tokens)[m_members[i].valueToken];
    if (t.type != JsonTokenType::Number) {
        return std::nullopt;
    }
    const char* begin = m_text.data() + t.offset;
    if (const std::optional<double> integer = smallInteger(begin, t.length)) {
        return integer;
    }
    double v = 0;
    const auto [end, ec] = std::from_chars(begin, begin + t.length, v);
    if (ec != std::errc() || end != begin + t.length || !std::isfinite(v)) {
        return std::nullopt;
    }
    return v;
}

std::optional<QStringList> JsonObjectView::stringArray(QByteArrayView key) const
{
    const qsizetype i = find(key);
    if (i < 0) {
        return std::nullopt;
    }
    const QList<JsonToken>& tokens = *m_tokens;
    const qsizetype first = m_members[i].valueToken;
    if (tokens[first].type != JsonTokenType::BeginArray) {
        return std::nullopt;
    }
    QStringList out;
    for (qsizetype j = first + 1; j < tokens.size() && tokens[j].type != JsonTokenType::EndArray; ++j) {
        const JsonToken& t = tokens[j];
        if (t.type == JsonTokenType::Comma) {
            continue;
        }
        if (t.type != JsonTokenType::String) {
            return std::nullopt;
        }
        out << jsonStringValue(m_text.sliced(t.offset, t.length));
    }
    return out;
}

QByteArrayView JsonObjectView::raw(QByteArrayView key) const
{
    const qsizetype i = find(key);
    if (i < 0) {
        return {};
    }
    const qsizetype start = (*m_tokens)[m_members[i].valueToken].offset;
    return m_text.sliced(start, m_members[i].valueEnd - start);
}

QByteArray JsonObjectView::compactRaw(QByteArrayView key, qsizetype maxBytes) const
{
    const qsizetype i = find(key);
    if (i < 0) {
        return {};
    }
    QByteArray out;
    const QList<JsonToken>& tokens = *m_tokens;
    for (qsizetype t = m_members[i].valueToken;
         t < tokens.size() && tokens[t].offset < m_members[i].valueEnd && out.size() < maxBytes; ++t) {
        out.append(m_text.sliced(tokens[t].offset, tokens[t].length));
    }
    return out;
}

QJsonValue JsonObjectView::value(QByteArrayView key) const
{
    const QByteArrayView text = raw(key);
    if (text.isEmpty()) {
        return QJsonValue(QJsonValue::Undefined);
    }
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text.toByteArray() + "]");
    return doc.array().first();
}

QStringList JsonObjectView::keys() const
{
    QStringList out;
    for (const Member& m : m_members) {
        out << QString::fromUtf8(m.key);
    }
    return out;
}

} // namespace tb::jose
