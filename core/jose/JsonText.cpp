#include "JsonText.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include <QHashFunctions>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QVarLengthArray>
#include <QtEndian>

namespace tb::jose {

namespace {

// Byte classes for the string fast path: plain bytes need no further look.
enum ByteClass : std::uint8_t
{
    Plain,
    Quote,
    Backslash,
    Control,
    NonAscii,
};

constexpr std::array<std::uint8_t, 256> makeByteClasses()
{
    std::array<std::uint8_t, 256> classes{};
    for (int c = 0; c < 256; ++c) {
        classes[c] = c < 0x20 ? Control : c >= 0x80 ? NonAscii : Plain;
    }
    classes['"'] = Quote;
    classes['\\'] = Backslash;
    return classes;
}
constexpr auto byteClasses = makeByteClasses();

bool isJsonSpace(char c)
{
    // Most bytes are above ' ': one comparison rejects them.
    return static_cast<unsigned char>(c) <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

void appendUtf8(QByteArray& out, char32_t cp)
{
    if (cp < 0x80) {
        out.append(char(cp));
    } else if (cp < 0x800) {
        out.append(char(0xc0 | (cp >> 6)));
        out.append(char(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        out.append(char(0xe0 | (cp >> 12)));
        out.append(char(0x80 | ((cp >> 6) & 0x3f)));
        out.append(char(0x80 | (cp & 0x3f)));
    } else {
        out.append(char(0xf0 | (cp >> 18)));
        out.append(char(0x80 | ((cp >> 12) & 0x3f)));
        out.append(char(0x80 | ((cp >> 6) & 0x3f)));
        out.append(char(0x80 | (cp & 0x3f)));
    }
}

// Decodes the inside of a string token that is already known to be valid (escapes resolved to UTF-8).
void decodeStringBody(QByteArrayView body, QByteArray& out)
{
    out.clear();
    out.reserve(body.size());
    const qsizetype n = body.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char c = body[i];
        if (c != '\\') {
            out.append(c);
            continue;
        }
        if (i + 1 >= n) {
            break; // only a token that did not scan ends in a lone backslash: stay in bounds anyway
        }
        const char e = body[++i];
        switch (e) {
        case 'b':
            out.append('\b');
            break;
        case 'f':
            out.append('\f');
            break;
        case 'n':
            out.append('\n');
            break;
        case 'r':
            out.append('\r');
            break;
        case 't':
            out.append('\t');
            break;
        case 'u': {
            // -1 when the four digits are not there (the token did not scan).
            auto hex4 = [&](qsizetype at) {
                int v = 0;
                for (qsizetype k = 0; k < 4; ++k) {
                    const int h = at + k < n ? hexValue(body[at + k]) : -1;
                    if (h < 0) {
                        return -1;
                    }
                    v = (v << 4) | h;
                }
                return v;
            };
            const int unit = hex4(i + 1);
            if (unit < 0) {
                return;
            }
            auto cp = char32_t(unit);
            i += 4;
            const int low = (cp >= 0xd800 && cp <= 0xdbff && i + 2 < n && body[i + 1] == '\\' && body[i + 2] == 'u')
                                ? hex4(i + 3)
                                : -1;
            if (low >= 0xdc00 && low <= 0xdfff) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + (char32_t(low) - 0xdc00);
                i += 6;
            } else if (cp >= 0xd800 && cp <= 0xdfff) {
                cp = 0xfffd; // a lone surrogate (unscanned input): the replacement character
            }
            appendUtf8(out, cp);
            break;
        }
        default: // '"', '\\', '/'
            out.append(e);
            break;
        }
    }
}

// JSON Pointer escaping (RFC 6901): '~' → "~0", '/' → "~1".
QString pointerSegment(const QString& key)
{
    QString s = key;
    s.replace(u'~', QStringLiteral("~0"));
    s.replace(u'/', QStringLiteral("~1"));
    return s;
}

struct KeyEntry
{
    qsizetype tokenOffset; // offset of the key token (its opening quote)
    qsizetype dataOffset;  // decoded bytes: in the text (no escapes) or in the arena
    qsizetype dataLength;
    bool inArena;
    quint64 prefix;   // the first (up to) 8 decoded bytes: most mismatches end here without a memcmp
    std::size_t hash; // set only in objects large enough to get an index
};

// `readable`: how many bytes may be read from bytes.data() (at least bytes.size()).
quint64 keyPrefix(QByteArrayView bytes, qsizetype readable)
{
    quint64 prefix = 0;
    if (bytes.size() >= 8) {
        std::memcpy(&prefix, bytes.data(), 8); // a fixed size compiles to one load
        return prefix;
    }
    if (readable >= 8) {
        // One little-endian load, masked to the key: the same value the byte loop builds.
        return qFromLittleEndian<quint64>(bytes.data()) & ((quint64(1) << (8 * bytes.size())) - 1);
    }
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        prefix |= quint64(static_cast<unsigned char>(bytes[i])) << (8 * i);
    }
    return prefix;
}

struct Frame
{
    bool isObject = false;
    qsizetype count = 0;       // members or elements seen so far
    qsizetype keysBegin = 0;   // first KeyEntry of this object
    qsizetype arenaBegin = 0;  // arena size when the object opened
    qsizetype currentKey = -1; // KeyEntry index of the member being read (objects)
    // Slot in Scanner::m_indexes, built once an object has many keys so duplicate checks stay linear overall.
    int index = -1;
};

using KeyIndex = std::unordered_multimap<std::size_t, qsizetype>;

constexpr qsizetype indexThreshold = 16;

// Texts expected to hold more tokens than this are scanned straight into the result list.
constexpr qsizetype smallTextTokens = 1 << 14;

struct PendingDuplicate
{
    qsizetype firstEntryOffset;
    qsizetype duplicateOffset;
    QString key;
    QString path;
};

class Scanner
{
public:
    Scanner(QByteArrayView text, int maxDepth, qsizetype maxMembers, bool recordTokens)
        : m_text(text)
        , m_p(text.data())
        , m_n(text.size())
        , m_maxDepth(maxDepth)
        , m_maxMembers(maxMembers)
        , m_record(recordTokens)
    {}

    JsonScan run()
    {
        if (m_record) {
            // About one token per 4 bytes in JOSE-like text. Tokens are written through a pointer into storage
            // that is not initialised per token (an append per token costs more than the token's bytes).
            const qsizetype estimate = m_n / 4 + 16;
            m_direct = estimate > smallTextTokens;
            if (m_direct) {
                // A large text writes straight into the result, grown in place: a copy of megabytes of tokens
                // costs more in fresh pages than the scan itself. It starts small, so that hostile text which
                // fails early zeroes little.
                m_capacity = std::min(estimate, 4 * smallTextTokens);
                m_scan.tokens.resize(m_capacity);
                m_out = m_scan.tokens.data();
            } else {
                m_tokenBuffer.resize(estimate);
                m_out = m_tokenBuffer.data();
                m_capacity = estimate;
            }
        }
        parse();
        if (m_record) {
            if (m_direct) {
                m_scan.tokens.resize(m_count);
                m_scan.tokens.squeeze();
            } else {
                m_scan.tokens = QList<JsonToken>(m_tokenBuffer.cbegin(), m_tokenBuffer.cbegin() + m_count);
            }
        }
        resolvePositions();
        return std::move(m_scan);
    }

private:
    bool parse()
    {
        skipSpace();
        if (m_i == m_n) {
            return error(m_i, m_n == 0 ? QStringLiteral("The text is empty; expected a JSON value.")
                                       : QStringLiteral("The text holds only whitespace; expected a JSON value."));
        }
        if (m_n >= 3 && m_p[0] == '\xEF' && m_p[1] == '\xBB' && m_p[2] == '\xBF') {
            return error(0, QStringLiteral("The text starts with a byte order mark, which JSON does not allow."));
        }
        m_scan.topLevelIsObject = m_p[m_i] == '{';
        // An explicit stack instead of recursion: hostile nesting cannot exhaust the call stack.
        bool expectValue = true;
        while (true) {
            if (expectValue) {
                skipSpace();
                if (m_i < m_n && (m_p[m_i] == '{' || m_p[m_i] == '[')) {
                    if (!openContainer(m_p[m_i] == '{', expectValue)) {
                        return false;
                    }
                    continue;
                }
                if (!parseScalar()) {
                    return false;
                }
            }
            // After a complete value: close or continue the enclosing container.
            expectValue = false;
            skipSpace();
            if (m_frames.empty()) {
                if (m_i != m_n) {
                    return error(m_i, QStringLiteral("Unexpected text after the JSON value."));
                }
                return true;
            }
            const bool inObject = m_frames.back().isObject;
            if (m_i == m_n) {
                return error(m_i, inObject ? QStringLiteral("The text ends inside an object.")
                                           : QStringLiteral("The text ends inside an array."));
            }
            const char c = m_p[m_i];
            if (c == ',') {
                push(JsonTokenType::Comma, m_i, 1, depth(), false);
                ++m_i;
                if (!beginItem() || (inObject && !parseKey(false))) {
                    return false;
                }
                expectValue = true;
            } else if (c == (inObject ? '}' : ']')) {
                closeContainer();
            } else {
                return error(m_i, inObject ? QStringLiteral("Expected ',' or '}' after an object member.")
                                           : QStringLiteral("Expected ',' or ']' after an array element."));
            }
        }
    }

    bool parseScalar()
    {
        if (m_i == m_n) {
            return error(m_i, QStringLiteral("The text ends where a value was expected."));
        }
        const char c = m_p[m_i];
        switch (c) {
        case '"':
            return parseString(false);
        case 't':
            return parseLiteral("true", JsonTokenType::True);
        case 'f':
            return parseLiteral("false", JsonTokenType::False);
        case 'n':
            return parseLiteral("null", JsonTokenType::Null);
        default:
            if (c == '-' || isDigit(c)) {
                return parseNumber();
            }
            if (c == ']' || c == '}') {
                return error(m_i,
                             QStringLiteral("Expected a value before '%1' (a trailing comma?).").arg(QLatin1Char(c)));
            }
            return error(m_i, QStringLiteral("Expected a JSON value, found %1.").arg(describeByte(m_i)));
        }
    }

    // Opens a container and reads up to its first value; `expectValue` tells the caller what comes next.
    bool openContainer(bool isObject, bool& expectValue)
    {
        if (int(m_frames.size()) >= m_maxDepth) [[unlikely]] {
            return error(m_i, QStringLiteral("The JSON nesting is deeper than the limit of %1 levels.").arg(m_maxDepth),
                         JsonErrorKind::TooDeep);
        }
        push(isObject ? JsonTokenType::BeginObject : JsonTokenType::BeginArray, m_i, 1, depth(), false);
        ++m_i;
        Frame frame;
        frame.isObject = isObject;
        frame.keysBegin = qsizetype(m_keys.size());
        frame.arenaBegin = m_arena.size();
        m_frames.append(frame);
        skipSpace();
        if (m_i < m_n && m_p[m_i] == (isObject ? '}' : ']')) {
            closeContainer();
            expectValue = false;
            return true;
        }
        expectValue = true;
        return beginItem() && (!isObject || parseKey(true));
    }

    void closeContainer()
    {
        Frame& top = m_frames.back();
        m_keys.resize(top.keysBegin);
        m_arena.truncate(top.arenaBegin);
        if (top.index >= 0) {
            m_indexes.pop_back(); // indexes belong to open objects only, innermost last
        }
        const bool isObject = top.isObject;
        m_frames.removeLast();
        push(isObject ? JsonTokenType::EndObject : JsonTokenType::EndArray, m_i, 1, depth(), false);
        ++m_i;
    }

    bool beginItem()
    {
        if (++m_frames.back().count > m_maxMembers) [[unlikely]] {
            return tooManyMembers();
        }
        return true;
    }

    Q_NEVER_INLINE bool tooManyMembers()
    {
        const bool isObject = m_frames.back().isObject;
        return error(m_i,
                     QStringLiteral("An %1 has more than the limit of %2 %3.")
                         .arg(isObject ? QStringLiteral("object") : QStringLiteral("array"))
                         .arg(m_maxMembers)
                         .arg(isObject ? QStringLiteral("members") : QStringLiteral("elements")),
                     JsonErrorKind::TooManyMembers);
    }

    // Reads `"key" :` of a member; `first` tells the message for a misplaced '}'.
    bool parseKey(bool first)
    {
        skipSpace();
        if (m_i == m_n) {
            return error(m_i, QStringLiteral("The text ends where an object key was expected."));
        }
        if (m_p[m_i] != '"') {
            if (m_p[m_i] == '}' && !first) {
                return error(m_i, QStringLiteral("Expected an object key after ',' (a trailing comma?)."));
            }
            return error(m_i, QStringLiteral("Expected a string as object key, found %1.").arg(describeByte(m_i)));
        }
        if (!parseString(true)) {
            return false;
        }
        skipSpace();
        if (m_i == m_n || m_p[m_i] != ':') {
            return error(m_i, QStringLiteral("Expected ':' after an object key."));
        }
        push(JsonTokenType::Colon, m_i, 1, depth(), false);
        ++m_i;
        return true;
    }

    bool parseString(bool isKey)
    {
        const qsizetype start = m_i;
        bool escaped = false;
        ++m_i;
        while (true) {
            // Fast path over plain ASCII.
            qsizetype i = m_i;
            const char* p = m_p;
            const qsizetype n = m_n;
            while (i < n && byteClasses[static_cast<unsigned char>(p[i])] == Plain) {
                ++i;
            }
            m_i = i;
            if (m_i == m_n) {
                return error(start, QStringLiteral("The string that starts here is not closed."));
            }
            const auto c = static_cast<unsigned char>(m_p[m_i]);
            switch (byteClasses[c]) {
            case Quote:
                ++m_i;
                push(JsonTokenType::String, start, m_i - start, depth(), isKey, escaped);
                // Duplicate keys matter only to a full scan; parseObject's validity check skips them.
                return !isKey || !m_record || recordKey(start, escaped);
            case Backslash:
                escaped = true;
                if (!parseEscape()) {
                    return false;
                }
                break;
            case Control:
                return error(m_i, QStringLiteral("Control character 0x%1 must be escaped inside a string.")
                                      .arg(int(c), 2, 16, QChar(u'0')));
            default:
                if (!skipUtf8()) {
                    return false;
                }
                break;
            }
        }
    }

    bool parseEscape()
    {
        const qsizetype at = m_i;
        if (m_i + 1 >= m_n) {
            return error(at, QStringLiteral("The text ends inside an escape sequence."));
        }
        const char e = m_p[m_i + 1];
        switch (e) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            m_i += 2;
            return true;
        case 'u':
            break;
        default:
            return error(at, QStringLiteral("Invalid escape sequence '\\%1' in a string.").arg(describeChar(e)));
        }
        const int unit = readHex4(m_i + 2);
        if (unit < 0) {
            return error(at, QStringLiteral("'\\u' must be followed by four hexadecimal digits."));
        }
        m_i += 6;
        if (unit >= 0xdc00 && unit <= 0xdfff) {
            return error(at, QStringLiteral("Lone low surrogate \\u%1 (it must follow a high surrogate).")
                                 .arg(unit, 4, 16, QChar(u'0')));
        }
        if (unit >= 0xd800 && unit <= 0xdbff) {
            const int low = (m_i + 1 < m_n && m_p[m_i] == '\\' && m_p[m_i + 1] == 'u') ? readHex4(m_i + 2) : -1;
            if (low < 0xdc00 || low > 0xdfff) {
                return error(at, QStringLiteral("High surrogate \\u%1 is not followed by a low surrogate escape.")
                                     .arg(unit, 4, 16, QChar(u'0')));
            }
            m_i += 6;
        }
        return true;
    }

    int readHex4(qsizetype at) const
    {
        if (at + 4 > m_n) {
            return -1;
        }
        int v = 0;
        for (qsizetype k = 0; k < 4; ++k) {
            const int h = hexValue(m_p[at + k]);
            if (h < 0) {
                return -1;
            }
            v = (v << 4) | h;
        }
        return v;
    }

    // RFC 3629 well-formed sequences only: no overlongs, no surrogates, nothing past U+10FFFF.
    bool skipUtf8()
    {
        const auto* s = reinterpret_cast<const unsigned char*>(m_p);
        const unsigned char b0 = s[m_i];
        int extra = 0;
        unsigned char lo = 0x80;
        unsigned char hi = 0xbf;
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            extra = 1;
        } else if (b0 >= 0xe0 && b0 <= 0xef) {
            extra = 2;
            lo = b0 == 0xe0 ? 0xa0 : 0x80;
            hi = b0 == 0xed ? 0x9f : 0xbf;
        } else if (b0 >= 0xf0 && b0 <= 0xf4) {
            extra = 3;
            lo = b0 == 0xf0 ? 0x90 : 0x80;
            hi = b0 == 0xf4 ? 0x8f : 0xbf;
        } else {
            return error(
                m_i, QStringLiteral("Invalid UTF-8: byte 0x%1 cannot start a character.").arg(b0, 2, 16, QChar(u'0')));
        }
        for (int k = 1; k <= extra; ++k) {
            if (m_i + k >= m_n) {
                return error(m_i, QStringLiteral("Invalid UTF-8: the text ends inside a character."));
            }
            const unsigned char b = s[m_i + k];
            const unsigned char min = k == 1 ? lo : 0x80;
            const unsigned char max = k == 1 ? hi : 0xbf;
            if (b < min || b > max) {
                return error(
                    m_i, QStringLiteral("Invalid UTF-8 sequence starting with byte 0x%1.").arg(b0, 2, 16, QChar(u'0')));
            }
        }
        m_i += extra + 1;
        return true;
    }

    bool parseNumber()
    {
        const qsizetype start = m_i;
        const char* p = m_p;
        const qsizetype n = m_n;
        qsizetype i = m_i;
        auto digits = [&] {
            while (i < n && isDigit(p[i])) {
                ++i;
            }
        };
        if (p[i] == '-') {
            ++i;
        }
        if (i == n || !isDigit(p[i])) {
            return error(i, QStringLiteral("Expected a digit after '-'."));
        }
        if (p[i] == '0') {
            ++i;
            if (i < n && isDigit(p[i])) {
                return error(start, QStringLiteral("Numbers must not have leading zeros."));
            }
        } else {
            digits();
        }
        if (i < n && p[i] == '.') {
            ++i;
            if (i == n || !isDigit(p[i])) {
                return error(i, QStringLiteral("Expected a digit after the decimal point."));
            }
            digits();
        }
        if (i < n && (p[i] == 'e' || p[i] == 'E')) {
            ++i;
            if (i < n && (p[i] == '+' || p[i] == '-')) {
                ++i;
            }
            if (i == n || !isDigit(p[i])) {
                return error(i, QStringLiteral("Expected a digit in the exponent."));
            }
            digits();
        }
        m_i = i;
        push(JsonTokenType::Number, start, i - start, depth(), false);
        return true;
    }

    bool parseLiteral(const char* word, JsonTokenType type)
    {
        const auto len = qsizetype(std::strlen(word));
        if (m_i + len > m_n || std::memcmp(m_p + m_i, word, std::size_t(len)) != 0) {
            return error(m_i, QStringLiteral("Expected a JSON value, found %1 (literals are true, false and null).")
                                  .arg(describeByte(m_i)));
        }
        push(type, m_i, len, depth(), false);
        m_i += len;
        return true;
    }

    // Duplicate detection on decoded key bytes, so "a" and "\u0061" collide.
    bool recordKey(qsizetype start, bool escaped)
    {
        Frame& top = m_frames.back();
        KeyEntry entry{start, start + 1, m_i - start - 2, false, 0, 0};
        if (escaped) {
            decodeStringBody(m_text.sliced(start + 1, m_i - start - 2), m_scratch);
            entry.dataOffset = m_arena.size();
            entry.dataLength = m_scratch.size();
            entry.inArena = true;
            m_arena.append(m_scratch);
        }
        const QByteArrayView bytes = keyBytes(entry);
        entry.prefix = keyPrefix(bytes, entry.inArena ? bytes.size() : m_n - entry.dataOffset);
        const qsizetype found = findKey(top, entry, bytes);
        if (found >= 0) {
            // The first occurrence stays the one to compare against.
            top.currentKey = found;
            m_pending.push_back(
                PendingDuplicate{m_keys[found].tokenOffset, start, QString::fromUtf8(bytes), currentPath()});
            return true;
        }
        const qsizetype index = m_keys.size();
        m_keys.append(entry);
        top.currentKey = index;
        if (top.index >= 0) {
            m_indexes.back().emplace(entry.hash, index);
        } else if (index - top.keysBegin + 1 >= indexThreshold) {
            KeyIndex& keyIndex = m_indexes.emplace_back();
            for (qsizetype k = top.keysBegin; k <= index; ++k) {
                KeyEntry& e = m_keys[k];
                e.hash = hashKey(keyBytes(e));
                keyIndex.emplace(e.hash, k);
            }
            top.index = int(m_indexes.size()) - 1;
        }
        return true;
    }

    // Small objects compare bytes directly; large ones go through a seeded hash index.
    qsizetype findKey(const Frame& top, KeyEntry& entry, QByteArrayView bytes) const
    {
        if (top.index >= 0) {
            entry.hash = hashKey(bytes);
            const auto range = m_indexes[std::size_t(top.index)].equal_range(entry.hash);
            for (auto it = range.first; it != range.second; ++it) {
                if (keyBytes(m_keys[it->second]) == bytes) {
                    return it->second;
                }
            }
            return -1;
        }
        for (qsizetype k = top.keysBegin; k < m_keys.size(); ++k) {
            const KeyEntry& other = m_keys[k];
            if (other.dataLength == entry.dataLength && other.prefix == entry.prefix &&
                (entry.dataLength <= 8 || keyBytes(other) == bytes)) {
                return k;
            }
        }
        return -1;
    }

    static std::size_t hashKey(QByteArrayView bytes)
    {
        return qHashBits(bytes.data(), std::size_t(bytes.size()), qGlobalQHashSeed());
    }

    QByteArrayView keyBytes(const KeyEntry& entry) const
    {
        return entry.inArena ? QByteArrayView(m_arena).sliced(entry.dataOffset, entry.dataLength)
                             : m_text.sliced(entry.dataOffset, entry.dataLength);
    }

    // JSON Pointer of the innermost open object (the one holding the key just read).
    QString currentPath() const
    {
        QString path;
        for (qsizetype f = 0; f + 1 < m_frames.size(); ++f) {
            const Frame& frame = m_frames[f];
            path += u'/';
            if (frame.isObject) {
                path += pointerSegment(QString::fromUtf8(keyBytes(m_keys[frame.currentKey])));
            } else {
                path += QString::number(frame.count - 1);
            }
        }
        return path;
    }

    void push(JsonTokenType type, qsizetype offset, qsizetype length, int tokenDepth, bool isKey, bool escaped = false)
    {
        if (m_record) {
            if (m_count == m_capacity) [[unlikely]] {
                growTokens();
            }
            m_out[m_count++] = JsonToken{type, offset, length, tokenDepth, isKey, escaped};
        }
    }

    Q_NEVER_INLINE void growTokens()
    {
        if (m_direct) {
            // A quarter more: the pages a resize zeroes are pages the scan will mostly fill.
            m_capacity += m_capacity / 4;
            m_scan.tokens.resize(m_capacity);
            m_out = m_scan.tokens.data();
            return;
        }
        m_capacity *= 2;
        m_tokenBuffer.resize(m_capacity);
        m_out = m_tokenBuffer.data();
    }

    int depth() const { return int(m_frames.size()); }

    // Hot loops work on locals: a char read may alias m_i, which would force a store per byte.
    void skipSpace()
    {
        qsizetype i = m_i;
        while (i < m_n && isJsonSpace(m_p[i])) {
            ++i;
        }
        m_i = i;
    }

    QString describeByte(qsizetype at) const
    {
        if (at >= m_n) {
            return QStringLiteral("the end of the text");
        }
        const auto u = static_cast<unsigned char>(m_p[at]);
        return u >= 0x21 && u < 0x7f ? QStringLiteral("'%1'").arg(QLatin1Char(m_p[at]))
                                     : QStringLiteral("byte 0x%1").arg(int(u), 2, 16, QChar(u'0'));
    }

    static QString describeChar(char c)
    {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x21 && u < 0x7f ? QString(QLatin1Char(c)) : QStringLiteral("0x%1").arg(int(u), 2, 16, QChar(u'0'));
    }

    Q_NEVER_INLINE Q_DECL_COLD_FUNCTION bool error(qsizetype offset, QString message,
                                                   JsonErrorKind kind = JsonErrorKind::Syntax)
    {
        JsonSyntaxError e;
        e.position.offset = offset;
        e.message = std::move(message);
        e.kind = kind;
        m_scan.error = std::move(e);
        return false;
    }

    // Line and column for every reported offset, in one pass over the text.
    void resolvePositions()
    {
        if (!m_scan.error && m_pending.empty()) {
            return; // also spares a null QList the allocation that non-const begin() would make
        }
        std::vector<JsonPosition*> wanted;
        if (m_scan.error) {
            wanted.push_back(&m_scan.error->position);
        }
        for (PendingDuplicate& p : m_pending) {
            JsonDuplicateKey d;
            d.key = std::move(p.key);
            d.path = std::move(p.path);
            d.first.offset = p.firstEntryOffset;
            d.duplicate.offset = p.duplicateOffset;
            m_scan.duplicates.append(std::move(d));
        }
        for (JsonDuplicateKey& d : m_scan.duplicates) {
            wanted.push_back(&d.first);
            wanted.push_back(&d.duplicate);
        }
        std::sort(wanted.begin(), wanted.end(),
                  [](const JsonPosition* a, const JsonPosition* b) { return a->offset < b->offset; });
        qsizetype at = 0;
        int line = 1;
        qsizetype lineStart = 0;
        for (JsonPosition* pos : wanted) {
            const qsizetype target = std::min(pos->offset, m_n);
            for (; at < target; ++at) {
                if (m_p[at] == '\n') {
                    ++line;
                    lineStart = at + 1;
                }
            }
            pos->line = line;
            pos->column = int(pos->offset - lineStart + 1);
        }
    }

    QByteArrayView m_text;
    const char* m_p;
    qsizetype m_n;
    qsizetype m_i = 0;
    int m_maxDepth;
    qsizetype m_maxMembers;
    bool m_record; // a full scan: tokens and duplicate keys; otherwise validity only
    JsonScan m_scan;
    static_assert(std::is_trivial_v<JsonToken>);  // so the buffer's resize leaves the tokens uninitialised
    QVarLengthArray<JsonToken, 96> m_tokenBuffer; // small texts: copied once, at the exact size, at the end
    bool m_direct = false;                        // large texts: tokens written into m_scan.tokens
    JsonToken* m_out = nullptr;                   // where the tokens go while recording
    qsizetype m_count = 0;                        // tokens written
    qsizetype m_capacity = 0;                     // tokens that fit at m_out
    // Inline storage: a typical JOSE header or payload scans without touching the heap.
    QVarLengthArray<Frame, 16> m_frames;
    QVarLengthArray<KeyEntry, 32> m_keys;
    std::vector<KeyIndex> m_indexes;
    std::vector<PendingDuplicate> m_pending;
    QByteArray m_arena;
    QByteArray m_scratch;
};

void appendIndent(QByteArray& out, int level, int indent)
{
    out.append('\n');
    out.append(qsizetype(level) * indent, ' ');
}

// Replaces [from, to) of `text` with `with`.
QByteArray spliced(QByteArrayView text, qsizetype from, qsizetype to, QByteArrayView with)
{
    QByteArray out;
    out.reserve(text.size() - (to - from) + with.size());
    out.append(text.first(from));
    out.append(with);
    out.append(text.sliced(to));
    return out;
}

// Index of the token that ends the value starting at token `i` (the matching end for containers).
qsizetype valueEnd(const QList<JsonToken>& tokens, qsizetype i)
{
    const JsonToken& t = tokens[i];
    if (t.type != JsonTokenType::BeginObject && t.type != JsonTokenType::BeginArray) {
        return i;
    }
    qsizetype j = i + 1;
    while (tokens[j].depth != t.depth ||
           (tokens[j].type != JsonTokenType::EndObject && tokens[j].type != JsonTokenType::EndArray)) {
        ++j;
    }
    return j;
}

} // namespace

JsonScan scanJson(QByteArrayView text, int maxDepth, qsizetype maxMembers)
{
    return Scanner(text, maxDepth, maxMembers, true).run();
}

Error toError(const JsonSyntaxError& error, const QString& what)
{
    const QString sentence = QStringLiteral("%1 is not valid JSON at line %2, column %3: %4")
                                 .arg(what)
                                 .arg(error.position.line)
                                 .arg(error.position.column)
                                 .arg(error.message);
    switch (error.kind) {
    case JsonErrorKind::TooDeep:
        return Error{ErrorCode::TooDeep, sentence, {}};
    case JsonErrorKind::TooManyMembers:
        return Error{ErrorCode::TooLarge, sentence, {}};
    case JsonErrorKind::Syntax:
        break;
    }
    return Error{ErrorCode::BadJson, sentence, {}};
}

QString jsonStringValue(QByteArrayView token)
{
    if (token.size() < 2) {
        return {};
    }
    const QByteArrayView body = token.sliced(1, token.size() - 2);
    // Plain ASCII (alg, kid, typ, ...) converts as Latin-1, which is the same text for ASCII and cheaper.
    const bool ascii = std::none_of(body.begin(), body.end(), [](char c) { return c == '\\' || (c & 0x80) != 0; });
    if (ascii) {
        return QString::fromLatin1(body);
    }
    if (!body.contains('\\')) {
        return QString::fromUtf8(body);
    }
    QByteArray decoded;
    decodeStringBody(body, decoded);
    return QString::fromUtf8(decoded);
}

Result<QByteArray> prettyJson(QByteArrayView text, int indent)
{
    const JsonScan scan = scanJson(text);
    if (scan.error) {
        return std::unexpected(toError(*scan.error));
    }
    const QList<JsonToken>& tokens = scan.tokens;
    QByteArray out;
    out.reserve(text.size() * 2);
    int level = 0;
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const JsonToken& t = tokens[i];
        switch (t.type) {
        case JsonTokenType::BeginObject:
        case JsonTokenType::BeginArray:
            out.append(text[t.offset]);
            if (i + 1 < tokens.size() &&
                (tokens[i + 1].type == JsonTokenType::EndObject || tokens[i + 1].type == JsonTokenType::EndArray)) {
                out.append(text[tokens[++i].offset]); // "{}" and "[]" stay on one line
            } else {
                appendIndent(out, ++level, indent);
            }
            break;
        case JsonTokenType::EndObject:
        case JsonTokenType::EndArray:
            appendIndent(out, --level, indent);
            out.append(text[t.offset]);
            break;
        case JsonTokenType::Comma:
            out.append(',');
            appendIndent(out, level, indent);
            break;
        case JsonTokenType::Colon:
            out.append(": ");
            break;
        default:
            out.append(text.sliced(t.offset, t.length));
            break;
        }
    }
    return out;
}

Result<QByteArray> compactJson(QByteArrayView text)
{
    const JsonScan scan = scanJson(text);
    if (scan.error) {
        return std::unexpected(toError(*scan.error));
    }
    QByteArray out;
    out.reserve(text.size());
    for (const JsonToken& t : scan.tokens) {
        out.append(text.sliced(t.offset, t.length));
    }
    return out;
}

Result<QJsonObject> parseObject(QByteArrayView text)
{
    return parseObject(text, Scanner(text, limits::maxJsonDepth, qsizetype(limits::maxJsonMembers), false).run());
}

Result<QJsonObject> parseObject(QByteArrayView text, const JsonScan& scan)
{
    if (scan.error) {
        return std::unexpected(toError(*scan.error));
    }
    if (!scan.topLevelIsObject) {
        return fail(ErrorCode::BadJson, QStringLiteral("The JSON text is not an object."));
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(text.data(), text.size()), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Valid RFC 8259 that Qt cannot represent, e.g. a number beyond the double range.
        return fail(ErrorCode::BadJson, QStringLiteral("The JSON text cannot be read at byte %1: %2.")
                                            .arg(parseError.offset)
                                            .arg(parseError.errorString()));
    }
    return doc.object();
}

Result<QByteArray> setTopLevelMember(QByteArrayView objectText, const QString& key, QByteArrayView valueJson,
                                     InsertAt where)
{
    const JsonScan valueScan = scanJson(valueJson);
    if (valueScan.error) {
        return std::unexpected(toError(*valueScan.error, QStringLiteral("The value for \"%1\"").arg(key)));
    }
    const JsonScan scan = scanJson(objectText);
    if (scan.error) {
        return std::unexpected(toError(*scan.error, QStringLiteral("The object text")));
    }
    if (!scan.topLevelIsObject) {
        return fail(ErrorCode::BadJson, QStringLiteral("The JSON text is not an object."));
    }
    const QList<JsonToken>& tokens = scan.tokens;
    // Top-level members: key tokens at depth 1, each followed by ':' and its value.
    qsizetype firstKey = -1;
    qsizetype lastValueEnd = -1;
    qsizetype lastKey = -1;
    for (qsizetype i = 1; i < tokens.size(); ++i) {
        const JsonToken& t = tokens[i];
        if (!(t.isKey && t.depth == 1)) {
            continue;
        }
        const qsizetype valueStart = i + 2;
        const qsizetype end = valueEnd(tokens, valueStart);
        if (jsonStringValue(objectText.sliced(t.offset, t.length)) == key) {
            const qsizetype from = tokens[valueStart].offset;
            const qsizetype to = tokens[end].offset + tokens[end].length;
            return spliced(objectText, from, to, valueJson);
        }
        if (firstKey < 0) {
            firstKey = i;
        }
        lastKey = i;
        lastValueEnd = end;
        i = end;
    }
    const QByteArray quotedKey = jsonQuote(key);
    const qsizetype open = tokens.first().offset;
    if (firstKey < 0) {
        QByteArray member = quotedKey + ':' + valueJson.toByteArray();
        return spliced(objectText, open + 1, open + 1, member);
    }
    // Follow the layout of the neighbouring member: its spacing around ':' and before the key.
    auto separator = [&](qsizetype keyIndex) {
        const JsonToken& k = tokens[keyIndex];
        const qsizetype valueOffset = tokens[keyIndex + 2].offset;
        return objectText.sliced(k.offset + k.length, valueOffset - k.offset - k.length).toByteArray();
    };
    auto leading = [&](qsizetype keyIndex) {
        const JsonToken& before = tokens[keyIndex - 1];
        const qsizetype from = before.offset + before.length;
        return objectText.sliced(from, tokens[keyIndex].offset - from).toByteArray();
    };
    if (where == InsertAt::AtStart) {
        const QByteArray member = quotedKey + separator(firstKey) + valueJson.toByteArray() + ',' + leading(firstKey);
        return spliced(objectText, tokens[firstKey].offset, tokens[firstKey].offset, member);
    }
    const JsonToken& endToken = tokens[lastValueEnd];
    const qsizetype at = endToken.offset + endToken.length;
    const QByteArray member = ',' + leading(lastKey) + quotedKey + separator(lastKey) + valueJson.toByteArray();
    return spliced(objectText, at, at, member);
}

QByteArray jsonQuote(const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 2);
    out.append('"');
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\b':
            out.append("\\b");
            break;
        case '\f':
            out.append("\\f");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            if (u < 0x20) {
                static constexpr char hex[] = "0123456789abcdef";
                out.append("\\u00");
                out.append(hex[u >> 4]);
                out.append(hex[u & 0xf]);
            } else {
                out.append(c);
            }
            break;
        }
    }
    out.append('"');
    return out;
}

} // namespace tb::jose
