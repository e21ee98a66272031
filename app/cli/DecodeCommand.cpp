#include "Commands.h"

#include <cmath>

#include <QJsonObject>
#include <QJsonValue>

#include "base/Bytes.h"
#include "jose/Compact.h"
#include "jose/JsonText.h"

namespace tb::cli {

namespace {

using jose::jsonQuote;

// One decoded JSON segment: its scan, its values (when an object) and its whitespace-free bytes.
struct DecodedJson
{
    jose::JsonScan scan;
    QJsonObject object;
    QByteArray compact; // the segment's own tokens joined, key order and spelling kept
    bool isObject = false;
    QString unreadable; // set for a valid JSON object that Qt cannot hold (e.g. a number past the double range)
};

QByteArray joinTokens(QByteArrayView text, const QList<jose::JsonToken>& tokens)
{
    QByteArray out;
    out.reserve(text.size());
    for (const jose::JsonToken& t : tokens) {
        out.append(text.sliced(t.offset, t.length));
    }
    return out;
}

// Scans once; `object` is filled only for a JSON object that Qt can also read.
DecodedJson decodeJson(const QByteArray& text)
{
    DecodedJson d;
    d.scan = jose::scanJson(text);
    if (d.scan.error || !d.scan.topLevelIsObject) {
        return d;
    }
    auto object = jose::parseObject(text, d.scan);
    if (!object) {
        d.unreadable = object.error().message;
        return d;
    }
    d.object = std::move(*object);
    d.isObject = true;
    d.compact = joinTokens(text, d.scan.tokens);
    return d;
}

QStringList duplicateWarnings(const jose::JsonScan& scan, const QString& where)
{
    QStringList out;
    for (const jose::JsonDuplicateKey& d : scan.duplicates) {
        const QString object =
            d.path.isEmpty() ? QStringLiteral("the %1").arg(where) : QStringLiteral("%1 of the %2").arg(d.path, where);
        out << QStringLiteral("Duplicate key \"%1\" in %2 at line %3, column %4 (first at line %5, column %6).")
                   .arg(d.key, object)
                   .arg(d.duplicate.line)
                   .arg(d.duplicate.column)
                   .arg(d.first.line)
                   .arg(d.first.column);
    }
    return out;
}

struct TimeClaim
{
    QString name;
    double epoch = 0;
    QString utc;
};

QList<TimeClaim> timeClaims(const QJsonObject& payload)
{
    QList<TimeClaim> out;
    for (const QString& name : {QStringLiteral("exp"), QStringLiteral("nbf"), QStringLiteral("iat")}) {
        const QJsonValue v = payload.value(name);
        if (v.isDouble()) {
            out.append(TimeClaim{name, v.toDouble(), bytes::utcString(v.toDouble())});
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

// The report, built as bytes so the header and payload keep their own key order and number spelling.
QByteArray jsonReport(const jose::CompactToken& token, const DecodedJson& header, const DecodedJson* payload,
                      const QJsonValue& alg, const QList<TimeClaim>& times, const QStringList& warnings)
{
    const bool jws = token.kind == jose::TokenKind::Jws;
    QByteArray out;
    out.reserve(token.raw.size() * 2 + 256);
    out += "{\"kind\":";
    out += jws ? "\"JWS\"" : "\"JWE\"";
    out += ",\"header\":" + header.compact;
    out += ",\"payload\":" + (payload && payload->isObject ? payload->compact : QByteArray("null"));
    out += ",\"payload_b64\":" + jsonQuote(jws ? QString::fromLatin1(token.segments[1]) : QString());
    out += ",\"signature_b64\":" + jsonQuote(jws ? QString::fromLatin1(token.segments[2]) : QString());
    out += ",\"alg\":" + (alg.isString() ? jsonQuote(alg.toString()) : QByteArray("null"));
    out += ",\"times\":{";
    for (qsizetype i = 0; i < times.size(); ++i) {
        out += (i ? "," : "") + jsonQuote(times[i].name) + ":{\"epoch\":" + epochJson(times[i].epoch) +
               ",\"utc\":" + (times[i].utc.isEmpty() ? QByteArray("null") : jsonQuote(times[i].utc)) + '}';
    }
    out += "},\"warnings\":[";
    for (qsizetype i = 0; i < warnings.size(); ++i) {
        out += (i ? "," : "") + jsonQuote(warnings[i]);
    }
    out += ']';
    if (!jws) {
        static const char* const names[] = {"encrypted_key_b64", "iv_b64", "ciphertext_b64", "tag_b64"};
        out += ",\"jwe\":{";
        for (int i = 0; i < 4; ++i) {
            out += (i ? ",\"" : "\"") + QByteArray(names[i]) +
                   "\":" + jsonQuote(QString::fromLatin1(token.segments[i + 1]));
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

QByteArray textReport(const jose::CompactToken& token, const DecodedJson* payload, const QJsonValue& alg,
                      const QList<TimeClaim>& times, const QStringList& warnings)
{
    const bool jws = token.kind == jose::TokenKind::Jws;
    QByteArray out;
    out += jws ? "JWS" : "JWE";
    out += alg.isString() ? " (alg " + alg.toString().toUtf8() + ")\n" : QByteArray(" (no alg)\n");
    out += "\nHeader:\n" + indented(jose::prettyJson(token.header).value_or(token.header));
    if (jws) {
        out += "\nPayload";
        if (payload && payload->isObject) {
            out += ":\n" + indented(jose::prettyJson(token.payload).value_or(token.payload));
        } else if (token.payload.isEmpty()) {
            out += ": (empty)\n";
        } else if (isShowableText(token.payload)) {
            out += QStringLiteral(" (%1 bytes, not a JSON object):\n").arg(token.payload.size()).toUtf8() +
                   indented(token.payload);
        } else {
            out += QStringLiteral(" (%1 bytes, binary; shown as hex):\n").arg(token.payload.size()).toUtf8() +
                   indented(token.payload.toHex());
        }
    }
    if (!times.isEmpty()) {
        out += "\nTimes:\n";
        for (const TimeClaim& t : times) {
            out += QStringLiteral("  %1  %2  %3\n")
                       .arg(t.name, epochText(t.epoch), t.utc.isEmpty() ? QStringLiteral("(out of range)") : t.utc)
                       .toUtf8();
        }
    }
    if (jws) {
        out += "\nSignature: ";
        if (token.isUnsigned()) {
            out += "(none: unsigned token)\n";
        } else if (token.signatureCanonical) {
            out += token.segments[2] + QStringLiteral(" (%1 bytes)\n").arg(token.signature.size()).toUtf8();
        } else {
            out += token.segments[2] + " (not canonical base64url)\n";
        }
    } else {
        out += QStringLiteral("\nEncrypted key: %1 characters\nIV: %2\nCiphertext: %3 characters\nTag: %4\n")
                   .arg(token.segments[1].size())
                   .arg(QString::fromLatin1(token.segments[2]))
                   .arg(token.segments[3].size())
                   .arg(QString::fromLatin1(token.segments[4]))
                   .toUtf8();
    }
    if (!warnings.isEmpty()) {
        out += "\nWarnings:\n";
        for (const QString& w : warnings) {
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
        const auto token = jose::parseCompact(*text);
        if (!token) {
            return io.error(token.error());
        }
        return report(*token, parser.isSet(QStringLiteral("json")), io);
    }

private:
    static int report(const jose::CompactToken& token, bool json, const Io& io)
    {
        const DecodedJson header = decodeJson(token.header);
        if (header.scan.error) {
            return io.error(jose::toError(*header.scan.error, QStringLiteral("The header")));
        }
        if (!header.isObject) {
            return io.error(
                header.scan.topLevelIsObject
                    ? QStringLiteral("The header cannot be read as a JSON object: %1").arg(header.unreadable)
                    : QStringLiteral("The header is valid JSON but not an object; a JOSE header must "
                                     "be a JSON object."));
        }
        QStringList warnings = token.warnings;
        warnings << duplicateWarnings(header.scan, QStringLiteral("header"));

        std::optional<DecodedJson> payload;
        if (token.kind == jose::TokenKind::Jws && !token.payload.isEmpty()) {
            payload = decodeJson(token.payload);
            const auto& error = payload->scan.error;
            // A payload need not be JSON, but one past the JSON limits is refused like any other input.
            if (error && error->kind != jose::JsonErrorKind::Syntax) {
                return io.error(jose::toError(*error, QStringLiteral("The payload")));
            }
            if (payload->isObject) {
                warnings << duplicateWarnings(payload->scan, QStringLiteral("payload"));
            } else if (!payload->unreadable.isEmpty()) {
                warnings
                    << QStringLiteral("The payload is a JSON object that cannot be read: %1").arg(payload->unreadable);
            }
        }
        const QJsonValue alg = header.object.value(QStringLiteral("alg"));
        if (!alg.isUndefined() && !alg.isString()) {
            warnings << QStringLiteral("The header member \"alg\" is not a string.");
        }
        const QList<TimeClaim> times = payload && payload->isObject ? timeClaims(payload->object) : QList<TimeClaim>();
        const DecodedJson* p = payload ? &*payload : nullptr;
        io.printBytes(json ? jsonReport(token, header, p, alg, times, warnings)
                           : textReport(token, p, alg, times, warnings));
        return ExitOk;
    }
};

} // namespace

std::unique_ptr<Command> makeDecodeCommand()
{
    return std::make_unique<DecodeCommand>();
}

} // namespace tb::cli
