#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

#include "Commands.h"
#include "KeyArgs.h"

#include "base/Bytes.h"
#include "base/Limits.h"
#include "jose/Base64Url.h"
#include "jose/jwe/Jwe.h"
#include "validate/Verifier.h"

namespace tb::cli {

namespace {

QJsonValue utf8OrNull(const QByteArray& bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder.decode(bytes);
    return decoder.hasError() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

class DecryptCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("decrypt"); }
    QString summary() const override
    {
        return QStringLiteral("Decrypt a JWE (compact or JSON) and print the plaintext bytes as they are.");
    }

    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(),
                         QStringLiteral("decrypt [TOKEN|-] (--key FILE | --secret-file FILE | --password-file FILE) "
                                        "[--verify-key FILE] [--now EPOCH] [--max-p2c N] [--json]"));
        parser.addValue(QStringLiteral("key"), QStringLiteral("FILE"),
                        QStringLiteral("Private key (RSA, EC, X25519/X448) as PEM or JWK, or an oct JWK."));
        parser.addValue(QStringLiteral("secret-file"), QStringLiteral("FILE"),
                        QStringLiteral("Raw bytes of a symmetric key (dir, AxxxKW, AxxxGCMKW), not trimmed."));
        parser.addValue(QStringLiteral("password-file"), QStringLiteral("FILE"),
                        QStringLiteral("PBES2 password: the first line of the file."));
        parser.addValue(QStringLiteral("passphrase-file"), QStringLiteral("FILE"),
                        QStringLiteral("Passphrase of an encrypted private key (first line)."));
        parser.addValue(QStringLiteral("verify-key"), QStringLiteral("FILE"),
                        QStringLiteral("Verify the nested JWS (cty JWT) with this key, through the verify path."));
        parser.addValue(QStringLiteral("now"), QStringLiteral("EPOCH"),
                        QStringLiteral("The time for the nested token's claim checks (default: the clock)."));
        parser.addValue(QStringLiteral("max-p2c"), QStringLiteral("N"),
                        QStringLiteral("Highest PBES2 iteration count accepted (default 1000000)."));
        parser.addFlag(QStringLiteral("json"), QStringLiteral("Print the header, plaintext and verdicts as JSON."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        if (parser.positional().size() > 1) {
            return io.error(QStringLiteral("decrypt takes one token."));
        }
        jose::jwe::DecryptOptions options;
        if (parser.isSet(QStringLiteral("max-p2c"))) {
            bool ok = false;
            options.maxP2c = parser.value(QStringLiteral("max-p2c")).toLongLong(&ok);
            if (!ok || options.maxP2c < 1) {
                return io.error(QStringLiteral("--max-p2c must be a positive integer."));
            }
        }
        double now = double(QDateTime::currentSecsSinceEpoch());
        if (parser.isSet(QStringLiteral("now"))) {
            bool ok = false;
            now = parser.value(QStringLiteral("now")).toDouble(&ok);
            if (!ok) {
                return io.error(QStringLiteral("--now must be a number of seconds since the epoch."));
            }
        }
        auto key = loadJweKey(parser, io);
        if (!key) {
            return io.error(key.error());
        }
        keys::KeyPtr verifyKey;
        if (parser.isSet(QStringLiteral("verify-key"))) {
            auto vk = loadKeyFile(parser.value(QStringLiteral("verify-key")), QString(), io);
            if (!vk) {
                return io.error(vk.error());
            }
            verifyKey = *vk;
        }
        auto token = readToken(parser.positional(), io);
        if (!token) {
            return io.error(token.error());
        }
        auto result = jose::jwe::decrypt(*token, **key, options);
        if (!result) {
            const int code = io.error(result.error());
            return jose::jwe::isDecryptionFailure(result.error()) ? int(ExitNegative) : code;
        }
        for (const QString& w : result->warnings) {
            io.warn(w);
        }
        std::optional<validate::Report> report;
        if (verifyKey) {
            validate::KeyInput input;
            input.key = verifyKey;
            input.origin = QStringLiteral("key file %1").arg(parser.value(QStringLiteral("verify-key")));
            validate::Policy policy;
            policy.now = now;
            auto r = validate::verifyToken(bytes::trimmed(result->plaintext), input, policy);
            if (!r) {
                return io.error(
                    QStringLiteral("the plaintext is not a JWS that can be verified: %1").arg(r.error().message));
            }
            report = *r;
        }
        if (parser.isSet(QStringLiteral("json"))) {
            QJsonObject o{
                {QStringLiteral("header"), QJsonDocument::fromJson(result->protectedHeader).object()},
                {QStringLiteral("joint_header"), result->header},
                {QStringLiteral("plaintext"), utf8OrNull(result->plaintext)},
                {QStringLiteral("plaintext_b64"), QString::fromLatin1(jose::base64UrlEncode(result->plaintext))},
                {QStringLiteral("alg"), jose::jwe::keyAlgName(result->alg)},
                {QStringLiteral("enc"), jose::jwe::encAlgName(result->enc)},
                {QStringLiteral("zip"),
                 result->compressed ? QJsonValue(QStringLiteral("DEF")) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("nested"), result->isNested()},
                {QStringLiteral("recipient"), result->recipient},
                {QStringLiteral("warnings"), QJsonArray::fromStringList(result->warnings)},
            };
            QJsonArray notes;
            for (const auto& n : jose::jwe::explainHeader(result->header, options)) {
                notes.append(QJsonObject{{QStringLiteral("member"), n.member},
                                         {QStringLiteral("meaning"), n.meaning},
                                         {QStringLiteral("danger"),
                                          n.danger.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(n.danger)}});
            }
            o.insert(QStringLiteral("header_notes"), notes);
            if (report) {
                QJsonArray checks;
                for (const auto& c : report->checks) {
                    checks.append(QJsonObject{{QStringLiteral("name"), c.name},
                                              {QStringLiteral("ok"), c.ok},
                                              {QStringLiteral("detail"), c.detail.text()}});
                }
                o.insert(QStringLiteral("nested_verify"),
                         QJsonObject{{QStringLiteral("valid"), report->valid}, {QStringLiteral("checks"), checks}});
            }
            io.printBytes(jsonLine(o));
        } else {
            io.printBytes(result->plaintext);
        }
        if (report && !report->valid) {
            const auto* f = report->firstFailure();
            io.err->write(
                QStringLiteral("invalid: the nested JWS does not verify: %1: %2\n")
                    .arg(f ? f->name : QStringLiteral("signature"), f ? f->detail : QStringLiteral("not checked"))
                    .toUtf8());
            return ExitNegative;
        }
        return ExitOk;
    }
};

} // namespace

std::unique_ptr<Command> makeDecryptCommand()
{
    return std::make_unique<DecryptCommand>();
}

} // namespace tb::cli
