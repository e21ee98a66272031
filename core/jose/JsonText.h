#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QString>

#include "base/Error.h"
#include "base/Limits.h"

namespace tb::jose {

// A JSON text tokenizer that works on the exact bytes: it never re-serialises values, so key order,
// number spelling and string escapes stay as typed (DESIGN decision 1).

enum class JsonTokenType
{
    BeginObject,
    EndObject,
    BeginArray,
    EndArray,
    Colon,
    Comma,
    String,
    Number,
    True,
    False,
    Null,
};

struct JsonToken
{
    JsonTokenType type;
    qsizetype offset; // byte offset in the text
    qsizetype length; // byte length
    int depth;        // nesting depth of the token (0 = top level)
    bool isKey;       // a String token that names an object member
    bool escaped;     // a String token with at least one escape (its bytes are not its value)
};

struct JsonPosition
{
    qsizetype offset = 0; // byte offset
    int line = 1;         // 1-based
    int column = 1;       // 1-based, in bytes
};

enum class JsonErrorKind
{
    Syntax,         // not RFC 8259 JSON
    TooDeep,        // nesting past maxDepth
    TooManyMembers, // one object or array past maxMembers members/elements
};

struct JsonSyntaxError
{
    JsonPosition position;
    QString message; // e.g. "Expected ':' after an object key."
    JsonErrorKind kind = JsonErrorKind::Syntax;
};

struct JsonDuplicateKey
{
    QString key;            // decoded key text
    QString path;           // JSON Pointer of the object holding it, "" for the top level
    JsonPosition first;     // where the key first appeared
    JsonPosition duplicate; // where it appeared again
};

struct JsonScan
{
    QList<JsonToken> tokens;
    std::optional<JsonSyntaxError> error; // set when the text is not exactly one valid JSON value
    QList<JsonDuplicateKey> duplicates;
    bool topLevelIsObject = false;
};

// Tokenizes `text` as one JSON value (RFC 8259), recording duplicate keys in every object.
// Stops at the first syntax error, at nesting deeper than maxDepth, or past maxMembers members/elements;
// those limits are reported as errors whose message names the limit.
JsonScan scanJson(QByteArrayView text, int maxDepth = limits::maxJsonDepth,
                  qsizetype maxMembers = qsizetype(limits::maxJsonMembers));

// The error as a tb::Error (BadJson, TooDeep or TooLarge) whose sentence names `what` ("The header"),
// the line and the column.
Error toError(const JsonSyntaxError& error, const QString& what = QStringLiteral("The JSON text"));

// The decoded text of a String token as scanJson produced it (quotes included); the token must be valid.
QString jsonStringValue(QByteArrayView token);

// Whitespace-only transformations; fail with BadJson/TooDeep when the text does not scan.
Result<QByteArray> prettyJson(QByteArrayView text, int indent = 2);
Result<QByteArray> compactJson(QByteArrayView text);

// Parses a JSON object text for reading values (QJsonObject sorts keys: never use it to produce bytes).
// Fails with BadJson naming line and column, or TooDeep.
Result<QJsonObject> parseObject(QByteArrayView text);
// The same, reusing a scan of the same text made with the default limits (saves the second scan).
Result<QJsonObject> parseObject(QByteArrayView text, const JsonScan& scan);

// Sets a top-level member of an object text, editing bytes in place:
// an existing member's value is replaced where it stands (the first occurrence when duplicated);
// a missing one is inserted first (AtStart) or last (AtEnd). `valueJson` is inserted verbatim.
enum class InsertAt
{
    AtStart,
    AtEnd,
};
Result<QByteArray> setTopLevelMember(QByteArrayView objectText, const QString& key, QByteArrayView valueJson,
                                     InsertAt where);

// JSON string literal for `text` (quotes included), with the minimal escapes of RFC 8259.
QByteArray jsonQuote(const QString& text);

} // namespace tb::jose
