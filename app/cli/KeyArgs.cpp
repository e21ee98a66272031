#include "KeyArgs.h"

#include "base/Limits.h"

namespace tb::cli {

Result<keys::KeyPtr> loadKeyFile(const QString& path, const QString& passphraseFile, const Io& io)
{
    auto bytes = readFile(path, qsizetype(limits::maxKeyFileBytes), io);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    std::optional<SecretBytes> passphrase;
    if (!passphraseFile.isEmpty()) {
        auto pass = readFile(passphraseFile, 64 * 1024, io);
        if (!pass) {
            return std::unexpected(pass.error());
        }
        // A passphrase file usually ends with a newline that is not part of the passphrase.
        while (pass->endsWith('\n') || pass->endsWith('\r')) {
            pass->chop(1);
        }
        passphrase = SecretBytes::fromByteArray(*pass);
        cleanse(*pass);
    }
    auto key = keys::importKey(*bytes, passphrase ? &*passphrase : nullptr);
    cleanse(*bytes);
    if (!key) {
        return fail(key.error().code, QStringLiteral("%1: %2").arg(path, key.error().message), key.error().detail);
    }
    return key;
}

Result<keys::KeyPtr> loadSecretFile(const QString& path, const Io& io)
{
    auto bytes = readFile(path, qsizetype(limits::maxKeyFileBytes), io);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    keys::KeyPtr key = keys::secretKey(*bytes);
    cleanse(*bytes);
    return key;
}

Result<keys::JwkSet> loadJwksFile(const QString& path, const Io& io)
{
    auto bytes = readFile(path, qsizetype(limits::maxKeyFileBytes), io);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    auto set = keys::importJwks(*bytes);
    if (!set) {
        return fail(set.error().code, QStringLiteral("%1: %2").arg(path, set.error().message));
    }
    return set;
}

Result<keys::KeyPtr> loadJweKey(const ArgParser& parser, const Io& io)
{
    const QString key = parser.value(QStringLiteral("key"));
    const QString secret = parser.value(QStringLiteral("secret-file"));
    const QString password = parser.value(QStringLiteral("password-file"));
    const int given = int(!key.isEmpty()) + int(!secret.isEmpty()) + int(!password.isEmpty());
    if (given != 1) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("give exactly one of --key FILE, --secret-file FILE or --password-file FILE."));
    }
    if (!key.isEmpty()) {
        return loadKeyFile(key, parser.value(QStringLiteral("passphrase-file")), io);
    }
    if (!secret.isEmpty()) {
        return loadSecretFile(secret, io);
    }
    auto bytes = readFile(password, qsizetype(limits::maxKeyFileBytes), io);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    const qsizetype eol = bytes->indexOf('\n');
    QByteArray line = eol >= 0 ? bytes->left(eol) : *bytes;
    if (line.endsWith('\r')) {
        line.chop(1);
    }
    keys::KeyPtr k = keys::secretKey(line);
    cleanse(line);
    cleanse(*bytes);
    return k;
}

Result<jose::Alg> parseAlg(const QString& name)
{
    if (auto alg = jose::algFromName(name)) {
        return *alg;
    }
    QStringList names;
    for (jose::Alg a : jose::allAlgs()) {
        names << jose::algName(a);
    }
    return fail(ErrorCode::UnsupportedAlgorithm,
                QStringLiteral("unknown algorithm \"%1\" (one of %2; names are case-sensitive).")
                    .arg(name, names.join(QLatin1Char(' '))));
}

Result<QList<jose::Alg>> parseAlgList(const QString& list)
{
    QList<jose::Alg> out;
    for (const QString& part : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        auto alg = parseAlg(part.trimmed());
        if (!alg) {
            return std::unexpected(alg.error());
        }
        out << *alg;
    }
    if (out.isEmpty()) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("--alg needs at least one algorithm name."));
    }
    return out;
}

QStringList weakKeyWarnings(const keys::Key& key, jose::Alg alg)
{
    QStringList out;
    if (key.type() == keys::KeyType::Oct && int(key.secret().size()) < jose::algHashBytes(alg)) {
        out << QStringLiteral("the HMAC secret is %1 bytes, shorter than the %2-byte %3 hash (RFC 7518 §3.2).")
                   .arg(key.secret().size())
                   .arg(jose::algHashBytes(alg))
                   .arg(jose::algName(alg));
    }
    if (key.type() == keys::KeyType::Rsa && key.bits() < 2048) {
        out << QStringLiteral("the RSA key has %1 bits; RFC 7518 §3.3 requires at least 2048.").arg(key.bits());
    }
    return out;
}

} // namespace tb::cli
