#include "JsonTree.h"

#include <cmath>

#include <QLocale>

namespace tb::inspect {

namespace {

using jose::JsonToken;
using jose::JsonTokenType;

JsonNode buildNode(QByteArrayView text, const QList<JsonToken>& tokens, qsizetype& i)
{
    JsonNode node;
    const JsonToken& t = tokens[i];
    const qsizetype start = i;
    switch (t.type) {
    case JsonTokenType::BeginObject:
    case JsonTokenType::BeginArray: {
        const bool object = t.type == JsonTokenType::BeginObject;
        node.type = object ? JsonNode::Type::Object : JsonNode::Type::Array;
        const JsonTokenType end = object ? JsonTokenType::EndObject : JsonTokenType::EndArray;
        ++i;
        while (i < tokens.size() && tokens[i].type != end) {
            if (tokens[i].type == JsonTokenType::Comma) {
                ++i;
                continue;
            }
            if (object) {
                const QString key = jose::jsonStringValue(text.sliced(tokens[i].offset, tokens[i].length));
                i += 2; // key and ':'
                JsonNode value = buildNode(text, tokens, i);
                const qsizetype at = node.keys.indexOf(key);
                if (at >= 0) {
                    node.children[at] = std::move(value);
                } else {
                    node.keys.append(key);
                    node.children.append(std::move(value));
                }
            } else {
                node.children.append(buildNode(text, tokens, i));
            }
        }
        break;
    }
    case JsonTokenType::String:
        node.type = JsonNode::Type::String;
        break;
    case JsonTokenType::Number:
        node.type = JsonNode::Type::Number;
        break;
    case JsonTokenType::True:
    case JsonTokenType::False:
        node.type = JsonNode::Type::Bool;
        break;
    default:
        node.type = JsonNode::Type::Null;
        break;
    }
    // `i` is on the value's last token (a scalar, or the closing bracket).
    for (qsizetype k = start; k <= i && k < tokens.size(); ++k) {
        node.compact.append(text.sliced(tokens[k].offset, tokens[k].length));
    }
    ++i;
    return node;
}

} // namespace

const JsonNode* JsonNode::member(const QString& key) const
{
    const qsizetype at = keys.indexOf(key);
    return at >= 0 ? &children[at] : nullptr;
}

Result<JsonNode> parseJsonTree(QByteArrayView text)
{
    const jose::JsonScan scan = jose::scanJson(text);
    if (scan.error) {
        return std::unexpected(jose::toError(*scan.error));
    }
    if (scan.tokens.isEmpty()) {
        return fail(ErrorCode::BadJson, QStringLiteral("The JSON text is empty."));
    }
    qsizetype i = 0;
    return buildNode(text, scan.tokens, i);
}

QString pointerToken(const QString& key)
{
    QString out = key;
    out.replace(u'~', QStringLiteral("~0"));
    out.replace(u'/', QStringLiteral("~1"));
    return out;
}

QByteArray numberJson(double value)
{
    if (std::trunc(value) == value && std::fabs(value) < 9007199254740992.0) {
        return QByteArray::number(static_cast<qint64>(value));
    }
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace tb::inspect
