#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "Commands.h"
#include "KeyArgs.h"

#include "base/Bytes.h"
#include "base/Limits.h"
#include "jose/jwe/Jwe.h"

namespace tb::cli {

namespace {

class EncryptCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("encrypt"); }
    QString summary() const override { return QStringLiteral("Encrypt a payload as a compact JWE."); }

    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(
            name(), summary(),
            QStringLiteral("encrypt --alg ALG --enc ENC (--key FILE | --secret-file FILE | --password-file FILE) "
                           "[--header JSON_OR_@FILE] (--payload TEXT_OR_@FILE | stdin) [--json]"));
        parser.addValue(QStringLiteral("alg"), QStringLiteral("ALG"),
                        QStringLiteral("RSA1_5 RSA-OAEP RSA-OAEP-256 A128KW A192KW A256KW dir ECDH-ES ECDH-ES+A128KW "
                                       "ECDH-ES+A192KW ECDH-ES+A256KW A128GCMKW A192GCMKW A256GCMKW PBES2-HS256+A128KW "
                                       "PBES2-HS384+A192KW PBES2-HS512+A256KW."));
        parser.addValue(QStringLiteral("enc"), QStringLiteral("ENC"),
                        QStringLiteral("A128CBC-HS256 A192CBC-HS384 A256CBC-HS512 A128GCM A192GCM A256GCM."));
        parser.addValue(
            QStringLiteral("key"), QStringLiteral("FILE"),
            QStringLiteral("Recipient key: RSA/EC/X25519/X448 public (or private) key as PEM or JWK, or an oct JWK."));
        parser.addValue(QStringLiteral("secret-file"), QStringLiteral("FILE"),
                        QStringLiteral("Raw bytes of a symmetric key (dir, AxxxKW, AxxxGCMKW), not trimmed."));
        parser.addValue(QStringLiteral("password-file"), QStringLiteral("FILE"),
                        QStringLiteral("PBES2 password: the first line of the file."));
        parser.addValue(QStringLiteral("passphrase-file"), QStringLiteral("FILE"),
                        QStringLiteral("Passphrase of an encrypted private key (first line)."));
        parser.addValue(
            QStringLiteral("header"), QStringLiteral("JSON_OR_@FILE"),
            QStringLiteral("Extra protected header members (kid, cty, zip \"DEF\", apu, apv, p2c), kept in order."));
        parser.addValue(
            QStringLiteral("payload"), QStringLiteral("TEXT_OR_@FILE"),
            QStringLiteral("Plaintext (surrounding whitespace trimmed); read from standard input when absent."));
        parser.addFlag(QStringLiteral("json"),
                       QStringLiteral("Print {\"token\", \"alg\", \"enc\", \"header\", \"header_notes\"} instead of "
                                      "the bare token (an extension of the issue 10 contract; the default output "
                                      "is unchanged)."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        if (!parser.positional().isEmpty()) {
            return io.error(
                QStringLiteral("encrypt takes no positional argument (got \"%1\").").arg(parser.positional().first()));
        }
        if (!parser.isSet(QStringLiteral("alg")) || !parser.isSet(QStringLiteral("enc"))) {
            return io.error(QStringLiteral("--alg and --enc are required."));
        }
        const auto alg = jose::jwe::keyAlgFromName(parser.value(QStringLiteral("alg")));
        if (!alg) {
            return io.error(QStringLiteral("unknown algorithm \"%1\" (a JWE key management algorithm is expected).")
                                .arg(parser.value(QStringLiteral("alg"))));
        }
        const auto enc = jose::jwe::encAlgFromName(parser.value(QStringLiteral("enc")));
        if (!enc) {
            return io.error(QStringLiteral("unknown content encryption algorithm \"%1\".")
                                .arg(parser.value(QStringLiteral("enc"))));
        }
        auto key = loadJweKey(parser, io);
        if (!key) {
            return io.error(key.error());
        }
        QByteArray header;
        if (parser.isSet(QStringLiteral("header"))) {
            auto text = readInlineOrFile(parser.value(QStringLiteral("header")), qsizetype(limits::maxTokenBytes), io);
            if (!text) {
                return io.error(text.error());
            }
            header = *text;
        }
        Result<QByteArray> payload;
        if (parser.isSet(QStringLiteral("payload"))) {
            payload = readInlineOrFile(parser.value(QStringLiteral("payload")), qsizetype(limits::maxTokenBytes), io);
        } else if (io.stdinIsTerminal) {
            return io.error(QStringLiteral("no payload given (use --payload, or pipe it on standard input)."));
        } else {
            payload = readFile(QStringLiteral("-"), qsizetype(limits::maxTokenBytes), io);
        }
        if (!payload) {
            return io.error(payload.error());
        }
        auto token = jose::jwe::encryptCompact(**key, *alg, *enc, bytes::trimmed(*payload), header);
        if (!token) {
            return io.error(token.error());
        }
        if (parser.isSet(QStringLiteral("json"))) {
            io.printBytes(jsonLine(describe(*token, *alg, *enc)));
        } else {
            io.printBytes(*token + '\n');
        }
        return ExitOk;
    }

private:
    // The token and its protected header as the recipient will read it, each member explained.
    static QJsonObject describe(const QByteArray& token, jose::jwe::KeyAlg alg, jose::jwe::EncAlg enc)
    {
        QJsonObject o{{QStringLiteral("token"), QString::fromLatin1(token)},
                      {QStringLiteral("alg"), jose::jwe::keyAlgName(alg)},
                      {QStringLiteral("enc"), jose::jwe::encAlgName(enc)}};
        const auto view = jose::jwe::readHeader(token);
        const QJsonObject header = view ? view->header : QJsonObject();
        o.insert(QStringLiteral("header"), header);
        QJsonArray notes;
        for (const auto& n : jose::jwe::explainHeader(header)) {
            notes.append(QJsonObject{
                {QStringLiteral("member"), n.member},
                {QStringLiteral("meaning"), n.meaning},
                {QStringLiteral("danger"), n.danger.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(n.danger)}});
        }
        o.insert(QStringLiteral("header_notes"), notes);
        return o;
    }
};

} // namespace

std::unique_ptr<Command> makeEncryptCommand()
{
    return std::make_unique<EncryptCommand>();
}

} // namespace tb::cli
