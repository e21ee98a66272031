#include "audit/crack/Candidates.h"

#include <array>
#include <cstring>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QUrl>

#include "base/Limits.h"

namespace tb::audit::crack {

namespace {

const std::uint8_t* bytesOf(QByteArrayView v)
{
    static const std::uint8_t empty = 0;
    return v.isEmpty() ? &empty : reinterpret_cast<const std::uint8_t*>(v.data());
}

bool put(CandidateSink& sink, QByteArrayView v)
{
    return sink.add(bytesOf(v), std::size_t(v.size()));
}

char asciiLower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

char asciiUpper(char c)
{
    return (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c;
}

QByteArray mapBytes(QByteArrayView word, char (*fn)(char))
{
    QByteArray out(word.data(), word.size());
    for (char& c : out) {
        c = fn(c);
    }
    return out;
}

QByteArray capitalised(QByteArrayView word)
{
    QByteArray out = mapBytes(word, asciiLower);
    if (!out.isEmpty()) {
        out[0] = asciiUpper(out[0]);
    }
    return out;
}

char leetDigits(char c)
{
    switch (asciiLower(c)) {
    case 'a':
        return '4';
    case 'e':
        return '3';
    case 'i':
        return '1';
    case 'o':
        return '0';
    case 's':
        return '5';
    case 't':
        return '7';
    default:
        return c;
    }
}

char leetSymbols(char c)
{
    switch (asciiLower(c)) {
    case 'a':
        return '@';
    case 'e':
        return '3';
    case 'i':
        return '!';
    case 'l':
        return '1';
    case 'o':
        return '0';
    case 's':
        return '$';
    default:
        return c;
    }
}

const QList<QByteArray>& suffixes()
{
    static const QList<QByteArray> list = [] {
        QList<QByteArray> s;
        for (int i = 0; i < 10; ++i) {
            s.append(QByteArray::number(i));
        }
        for (int i = 0; i < 100; ++i) {
            s.append(QByteArray::number(i).rightJustified(2, '0'));
        }
        for (const char* x : {"123", "1234", "12345", "123456", "!"}) {
            s.append(QByteArray(x));
        }
        for (int y = 1970; y <= 2030; ++y) {
            s.append(QByteArray::number(y));
        }
        return s;
    }();
    return list;
}

int base64Value(char c, bool* url, bool* std)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '-' || c == '_') {
        *url = true;
        return c == '-' ? 62 : 63;
    }
    if (c == '+' || c == '/') {
        *std = true;
        return c == '+' ? 62 : 63;
    }
    return -1;
}

// The bytes a word decodes to as base64 or base64url (padding optional, unused bits ignored), or nothing.
std::optional<QByteArray> decodeBase64Word(QByteArrayView word)
{
    qsizetype n = word.size();
    while (n > 0 && word[n - 1] == '=') {
        --n;
    }
    const qsizetype padding = word.size() - n;
    if (n < 2 || n % 4 == 1 || padding > 2 || (padding > 0 && (n + padding) % 4 != 0)) {
        return std::nullopt;
    }
    bool url = false;
    bool std = false;
    QByteArray out;
    out.reserve(n * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const int v = base64Value(word[i], &url, &std);
        if (v < 0 || (url && std)) {
            return std::nullopt;
        }
        acc = (acc << 6) | std::uint32_t(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.append(char((acc >> bits) & 0xff));
        }
    }
    return out;
}

} // namespace

bool forEachVariant(QByteArrayView word, const VariantOptions& options, CandidateSink& sink)
{
    if (!put(sink, word)) {
        return false;
    }
    if (options.rules) {
        // Same-length variants can collide with each other (a word already lower case), so deduplicate them;
        // suffixed variants are longer and distinct by construction.
        std::array<QByteArray, 6> same = {QByteArray(word.data(), word.size()), mapBytes(word, asciiLower),
                                          mapBytes(word, asciiUpper),           capitalised(word),
                                          mapBytes(word, leetDigits),           mapBytes(word, leetSymbols)};
        for (std::size_t i = 1; i < same.size(); ++i) {
            bool seen = false;
            for (std::size_t j = 0; j < i && !seen; ++j) {
                seen = same[j] == same[i];
            }
            if (!seen && !put(sink, same[i])) {
                return false;
            }
        }
        std::vector<QByteArrayView> bases = {word};
        if (same[3] != same[0]) {
            bases.emplace_back(same[3]);
        }
        std::vector<char> buffer;
        for (QByteArrayView base : bases) {
            for (const QByteArray& suffix : suffixes()) {
                buffer.assign(base.begin(), base.end());
                buffer.insert(buffer.end(), suffix.begin(), suffix.end());
                if (!put(sink, QByteArrayView(buffer.data(), qsizetype(buffer.size())))) {
                    return false;
                }
            }
        }
    }
    if (options.base64) {
        // Decoded bytes are shorter than the word, so they never equal a variant above.
        if (const auto decoded = decodeBase64Word(word); decoded && !decoded->isEmpty()) {
            if (!put(sink, *decoded)) {
                return false;
            }
        }
    }
    return true;
}

int maxVariantsPerWord(const VariantOptions& options)
{
    return 1 + (options.rules ? 5 + 2 * int(suffixes().size()) : 0) + (options.base64 ? 1 : 0);
}

// ---- WordlistSource

Result<std::unique_ptr<WordlistSource>> WordlistSource::open(const QString& path, const VariantOptions& options)
{
    auto file = std::make_unique<QFile>(path);
    if (!file->open(QIODevice::ReadOnly)) {
        return fail(ErrorCode::IoError,
                    QStringLiteral("Cannot read the wordlist %1: %2.").arg(path, file->errorString()));
    }
    std::unique_ptr<WordlistSource> source(new WordlistSource);
    source->m_options = options;
    const qint64 size = file->size();
    uchar* mapped = size > 0 ? file->map(0, size) : nullptr;
    if (mapped != nullptr) {
        source->m_data = reinterpret_cast<const char*>(mapped);
        source->m_size = std::uint64_t(size);
        source->m_file = std::move(file);
    } else {
        // Not mappable (a pipe, a character device, an empty file): read it, bounded.
        constexpr qint64 maxRead = qint64(1) << 31;
        source->m_bytes = file->read(maxRead);
        if (!file->atEnd() && file->bytesAvailable() > 0) {
            return fail(ErrorCode::TooLarge, QStringLiteral("The wordlist %1 is larger than 2 GiB and cannot be "
                                                            "mapped; split it.")
                                                 .arg(path));
        }
        source->m_data = source->m_bytes.constData();
        source->m_size = std::uint64_t(source->m_bytes.size());
    }
    source->index();
    return source;
}

std::unique_ptr<WordlistSource> WordlistSource::fromBytes(QByteArray bytes, const VariantOptions& options)
{
    std::unique_ptr<WordlistSource> source(new WordlistSource);
    source->m_options = options;
    source->m_bytes = std::move(bytes);
    source->m_data = source->m_bytes.constData();
    source->m_size = std::uint64_t(source->m_bytes.size());
    source->index();
    return source;
}

void WordlistSource::index()
{
    std::uint64_t off = 0;
    while (off < m_size) {
        if (m_lines % kBlock == 0) {
            m_blockStart.push_back(off);
        }
        const void* nl = std::memchr(m_data + off, '\n', m_size - off);
        const std::uint64_t end = nl ? std::uint64_t(static_cast<const char*>(nl) - m_data) : m_size;
        std::uint64_t len = end - off;
        if (nl && len > 0 && m_data[end - 1] == '\r') {
            --len;
        }
        ++m_lines;
        if (len > limits::maxWordlistLineBytes) {
            if (m_overLong++ == 0) {
                m_firstOverLong = m_lines;
            }
        }
        off = end + 1;
    }
}

double WordlistSource::candidatesPerUnit() const
{
    return maxVariantsPerWord(m_options);
}

bool WordlistSource::generate(std::uint64_t begin, std::uint64_t end, CandidateSink& sink) const
{
    end = std::min(end, m_lines);
    if (begin >= end) {
        return true;
    }
    std::uint64_t off = m_blockStart[begin / kBlock];
    for (std::uint64_t skip = begin % kBlock; skip > 0; --skip) {
        const void* nl = std::memchr(m_data + off, '\n', m_size - off);
        off = std::uint64_t(static_cast<const char*>(nl) - m_data) + 1;
    }
    for (std::uint64_t line = begin; line < end; ++line) {
        const void* nl = std::memchr(m_data + off, '\n', m_size - off);
        const std::uint64_t stop = nl ? std::uint64_t(static_cast<const char*>(nl) - m_data) : m_size;
        std::uint64_t len = stop - off;
        if (nl && len > 0 && m_data[stop - 1] == '\r') {
            --len;
        }
        if (len <= limits::maxWordlistLineBytes &&
            !forEachVariant(QByteArrayView(m_data + off, qsizetype(len)), m_options, sink)) {
            return false;
        }
        off = stop + 1;
    }
    return true;
}

// ---- WordsSource

WordsSource::WordsSource(QList<QByteArray> words, const VariantOptions& options)
    : m_words(std::move(words))
    , m_options(options)
{}

double WordsSource::candidatesPerUnit() const
{
    return maxVariantsPerWord(m_options);
}

bool WordsSource::generate(std::uint64_t begin, std::uint64_t end, CandidateSink& sink) const
{
    end = std::min(end, units());
    for (std::uint64_t i = begin; i < end; ++i) {
        if (!forEachVariant(m_words[qsizetype(i)], m_options, sink)) {
            return false;
        }
    }
    return true;
}

// ---- MaskSource

namespace {

QByteArray range(char first, char last)
{
    QByteArray out;
    for (int c = static_cast<unsigned char>(first); c <= static_cast<unsigned char>(last); ++c) {
        out.append(char(c));
    }
    return out;
}

std::optional<QByteArray> builtinCharset(char id)
{
    switch (id) {
    case 'l':
        return range('a', 'z');
    case 'u':
        return range('A', 'Z');
    case 'd':
        return range('0', '9');
    case 'h':
        return range('0', '9') + range('a', 'f');
    case 'H':
        return range('0', '9') + range('A', 'F');
    case 's':
        return QByteArray(" !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");
    case 'a':
        return range('a', 'z') + range('A', 'Z') + range('0', '9') + QByteArray(" !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");
    case 'b': {
        QByteArray all(256, '\0');
        for (int i = 0; i < 256; ++i) {
            all[i] = char(i);
        }
        return all;
    }
    case '?':
        return QByteArray("?");
    default:
        return std::nullopt;
    }
}

QByteArray dedupe(const QByteArray& chars)
{
    std::array<bool, 256> seen{};
    QByteArray out;
    for (char c : chars) {
        if (!seen[static_cast<unsigned char>(c)]) {
            seen[static_cast<unsigned char>(c)] = true;
            out.append(c);
        }
    }
    return out;
}

// Expands a custom charset definition (built-in ?x allowed, ?1..?4 not).
Result<QByteArray> expandCustom(const QByteArray& text, int number)
{
    QByteArray out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != '?') {
            out.append(text[i]);
            continue;
        }
        if (i + 1 >= text.size()) {
            return fail(
                ErrorCode::InvalidArgument,
                QStringLiteral("Custom charset %1 ends with a lone '?' (write ?? for a question mark).").arg(number));
        }
        const auto set = builtinCharset(text[++i]);
        if (!set) {
            return fail(ErrorCode::InvalidArgument, QStringLiteral("Custom charset %1 uses ?%2, which is not one of "
                                                                   "?l ?u ?d ?s ?a ?b ?h ?H ??.")
                                                        .arg(number)
                                                        .arg(QLatin1Char(text[i])));
        }
        out += *set;
    }
    if (out.isEmpty()) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("Custom charset %1 is empty.").arg(number));
    }
    return dedupe(out);
}

} // namespace

Result<std::unique_ptr<MaskSource>> MaskSource::create(QByteArrayView mask, const MaskOptions& options)
{
    constexpr int maxPositions = 256;
    std::unique_ptr<MaskSource> source(new MaskSource);
    for (qsizetype i = 0; i < mask.size(); ++i) {
        if (mask[i] != '?') {
            source->m_positions.emplace_back(1, mask[i]);
            continue;
        }
        if (i + 1 >= mask.size()) {
            return fail(ErrorCode::InvalidArgument, QStringLiteral("The mask ends with a lone '?' (write ?? for a "
                                                                   "question mark)."));
        }
        const char id = mask[++i];
        if (id >= '1' && id <= '4') {
            const int n = id - '0';
            if (n > options.customCharsets.size() || options.customCharsets[n - 1].isEmpty()) {
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("The mask uses ?%1 but custom charset %1 is not given.").arg(n));
            }
            auto set = expandCustom(options.customCharsets[n - 1], n);
            if (!set) {
                return std::unexpected(set.error());
            }
            source->m_positions.push_back(*set);
            continue;
        }
        const auto set = builtinCharset(id);
        if (!set) {
            return fail(ErrorCode::InvalidArgument, QStringLiteral("The mask uses ?%1, which is not one of ?l ?u ?d ?s "
                                                                   "?a ?b ?h ?H ?1-?4 ??.")
                                                        .arg(QLatin1Char(id)));
        }
        source->m_positions.push_back(*set);
    }
    const int n = int(source->m_positions.size());
    if (n == 0) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The mask is empty."));
    }
    if (n > maxPositions) {
        return fail(ErrorCode::TooLarge,
                    QStringLiteral("The mask has %1 positions; the limit is %2.").arg(n).arg(maxPositions));
    }
    int lo = n;
    int hi = n;
    if (options.incrementMin > 0 || options.incrementMax > 0) {
        lo = options.incrementMin > 0 ? options.incrementMin : 1;
        hi = options.incrementMax > 0 ? options.incrementMax : n;
        if (lo > hi || hi > n) {
            return fail(ErrorCode::InvalidArgument, QStringLiteral("The increment range %1-%2 does not fit a mask of "
                                                                   "%3 positions.")
                                                        .arg(lo)
                                                        .arg(hi)
                                                        .arg(n));
        }
    }
    std::uint64_t count = 1;
    for (int len = 1; len <= hi; ++len) {
        if (__builtin_mul_overflow(count, std::uint64_t(source->m_positions[std::size_t(len - 1)].size()), &count)) {
            return fail(ErrorCode::TooLarge, QStringLiteral("The mask's keyspace is larger than 2^64 candidates."));
        }
        if (len >= lo) {
            source->m_segments.push_back({len, source->m_total, count});
            if (__builtin_add_overflow(source->m_total, count, &source->m_total)) {
                return fail(ErrorCode::TooLarge, QStringLiteral("The mask's keyspace is larger than 2^64 candidates."));
            }
        }
    }
    return source;
}

bool MaskSource::generate(std::uint64_t begin, std::uint64_t end, CandidateSink& sink) const
{
    end = std::min(end, m_total);
    std::vector<std::uint32_t> digits;
    std::vector<std::uint8_t> buffer;
    for (const Segment& seg : m_segments) {
        const std::uint64_t segEnd = seg.first + seg.count;
        if (segEnd <= begin || seg.first >= end) {
            continue;
        }
        const std::uint64_t from = std::max(begin, seg.first);
        const std::uint64_t to = std::min(end, segEnd);
        const auto len = std::size_t(seg.length);
        digits.assign(len, 0);
        buffer.assign(len, 0);
        // The last position varies fastest.
        std::uint64_t index = from - seg.first;
        for (std::size_t p = len; p-- > 0;) {
            const auto radix = std::uint64_t(m_positions[p].size());
            digits[p] = std::uint32_t(index % radix);
            index /= radix;
            buffer[p] = static_cast<std::uint8_t>(m_positions[p][qsizetype(digits[p])]);
        }
        for (std::uint64_t i = from; i < to; ++i) {
            if (!sink.add(buffer.data(), len)) {
                return false;
            }
            for (std::size_t p = len; p-- > 0;) {
                const auto radix = std::uint32_t(m_positions[p].size());
                if (++digits[p] < radix) {
                    buffer[p] = static_cast<std::uint8_t>(m_positions[p][qsizetype(digits[p])]);
                    break;
                }
                digits[p] = 0;
                buffer[p] = static_cast<std::uint8_t>(m_positions[p][0]);
            }
        }
    }
    return true;
}

// ---- ChainSource

void ChainSource::append(std::unique_ptr<CandidateSource> source)
{
    m_starts.push_back(m_total);
    m_total += source->units();
    m_sources.push_back(std::move(source));
}

double ChainSource::candidatesPerUnit() const
{
    if (m_total == 0) {
        return 1.0;
    }
    double candidates = 0;
    for (const auto& s : m_sources) {
        candidates += double(s->units()) * s->candidatesPerUnit();
    }
    return candidates / double(m_total);
}

bool ChainSource::generate(std::uint64_t begin, std::uint64_t end, CandidateSink& sink) const
{
    for (std::size_t i = 0; i < m_sources.size(); ++i) {
        const std::uint64_t first = m_starts[i];
        const std::uint64_t last = first + m_sources[i]->units();
        if (last <= begin || first >= end) {
            continue;
        }
        if (!m_sources[i]->generate(std::max(begin, first) - first, std::min(end, last) - first, sink)) {
            return false;
        }
    }
    return true;
}

// ---- words from the token

namespace {

constexpr int kMaxTokenWords = 10000;

void addWord(QList<QByteArray>& out, QSet<QByteArray>& seen, const QByteArray& word)
{
    if (out.size() < kMaxTokenWords && !seen.contains(word)) {
        seen.insert(word);
        out.append(word);
    }
}

void addString(QList<QByteArray>& out, QSet<QByteArray>& seen, const QString& text)
{
    addWord(out, seen, text.toUtf8());
    const QUrl url(text, QUrl::StrictMode);
    const QString host = url.host();
    if (!url.isValid() || url.scheme().isEmpty() || host.isEmpty()) {
        return;
    }
    addWord(out, seen, host.toUtf8());
    const QStringList labels = host.split(QLatin1Char('.'), Qt::SkipEmptyParts);
    for (const QString& label : labels) {
        addWord(out, seen, label.toUtf8());
    }
    if (labels.size() > 2) {
        addWord(out, seen, labels.mid(labels.size() - 2).join(QLatin1Char('.')).toUtf8()); // example.com
    }
    if (labels.size() > 1) {
        addWord(out, seen, labels.mid(0, labels.size() - 1).join(QLatin1Char('.')).toUtf8()); // auth.example
    }
}

void collect(const QJsonValue& value, QList<QByteArray>& out, QSet<QByteArray>& seen, int depth)
{
    if (depth > 64) {
        return;
    }
    if (value.isString()) {
        addString(out, seen, value.toString());
    } else if (value.isDouble()) {
        const double d = value.toDouble();
        if (d == double(qint64(d))) {
            addWord(out, seen, QByteArray::number(qint64(d)));
        }
    } else if (value.isArray()) {
        for (const QJsonValue& v : value.toArray()) {
            collect(v, out, seen, depth + 1);
        }
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            collect(it.value(), out, seen, depth + 1);
        }
    }
}

} // namespace

QList<QByteArray> tokenWords(QByteArrayView headerJson, QByteArrayView payloadJson)
{
    QList<QByteArray> out;
    QSet<QByteArray> seen;
    for (QByteArrayView json : {headerJson, payloadJson}) {
        const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray());
        if (doc.isObject()) {
            collect(doc.object(), out, seen, 0);
        }
    }
    return out;
}

} // namespace tb::audit::crack
