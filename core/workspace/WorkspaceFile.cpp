#include "WorkspaceFile.h"

#include <QJsonArray>
#include <QJsonDocument>

#include "base/Files.h"
#include "base/Limits.h"
#include "jose/JsonText.h"
#include "keys/KeyIo.h"

namespace tb::workspace {

namespace {

const QByteArray kAad = QByteArrayLiteral("tokenbench-workspace v1");

QString formatTag()
{
    return QStringLiteral("tokenbench-workspace");
}

Result<QJsonObject> jwkObject(const keys::Key& key, keys::KeyPart part)
{
    const auto text = keys::exportJwk(key, part, key.meta());
    if (!text) {
        return std::unexpected(text.error());
    }
    return QJsonDocument::fromJson(*text).object();
}

} // namespace

Result<QByteArray> serializeWorkspace(const WorkspaceData& data, const SecretBytes* passphrase,
                                      const ScryptParams& params)
{
    QJsonObject root;
    root.insert(QStringLiteral("format"), formatTag());
    root.insert(QStringLiteral("version"), workspaceFormatVersion);
    QJsonArray tokens;
    for (const QByteArray& token : data.tokens) {
        tokens.append(QString::fromLatin1(token));
    }
    root.insert(QStringLiteral("tokens"), tokens);
    QJsonArray keyList;
    QJsonObject privateJwks; // index -> private JWK, sealed below
    for (qsizetype i = 0; i < data.keys.size(); ++i) {
        const NamedKey& entry = data.keys.at(i);
        QJsonObject k;
        k.insert(QStringLiteral("name"), entry.name);
        const bool secretKey = entry.key->type() == keys::KeyType::Oct;
        if (!secretKey) {
            const auto pub = jwkObject(*entry.key, keys::KeyPart::Public);
            if (!pub) {
                return std::unexpected(pub.error());
            }
            k.insert(QStringLiteral("jwk"), *pub);
        }
        if (entry.key->hasPrivate()) {
            k.insert(QStringLiteral("private"), true);
            if (passphrase) {
                const auto priv = jwkObject(*entry.key, keys::KeyPart::Private);
                if (!priv) {
                    return std::unexpected(priv.error());
                }
                privateJwks.insert(QString::number(i), *priv);
            }
        }
        keyList.append(k);
    }
    root.insert(QStringLiteral("keys"), keyList);
    root.insert(QStringLiteral("settings"), data.settings);
    if (!data.timeline.isEmpty()) {
        root.insert(QStringLiteral("timeline"), inspect::timelineToJson(data.timeline, data.tokens));
    }
    if (passphrase && !privateJwks.isEmpty()) {
        QByteArray plain = QJsonDocument(privateJwks).toJson(QJsonDocument::Compact);
        const SecretBytes secret = SecretBytes::fromByteArray(plain);
        cleanse(plain);
        const auto sealed = seal(secret, *passphrase, kAad, params);
        if (!sealed) {
            return std::unexpected(sealed.error());
        }
        root.insert(QStringLiteral("secrets"), *sealed);
    }
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<void> saveWorkspaceFile(const QString& path, const WorkspaceData& data, const SecretBytes* passphrase,
                               const ScryptParams& params)
{
    const auto bytes = serializeWorkspace(data, passphrase, params);
    if (!bytes) {
        return std::unexpected(bytes.error());
    }
    return files::writeFileAtomic(path, *bytes, 0600);
}

bool hasSealedSecrets(QByteArrayView bytes)
{
    const auto root = jose::parseObject(bytes);
    return root && root->value(QStringLiteral("secrets")).isObject();
}

Result<LoadedWorkspace> parseWorkspace(QByteArrayView bytes, const SecretBytes* passphrase)
{
    if (std::size_t(bytes.size()) > limits::maxWorkspaceBytes) {
        return fail(ErrorCode::TooLarge,
                    QStringLiteral("The workspace file is %1 bytes, larger than the %2 MiB limit (%3 bytes).")
                        .arg(bytes.size())
                        .arg(limits::maxWorkspaceBytes / (1024 * 1024))
                        .arg(limits::maxWorkspaceBytes));
    }
    const jose::JsonScan scan = jose::scanJson(bytes);
    if (scan.error) {
        const Error e = jose::toError(*scan.error, QStringLiteral("The workspace file"));
        return fail(ErrorCode::InvalidData, QStringLiteral("The workspace file is damaged: %1").arg(e.message));
    }
    const auto rootResult = jose::parseObject(bytes, scan);
    if (!rootResult) {
        return fail(ErrorCode::InvalidData, QStringLiteral("The workspace file is damaged: it is not a JSON object."));
    }
    const QJsonObject& root = *rootResult;
    if (root.value(QStringLiteral("format")).toString() != formatTag()) {
        return fail(ErrorCode::InvalidData, QStringLiteral("This file is not a tokenbench workspace."));
    }
    const int version = root.value(QStringLiteral("version")).toInt(0);
    if (version > workspaceFormatVersion) {
        return fail(ErrorCode::Unsupported,
                    QStringLiteral("This workspace was saved by a newer tokenbench (format version %1); this "
                                   "version reads format version %2 and older.")
                        .arg(version)
                        .arg(workspaceFormatVersion));
    }
    if (version < 1 || !root.value(QStringLiteral("tokens")).isArray() ||
        !root.value(QStringLiteral("keys")).isArray()) {
        return fail(ErrorCode::InvalidData,
                    QStringLiteral("The workspace file is damaged: its version, tokens or keys are missing."));
    }
    LoadedWorkspace out;
    for (const QJsonValue& t : root.value(QStringLiteral("tokens")).toArray()) {
        if (!t.isString()) {
            return fail(ErrorCode::InvalidData, QStringLiteral("The workspace file is damaged: a token is not a "
                                                               "string."));
        }
        out.data.tokens.append(t.toString().toLatin1());
    }
    QJsonObject privateJwks;
    const QJsonValue sealed = root.value(QStringLiteral("secrets"));
    if (sealed.isObject()) {
        if (passphrase) {
            const auto plain = open(sealed.toObject(), *passphrase, kAad);
            if (!plain) {
                return std::unexpected(plain.error());
            }
            QByteArray text = plain->reveal();
            privateJwks = QJsonDocument::fromJson(text).object();
            cleanse(text);
        } else {
            out.notes.append(QStringLiteral("Private keys and secrets were not unlocked (no passphrase given)."));
        }
    }
    const QJsonArray keyList = root.value(QStringLiteral("keys")).toArray();
    for (qsizetype i = 0; i < keyList.size(); ++i) {
        const QJsonObject k = keyList.at(i).toObject();
        const QString name = k.value(QStringLiteral("name")).toString();
        QJsonObject jwk = privateJwks.value(QString::number(i)).toObject();
        if (jwk.isEmpty()) {
            jwk = k.value(QStringLiteral("jwk")).toObject();
            if (jwk.isEmpty()) {
                out.notes.append(QStringLiteral("Key '%1': the secret was not saved, so it is left out.").arg(name));
                continue;
            }
            if (k.value(QStringLiteral("private")).toBool() && !sealed.isObject()) {
                out.notes.append(QStringLiteral("Key '%1': the private part was not saved.").arg(name));
            }
        }
        const auto key = keys::importJwk(jwk);
        if (!key) {
            out.notes.append(QStringLiteral("Key '%1' was skipped: %2").arg(name, key.error().message));
            continue;
        }
        out.data.keys.append({name, *key});
    }
    out.data.settings = root.value(QStringLiteral("settings")).toObject();
    inspect::LoadedTimeline timeline =
        inspect::timelineFromJson(root.value(QStringLiteral("timeline")), out.data.tokens);
    out.data.timeline = std::move(timeline.marks);
    out.notes.append(timeline.notes);
    return out;
}

} // namespace tb::workspace
