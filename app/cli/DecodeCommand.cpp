#include "Commands.h"

#include <cmath>

#include "base/Bytes.h"
#include "jose/Decode.h"
#include "jose/JsonText.h"

namespace tb::cli {

namespace {

using jose::jsonQuote;

// A JSON text's own tokens joined: whitespace gone, key order and spelling kept.
QByteArray joinTokens(QByteArrayView text, const QList<jose::JsonToken>& tokens)
{
    QByteArray out;
    out.reserve(text.size());
    for (const jose::JsonToken& t : tokens) {
        out.append(text.sliced(t.offset, t.length));
    }
    return out;
}

struct TimeClaim
{
    QString name;
    double epoch = 0;
    QString utc;
};

// exp, nbf and iat when they are numbers; a number past the double range is named in `warnings` instead.
QList<TimeClaim> timeClaims(const jose::JsonObjectView& payload, QStringList& warnings)
{
    QList<TimeClaim> out;
    for (const char* name : {"exp", "nbf", "iat"}) {
        if (payload.typeOf(name) != jose::JsonTokenType::Number) {
            continue;
        }
        if (const std::optional<double> epoch = payload.number(name)) {
            out.append(TimeClaim{QString::fromLatin1(name), *epoch, bytes::utcString(*epoch)});
        } else {
            warnings << QStringLiteral("The payload member \"%1\" is a number beyond the range of a double; it is "
                                       "not shown as a time.")
                            .arg(QLatin1String(name));
        }
    }
    return out;
}

// Integral epochs print as integers; others in the shortest form that reads back the same double.
QByteArray epochJson(double epoch)
{
    if (std::trunc(epoch) == epoch && std::fabs(epoch) < 9007199254740992.0) {
        return QByteArray::number(static_cast<qint64>(epoch));
    }
    return QByteArray::number(epoch, 'g', QLocale::FloatingPointShortest);
}

QString epochText(double epoch)
{
    return QString::fromLatin1(epochJson(epoch));
}

// What both reports print, besides the token itself.
struct Facts
{
    std::optional<QString> alg; // the header's alg when a string
    QList<TimeClaim> times;
    QStringList warnings;
};

// The report, built as bytes so the header and payload keep their own key order and number spelling.
QByteArray jsonReport(const jose::DecodedToken& token, const Facts& facts)
{
    const jose::CompactView& c = token.compact;
    const bool jws = token.isJws();
    QByteArray out;
    out.reserve(c.raw.size() * 2 + 256);
    out += "{\"kind\":";
    out += jws ? "\"JWS\"" : "\"JWE\"";
    out += ",\"header\":" + joinTokens(c.header, token.headerScan.tokens);
    out += ",\"payload\":" +
           (token.payloadIsObject() ? joinTokens(c.payload, token.payloadScan.tokens) : QByteArray("null"));
    out += ",\"payload_b64\":" + jsonQuote(jws ? QString::fromLatin1(c.segments[1]) : QString());
    out += ",\"signature_b64\":" + jsonQuote(jws ? QString::fromLatin1(c.segments[2]) : QString());
    out += ",\"alg\":" + (facts.alg ? jsonQuote(*facts.alg) : QByteArray("null"));
    out += ",\"times\":{";
    for (qsizetype i = 0; i < facts.times.size(); ++i) {
        const TimeClaim& t = facts.times[i];
        out += (i ? "," : "") + jsonQuote(t.name) + ":{\"epoch\":" + epochJson(t.epoch) +
               ",\"utc\":" + (t.utc.isEmpty() ? QByteArray("null") : jsonQuote(t.utc)) + '}';
    }
    out += "},\"warnings\":[";
    for (qsizetype i = 0; i < facts.warnings.size(); ++i) {
        out += (i ? "," : "") + jsonQuote(facts.warnings[i]);
    }
    out += ']';
    if (!jws) {
        static const char* const names[] = {"encrypted_key_b64", "iv_b64", "ciphertext_b64", "tag_b64"};
        out += ",\"jwe\":{";
        for (int i = 0; i < 4; ++i) {
            out +=
                (i ? ",\"" : "\"") + QByteArray(names[i]) + "\":" + jsonQuote(QString::fromLatin1(c.segments[i + 1]));
        }
        out += '}';
    }
    out += "}\n";
    return out;
}

// Printable text (valid UTF-8, no control characters but tab and line breaks) is shown as it is.
bool isShowableText(const QByteArray& bytes)
{
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f) {
            return false;
        }
    }
    return QString::fromUtf8(bytes).toUtf8() == bytes; // invalid UTF-8 does not survive the round trip
}

QByteArray indented(const QByteArray& text)
{
    QByteArray out = "  " + text;
    out.replace("\n", "\n  ");
    return out + '\n';
}

QByteArray payloadSection(const jose::DecodedToken& token)
{
    const QByteArray& payload = token.compact.payload;
    if (token.payloadIsObject()) {
        return ":\n" + indented(jose::prettyJson(payload).value_or(payload));
    }
    if (payload.isEmpty()) {
        return ": (empty)\n";
    }
    if (isShowableText(payload)) {
        return QStringLiteral(" (%1 bytes, not a JSON object):\n").arg(payload.size()).toUtf8() + indented(payload);
    }
    return QStringLiteral(" (%1 bytes, binary; shown as hex):\n").arg(payload.size()).toUtf8() +
           indented(payload.toHex());
}

QByteArray signatureSection(const jose::DecodedToken& token)
{
    const jose::CompactView& c = token.compact;
    if (!token.isJws()) {
        return QStringLiteral("\nEncrypted key: %1 characters\nIV: %2\nCiphertext: %3 characters\nTag: %4\n")
            .arg(c.segments[1].size())
            .arg(QString::fromLatin1(c.segments[2]))
            .arg(c.segments[3].size())
            .arg(QString::fromLatin1(c.segments[4]))
            .toUtf8();
    }
    if (token.isUnsigned()) {
        return "\nSignature: (none: unsigned token)\n";
    }
    if (c.signatureCanonical) {
        return "\nSignature: " + c.segments[2].toByteArray() +
               QStringLiteral(" (%1 bytes)\n").arg(c.signature.size()).toUtf8();
    }
    return "\nSignature: " + c.segments[2].toByteArray() + " (not canonical base64url)\n";
}

QByteArray textReport(const jose::DecodedToken& token, const Facts& facts)
{
    QByteArray out;
    out += token.isJws() ? "JWS" : "JWE";
    out += facts.alg ? " (alg " + facts.alg->toUtf8() + ")\n" : QByteArray(" (no alg)\n");
    const QByteArray& header = token.compact.header;
    out += "\nHeader:\n" + indented(jose::prettyJson(header).value_or(header));
    if (token.isJws()) {
        out += "\nPayload" + payloadSection(token);
    }
    if (!facts.times.isEmpty()) {
        out += "\nTimes:\n";
        for (const TimeClaim& t : facts.times) {
            out += QStringLiteral("  %1  %2  %3\n")
                       .arg(t.name, epochText(t.epoch), t.utc.isEmpty() ? QStringLiteral("(out of range)") : t.utc)
                       .toUtf8();
        }
    }
    out += signatureSection(token);
    if (!facts.warnings.isEmpty()) {
        out += "\nWarnings:\n";
        for (const QString& w : facts.warnings) {
            out += "  - " + w.toUtf8() + '\n';
        }
    }
    return out;
}

class DecodeCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("decode"); }
    QString summary() const override { return QStringLiteral("Decode a JWS or JWE without verifying it."); }
    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(), QStringLiteral("decode [TOKEN|-] [--json]"));
        parser.addFlag(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
        parser.addPositional(QStringLiteral("token"), QStringLiteral("The token, or '-' for standard input."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        if (parser.positional().size() > 1) {
            return io.error(QStringLiteral("decode takes one token (see 'tokenbench-cli decode --help')."));
        }
        const auto text = readToken(parser.positional(), io);
        if (!text) {
            return io.error(text.error());
        }
        const auto token = jose::decodeToken(*text);
        if (!token) {
            return io.error(token.error());
        }
        io.printBytes(parser.isSet(QStringLiteral("json")) ? jsonReport(*token, facts(*token))
                                                           : textReport(*token, facts(*token)));
        return ExitOk;
    }

private:
    static Facts facts(const jose::DecodedToken& token)
    {
        Facts f;
        f.warnings = token.warnings;
        const jose::JsonObjectView header = token.header();
        f.alg = header.string("alg");
        if (header.contains("alg") && !f.alg) {
            f.warnings << QStringLiteral("The header member \"alg\" is not a string.");
        }
        if (token.payloadIsObject()) {
            f.times = timeClaims(token.payload(), f.warnings);
        }
        return f;
    }
};

} // namespace

std::unique_ptr<Command> makeDecodeCommand()
{
    return std::make_unique<DecodeCommand>();
}

} // namespace tb::cli
