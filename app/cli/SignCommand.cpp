#include "Commands.h"
#include "KeyArgs.h"

#include "base/Bytes.h"
#include "base/Limits.h"
#include "jose/JsonText.h"
#include "jose/Jws.h"

namespace tb::cli {

namespace {

class SignCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("sign"); }
    QString summary() const override
    {
        return QStringLiteral("Sign a payload as a compact JWS with any JOSE algorithm.");
    }

    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(),
                         QStringLiteral("sign --alg ALG (--key FILE | --secret-file FILE) [--header JSON_OR_@FILE] "
                                        "[--kid KID] (--payload JSON_OR_@FILE | stdin)"));
        parser.addValue(QStringLiteral("alg"), QStringLiteral("ALG"),
                        QStringLiteral("HS256 HS384 HS512 RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 "
                                       "ES256K EdDSA none."));
        parser.addValue(QStringLiteral("key"), QStringLiteral("FILE"),
                        QStringLiteral("Private key: PEM (PKCS#8, PKCS#1, SEC1) or a JWK with private members."));
        parser.addValue(QStringLiteral("secret-file"), QStringLiteral("FILE"),
                        QStringLiteral("The raw bytes of an HMAC secret (not trimmed)."));
        parser.addValue(QStringLiteral("passphrase-file"), QStringLiteral("FILE"),
                        QStringLiteral("Passphrase of an encrypted private key (first line)."));
        parser.addValue(QStringLiteral("header"), QStringLiteral("JSON_OR_@FILE"),
                        QStringLiteral("Header JSON; alg is set in place or inserted first, other members kept."));
        parser.addValue(QStringLiteral("kid"), QStringLiteral("KID"), QStringLiteral("Key ID to put in the header."));
        parser.addValue(QStringLiteral("payload"), QStringLiteral("JSON_OR_@FILE"),
                        QStringLiteral("Payload, signed exactly as given (surrounding whitespace trimmed); "
                                       "read from standard input when absent."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        if (!parser.positional().isEmpty()) {
            return io.error(
                QStringLiteral("sign takes no positional argument (got \"%1\").").arg(parser.positional().first()));
        }
        if (!parser.isSet(QStringLiteral("alg"))) {
            return io.error(QStringLiteral("--alg is required."));
        }
        auto alg = parseAlg(parser.value(QStringLiteral("alg")));
        if (!alg) {
            return io.error(alg.error());
        }
        auto key = loadSigningKey(parser, *alg, io);
        if (!key) {
            return io.error(key.error());
        }
        auto header = buildHeader(parser, *alg, io);
        if (!header) {
            return io.error(header.error());
        }
        auto payload = readPayload(parser, io);
        if (!payload) {
            return io.error(payload.error());
        }
        auto token = jose::signCompact(*alg, key->get(), *header, *payload);
        if (!token) {
            return io.error(token.error());
        }
        io.printBytes(*token + '\n');
        return ExitOk;
    }

private:
    static Result<keys::KeyPtr> loadSigningKey(const ArgParser& parser, jose::Alg alg, const Io& io)
    {
        const bool hasKey = parser.isSet(QStringLiteral("key"));
        const bool hasSecret = parser.isSet(QStringLiteral("secret-file"));
        if (hasKey && hasSecret) {
            return fail(ErrorCode::InvalidArgument, QStringLiteral("give --key or --secret-file, not both."));
        }
        if (alg == jose::Alg::None) {
            return keys::KeyPtr();
        }
        if (!hasKey && !hasSecret) {
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("%1 needs a key: --key FILE or --secret-file FILE.").arg(jose::algName(alg)));
        }
        auto key = hasKey ? loadKeyFile(parser.value(QStringLiteral("key")),
                                        parser.value(QStringLiteral("passphrase-file")), io)
                          : loadSecretFile(parser.value(QStringLiteral("secret-file")), io);
        if (!key) {
            return key;
        }
        if (!(*key)->fits(alg)) {
            return fail(
                ErrorCode::KeyMismatch,
                QStringLiteral("%1 cannot be used with this key (%2).").arg(jose::algName(alg), (*key)->describe()));
        }
        if (!(*key)->hasPrivate()) {
            return fail(ErrorCode::KeyMismatch, QStringLiteral("signing needs a private key; %1 holds a %2.")
                                                    .arg(parser.value(QStringLiteral("key")), (*key)->describe()));
        }
        for (const QString& w : weakKeyWarnings(**key, alg)) {
            io.warn(w);
        }
        return key;
    }

    static Result<QByteArray> buildHeader(const ArgParser& parser, jose::Alg alg, const Io& io)
    {
        const QString kid = parser.value(QStringLiteral("kid"));
        if (!parser.isSet(QStringLiteral("header"))) {
            return jose::defaultHeader(alg, kid);
        }
        auto text = readInlineOrFile(parser.value(QStringLiteral("header")), qsizetype(limits::maxTokenBytes), io);
        if (!text) {
            return text;
        }
        const jose::JsonScan scan = jose::scanJson(bytes::trimmed(*text));
        if (scan.error) {
            QString why = scan.error->message; // a sentence: its full stop goes after the position
            if (why.endsWith(u'.')) {
                why.chop(1);
            }
            return fail(ErrorCode::BadJson, QStringLiteral("--header is not valid JSON: %1 (line %2, column %3).")
                                                .arg(why)
                                                .arg(scan.error->position.line)
                                                .arg(scan.error->position.column));
        }
        if (!scan.topLevelIsObject) {
            return fail(ErrorCode::BadJson, QStringLiteral("--header must be a JSON object."));
        }
        for (const auto& d : scan.duplicates) {
            io.warn(QStringLiteral("the header has the member \"%1\" twice; verifiers will refuse it.").arg(d.key));
        }
        return jose::prepareHeader(*text, alg, kid);
    }

    static Result<QByteArray> readPayload(const ArgParser& parser, const Io& io)
    {
        Result<QByteArray> payload;
        if (parser.isSet(QStringLiteral("payload"))) {
            payload = readInlineOrFile(parser.value(QStringLiteral("payload")), qsizetype(limits::maxTokenBytes), io);
        } else if (io.stdinIsTerminal) {
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("no payload given (use --payload, or pipe it on standard input)."));
        } else {
            payload = readFile(QStringLiteral("-"), qsizetype(limits::maxTokenBytes), io);
        }
        if (!payload) {
            return payload;
        }
        const QByteArrayView trimmed = bytes::trimmed(*payload);
        if (!trimmed.isEmpty() && jose::scanJson(trimmed).error) {
            io.err->write("note: the payload is not JSON; it is signed exactly as given.\n");
        }
        return trimmed.toByteArray();
    }
};

} // namespace

std::unique_ptr<Command> makeSignCommand()
{
    return std::make_unique<SignCommand>();
}

} // namespace tb::cli
