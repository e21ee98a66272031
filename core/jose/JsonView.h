#pragma once

#include <optional>

#include <QByteArrayView>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QVarLengthArray>

#include "jose/JsonText.h"

namespace tb::jose {

// Read-only access to the top-level members of a scanned JSON object, straight from its bytes: no
// QJsonDocument, no copies on the verify path. `text` and `scan` must outlive the view. A duplicated member
// reads as its last occurrence (what JavaScript's JSON.parse does); duplicates() names them.
class JsonObjectView
{
public:
    JsonObjectView() = default; // an empty object
    // `scan` must be a scan of `text`; when it failed or is not an object, the view is empty.
    JsonObjectView(QByteArrayView text, const JsonScan& scan);

    [[nodiscard]] bool isObject() const { return m_isObject; }
    [[nodiscard]] bool contains(QByteArrayView key) const { return find(key) >= 0; }
    [[nodiscard]] std::optional<JsonTokenType> typeOf(QByteArrayView key) const;
    [[nodiscard]] std::optional<QString> string(QByteArrayView key) const;
    // A finite number; nullopt when absent, not a number, or outside the double range.
    [[nodiscard]] std::optional<double> number(QByteArrayView key) const;
    // An array whose elements are all strings; nullopt otherwise.
    [[nodiscard]] std::optional<QStringList> stringArray(QByteArrayView key) const;
    // The value's exact JSON text, empty when absent.
    [[nodiscard]] QByteArrayView raw(QByteArrayView key) const;
    // The value's tokens joined without the whitespace between them (spelling and order kept), cut after the
    // token that reaches `maxBytes`: a one-line preview of a value of any size. Empty when absent.
    [[nodiscard]] QByteArray compactRaw(QByteArrayView key, qsizetype maxBytes) const;
    // The value as Qt JSON (slow path: for the rare members that need a tree, e.g. an embedded jwk).
    [[nodiscard]] QJsonValue value(QByteArrayView key) const;
    [[nodiscard]] QStringList keys() const;
    // Members as written, duplicates included.
    [[nodiscard]] qsizetype memberCount() const { return m_members.size(); }
    [[nodiscard]] const QStringList& duplicates() const { return m_duplicates; }

private:
    struct Member
    {
        QByteArrayView key;   // decoded key bytes (UTF-8): a view into the text, or into m_decodedKeys
        qsizetype valueToken; // index of the value's first token
        qsizetype valueEnd;   // byte offset just past the value
    };
    [[nodiscard]] qsizetype find(QByteArrayView key) const;

    QByteArrayView m_text;
    const QList<JsonToken>* m_tokens = nullptr;
    QVarLengthArray<Member, 16> m_members;
    QList<QByteArray> m_decodedKeys; // keys written with escapes, decoded (their data never moves)
    QStringList m_duplicates;
    bool m_isObject = false;
};

} // namespace tb::jose
