// The JSON tokenizer (scanJson), the object reader (parseObject), the whitespace transformations, member
// editing and the JSON tree. Properties: what scans pretty-prints and minifies to text that scans to the same
// tokens and reads as the same members; compact(pretty(x)) == compact(x); a quoted string reads back.
#include "FuzzSupport.h"

#include "inspect/JsonTree.h"
#include "jose/JsonText.h"

using namespace tb;

namespace {

QList<jose::JsonTokenType> types(const jose::JsonScan& scan)
{
    QList<jose::JsonTokenType> out;
    for (const jose::JsonToken& t : scan.tokens) {
        out.append(t.type);
    }
    return out;
}

void checkStrings(QByteArrayView text, const jose::JsonScan& scan)
{
    for (const jose::JsonToken& t : scan.tokens) {
        if (t.type != jose::JsonTokenType::String) {
            continue;
        }
        const QString value = jose::jsonStringValue(text.sliced(t.offset, t.length));
        const QByteArray quoted = jose::jsonQuote(value);
        const jose::JsonScan again = jose::scanJson(quoted);
        TB_FUZZ_CHECK(!again.error && again.tokens.size() == 1);
        TB_FUZZ_CHECK(jose::jsonStringValue(quoted) == value);
    }
}

void checkTransforms(QByteArrayView text, const jose::JsonScan& scan)
{
    const auto pretty = jose::prettyJson(text);
    const auto compact = jose::compactJson(text);
    TB_FUZZ_CHECK(pretty && compact);
    const jose::JsonScan prettyScan = jose::scanJson(*pretty);
    const jose::JsonScan compactScan = jose::scanJson(*compact);
    TB_FUZZ_CHECK(!prettyScan.error && !compactScan.error);
    TB_FUZZ_CHECK(types(prettyScan) == types(scan) && types(compactScan) == types(scan));
    TB_FUZZ_CHECK(prettyScan.duplicates.size() == scan.duplicates.size());
    TB_FUZZ_CHECK(jose::compactJson(*pretty).value_or(QByteArray()) == *compact);
    TB_FUZZ_CHECK(jose::prettyJson(*compact).value_or(QByteArray()) == *pretty);

    const auto object = jose::parseObject(text, scan);
    const auto prettyObject = jose::parseObject(*pretty);
    const auto compactObject = jose::parseObject(*compact);
    TB_FUZZ_CHECK(object.has_value() == prettyObject.has_value());
    TB_FUZZ_CHECK(object.has_value() == compactObject.has_value());
    if (object) {
        TB_FUZZ_CHECK(*object == *prettyObject && *object == *compactObject);
    }
}

void checkSetMember(QByteArrayView text, const jose::JsonScan& scan)
{
    if (!scan.topLevelIsObject) {
        return;
    }
    for (const jose::InsertAt where : {jose::InsertAt::AtStart, jose::InsertAt::AtEnd}) {
        const auto edited = jose::setTopLevelMember(text, QStringLiteral("alg"), "\"HS256\"", where);
        TB_FUZZ_CHECK(edited.has_value());
        const jose::JsonScan editedScan = jose::scanJson(*edited);
        if (editedScan.error) {
            // Only a limit may stop the edited text (one more member or one more byte).
            TB_FUZZ_CHECK(editedScan.error->kind != jose::JsonErrorKind::Syntax);
            continue;
        }
        if (scan.duplicates.isEmpty()) {
            const auto object = jose::parseObject(*edited, editedScan);
            if (object) {
                TB_FUZZ_CHECK(object->value(QStringLiteral("alg")).toString() == QStringLiteral("HS256"));
            }
        }
    }
}

} // namespace

TB_FUZZ_TARGET(json)
{
    const QByteArray text = fuzz::copy(data, size);
    const jose::JsonScan scan = jose::scanJson(text);
    const auto tree = inspect::parseJsonTree(text);
    TB_FUZZ_CHECK(tree.has_value() == !scan.error);
    if (scan.error) {
        TB_FUZZ_CHECK(!jose::toError(*scan.error).message.isEmpty());
        TB_FUZZ_CHECK(!jose::prettyJson(text) && !jose::compactJson(text) && !jose::parseObject(text));
        return 0;
    }
    checkStrings(text, scan);
    checkTransforms(text, scan);
    checkSetMember(text, scan);
    return 0;
}
