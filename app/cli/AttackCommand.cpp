#include <cmath>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include "Commands.h"
#include "KeyArgs.h"

#include "audit/attacks/Attacks.h"
#include "base/Limits.h"
#include "jose/JsonText.h"

namespace tb::cli {

namespace {

class AttackCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("attack"); }
    QString summary() const override
    {
        return QStringLiteral("Craft attack tokens (alg none, key confusion, kid/jku/x5u/x5c, psychic ECDSA, ...).");
    }

    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(),
                         QStringLiteral("attack KIND [TOKEN|-] [--key FILE | --secret-file FILE] [--url URL] "
                                        "[--set CLAIM=JSON ...] [--extend SECONDS] [--alg ALG] [--json]; attack corpus "
                                        "[TOKEN|-] [--out FILE]; attack --list"));
        parser.addFlag(QStringLiteral("list"), QStringLiteral("Name the attack kinds."));
        parser.addFlag(QStringLiteral("json"), QStringLiteral("Print {\"kind\", \"tokens\": [...], \"explanation\"}."));
        parser.addValue(QStringLiteral("key"), QStringLiteral("FILE"),
                        QStringLiteral("The verifier's public key or certificate (confusion), or a private key "
                                       "(re-signing in tamper and exp)."));
        parser.addValue(QStringLiteral("secret-file"), QStringLiteral("FILE"),
                        QStringLiteral("A known HMAC secret, for re-signing (tamper, exp)."));
        parser.addValue(QStringLiteral("passphrase-file"), QStringLiteral("FILE"),
                        QStringLiteral("Passphrase of an encrypted private key."));
        parser.addValue(QStringLiteral("url"), QStringLiteral("URL"),
                        QStringLiteral("jku/x5u: where you will host the JWK Set or certificate."));
        parser.addValue(QStringLiteral("set"), QStringLiteral("CLAIM=JSON"),
                        QStringLiteral("tamper: a claim to set (repeatable); a value that is not JSON is a string."));
        parser.addValue(QStringLiteral("extend"), QStringLiteral("SECONDS"),
                        QStringLiteral("exp: seconds added to exp (default 10 years)."));
        parser.addValue(QStringLiteral("alg"), QStringLiteral("ALG"),
                        QStringLiteral("embedded-jwk/jku/x5u/x5c: the algorithm of the fresh key."));
        parser.addValue(QStringLiteral("out"), QStringLiteral("FILE"), QStringLiteral("corpus: write the JSON here."));
        parser.addPositional(QStringLiteral("kind"), QStringLiteral("The attack kind (see --list), or corpus."));
        parser.addPositional(QStringLiteral("token"), QStringLiteral("The token, or '-' for standard input."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        const bool json = parser.isSet(QStringLiteral("json"));
        if (parser.isSet(QStringLiteral("list"))) {
            return list(json, io);
        }
        const QStringList positional = parser.positional();
        if (positional.isEmpty()) {
            return io.error(QStringLiteral("name an attack kind (see 'tokenbench-cli attack --list')."));
        }
        const QString kind = positional.first();
        const bool corpus = kind == QStringLiteral("corpus");
        const auto& kinds = audit::attacks::attackKinds();
        if (!corpus && std::none_of(kinds.begin(), kinds.end(), [&kind](const auto& k) { return k.kind == kind; })) {
            return io.error(QStringLiteral("unknown attack '%1' (see 'tokenbench-cli attack --list').").arg(kind));
        }
        if (positional.size() > 2) {
            return io.error(QStringLiteral("attack takes one kind and one token."));
        }
        auto input = buildInput(parser, io);
        if (!input) {
            return io.error(input.error());
        }
        auto token = readToken(positional.mid(1), io);
        if (!token) {
            return io.error(token.error());
        }
        input->token = *token;
        if (corpus) {
            auto all = audit::attacks::attackCorpus(*input);
            if (!all) {
                return io.error(all.error());
            }
            const QByteArray bytes = QJsonDocument(*all).toJson(QJsonDocument::Indented);
            if (!parser.isSet(QStringLiteral("out")) || parser.value(QStringLiteral("out")) == QStringLiteral("-")) {
                io.printBytes(bytes);
                return ExitOk;
            }
            QSaveFile file(parser.value(QStringLiteral("out")));
            if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
                return io.error(QStringLiteral("cannot write %1: %2.")
                                    .arg(parser.value(QStringLiteral("out")), file.errorString()));
            }
            io.print(QStringLiteral("wrote %1 tokens to %2\n")
                         .arg(all->value(QStringLiteral("tokens")).toArray().size())
                         .arg(parser.value(QStringLiteral("out"))));
            return ExitOk;
        }
        auto result = audit::attacks::runAttack(kind, *input);
        if (!result) {
            return io.error(result.error());
        }
        if (json) {
            static const QStringList order = {QStringLiteral("kind"), QStringLiteral("tokens"),
                                              QStringLiteral("variant"), QStringLiteral("token"),
                                              QStringLiteral("explanation")};
            io.printBytes(jsonLine(audit::attacks::attackJson(*result), order));
            return ExitOk;
        }
        QString text;
        for (const auto& v : result->tokens) {
            text += QStringLiteral("%1\n%2\n\n").arg(v.name, QString::fromLatin1(v.token));
        }
        for (const auto& a : result->artifacts) {
            text += QStringLiteral("--- %1 ---\n%2\n").arg(a.name, QString::fromUtf8(a.content));
        }
        text += result->explanation + QLatin1Char('\n');
        io.print(text);
        return ExitOk;
    }

private:
    static int list(bool json, const Io& io)
    {
        const auto& kinds = audit::attacks::attackKinds();
        if (json) {
            QJsonArray array;
            for (const auto& k : kinds) {
                array.append(QJsonObject{{QStringLiteral("kind"), k.kind},
                                         {QStringLiteral("summary"), k.summary},
                                         {QStringLiteral("needs"), k.needs}});
            }
            array.append(QJsonObject{{QStringLiteral("kind"), QStringLiteral("corpus")},
                                     {QStringLiteral("summary"), QStringLiteral("every kind above as one JSON file")},
                                     {QStringLiteral("needs"), QString()}});
            io.printBytes(jsonLine(QJsonObject{{QStringLiteral("kinds"), array}}));
            return ExitOk;
        }
        QString text;
        for (const auto& k : kinds) {
            text += QStringLiteral("%1%2%3\n")
                        .arg(k.kind.leftJustified(16), k.summary,
                             k.needs.isEmpty() ? QString() : QStringLiteral(" (needs %1)").arg(k.needs));
        }
        text += QStringLiteral("%1every kind above as one JSON file (--out FILE)\n")
                    .arg(QStringLiteral("corpus").leftJustified(16));
        io.print(text);
        return ExitOk;
    }

    static Result<audit::attacks::AttackInput> buildInput(const ArgParser& parser, const Io& io)
    {
        audit::attacks::AttackInput input;
        if (parser.isSet(QStringLiteral("key")) && parser.isSet(QStringLiteral("secret-file"))) {
            return fail(ErrorCode::InvalidArgument, QStringLiteral("give one of --key and --secret-file."));
        }
        if (parser.isSet(QStringLiteral("key"))) {
            const QString path = parser.value(QStringLiteral("key"));
            auto key = loadKeyFile(path, parser.value(QStringLiteral("passphrase-file")), io);
            if (!key) {
                return std::unexpected(key.error());
            }
            if ((*key)->type() == keys::KeyType::Oct) {
                input.signingKey = *key;
            } else {
                auto bytes = readFile(path, qsizetype(limits::maxKeyFileBytes), io);
                if (bytes) {
                    input.publicKeyFile = *bytes;
                }
                if ((*key)->hasPrivate()) {
                    input.signingKey = *key;
                    // The verifier holds the public half: confusion uses that, never the private key's file.
                    auto pem = keys::exportPem(**key, keys::KeyPart::Public);
                    auto pub = pem ? keys::importKey(*pem) : Result<keys::KeyPtr>(std::unexpected(pem.error()));
                    if (!pub) {
                        return std::unexpected(pub.error());
                    }
                    input.publicKey = *pub;
                    input.publicKeyFile.clear();
                } else {
                    input.publicKey = *key;
                }
            }
        }
        if (parser.isSet(QStringLiteral("secret-file"))) {
            auto key = loadSecretFile(parser.value(QStringLiteral("secret-file")), io);
            if (!key) {
                return std::unexpected(key.error());
            }
            input.signingKey = *key;
        }
        input.url = parser.value(QStringLiteral("url"));
        input.freshAlg = parser.value(QStringLiteral("alg"));
        if (!input.freshAlg.isEmpty()) {
            auto alg = parseAlg(input.freshAlg);
            if (!alg) {
                return std::unexpected(alg.error());
            }
        }
        if (parser.isSet(QStringLiteral("extend"))) {
            bool ok = false;
            input.extendBy = parser.value(QStringLiteral("extend")).toDouble(&ok);
            if (!ok || !std::isfinite(input.extendBy) || input.extendBy <= 0) {
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("--extend must be a positive number of seconds."));
            }
        }
        for (const QString& item : parser.values(QStringLiteral("set"))) {
            const qsizetype eq = item.indexOf(QLatin1Char('='));
            if (eq <= 0) {
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("--set takes CLAIM=VALUE (got \"%1\").").arg(item));
            }
            const QByteArray value = item.mid(eq + 1).toUtf8();
            const jose::JsonScan scan = jose::scanJson(value);
            input.claims.append({item.left(eq), scan.error ? jose::jsonQuote(item.mid(eq + 1)) : value});
        }
        return input;
    }
};

} // namespace

std::unique_ptr<Command> makeAttackCommand()
{
    return std::make_unique<AttackCommand>();
}

} // namespace tb::cli
