#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include "base/Error.h"
#include "jose/JsonText.h"

namespace tb::inspect {

// A read-only tree over a JSON text, built from scanJson's tokens: member order and value spelling are kept.
struct JsonNode
{
    enum class Type
    {
        Object,
        Array,
        String,
        Number,
        Bool,
        Null,
    };
    Type type = Type::Null;
    QByteArray compact;       // the value's own tokens joined (no insignificant whitespace)
    QList<QString> keys;      // Object: member names in first-appearance order
    QList<JsonNode> children; // Object: values by keys (a duplicated key keeps its last value); Array
    [[nodiscard]] const JsonNode* member(const QString& key) const;
    [[nodiscard]] bool isObject() const { return type == Type::Object; }
};

// Parses one JSON value. Fails with BadJson/TooDeep/TooLarge when `text` does not scan.
Result<JsonNode> parseJsonTree(QByteArrayView text);

// Escapes a member name for a JSON Pointer (RFC 6901): '~' -> "~0", '/' -> "~1".
QString pointerToken(const QString& key);

// Integral values print as integers, others in the shortest form that reads back the same double.
QByteArray numberJson(double value);

} // namespace tb::inspect
