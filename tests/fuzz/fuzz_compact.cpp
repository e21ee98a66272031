// Compact JWS/JWE parsing and everything that reads a pasted JWS: the verifier, the linter, the
// malleability report and the token diff. Property: the segments rejoin to the input, and a segment without
// quirks re-encodes to the same characters.
#include "FuzzSupport.h"

#include "audit/lint/Lint.h"
#include "inspect/Malleate.h"
#include "inspect/TokenDiff.h"
#include "jose/Base64Url.h"
#include "jose/Compact.h"
#include "jose/Decode.h"
#include "jose/JsonText.h"
#include "keys/KeyIo.h"
#include "validate/Verifier.h"

using namespace tb;

namespace {

void checkRoundTrip(const jose::CompactToken& token)
{
    TB_FUZZ_CHECK(token.segments.join('.') == token.raw);
    TB_FUZZ_CHECK(token.segments.size() == (token.kind == jose::TokenKind::Jws ? 3 : 5));
    if (token.headerQuirks == jose::QuirkNone) {
        TB_FUZZ_CHECK(jose::base64UrlEncode(token.header) == token.segments[0]);
    }
    if (token.kind == jose::TokenKind::Jws) {
        if (token.payloadQuirks == jose::QuirkNone) {
            TB_FUZZ_CHECK(jose::base64UrlEncode(token.payload) == token.segments[1]);
        }
        if (token.signatureCanonical) {
            TB_FUZZ_CHECK(jose::base64UrlEncode(token.signature) == token.segments[2]);
        }
    }
}

const keys::KeyPtr& hmacKey()
{
    static const keys::KeyPtr key = keys::secretKey("fuzzing-secret-fuzzing-secret-32");
    return key;
}

// decodeToken accepts exactly what parseCompact and the two scans accept, with the same bytes, and every
// member its views index can be read back.
void checkDecode(const QByteArray& text, const jose::CompactToken& token)
{
    const jose::JsonScan header = jose::scanJson(token.header);
    bool payloadOk = true;
    if (token.kind == jose::TokenKind::Jws && !token.payload.isEmpty()) {
        const jose::JsonScan payload = jose::scanJson(token.payload);
        payloadOk = !payload.error || payload.error->kind == jose::JsonErrorKind::Syntax;
    }
    const auto decoded = jose::decodeToken(text);
    TB_FUZZ_CHECK(decoded.has_value() == (!header.error && header.topLevelIsObject && payloadOk));
    if (!decoded) {
        TB_FUZZ_CHECK(!decoded.error().message.isEmpty());
        return;
    }
    TB_FUZZ_CHECK(decoded->compact.header == token.header && decoded->compact.payload == token.payload);
    TB_FUZZ_CHECK(decoded->warnings.mid(0, token.warnings.size()) == token.warnings);
    for (const jose::JsonObjectView& view : {decoded->header(), decoded->payload()}) {
        for (const QString& key : view.keys()) {
            TB_FUZZ_CHECK(!view.raw(key.toUtf8()).isEmpty());
        }
    }
}

} // namespace

TB_FUZZ_TARGET(compact)
{
    const QByteArray text = fuzz::copy(data, size);
    const auto token = jose::parseCompact(text);
    if (!token) {
        TB_FUZZ_CHECK(!token.error().message.isEmpty());
        return 0;
    }
    checkRoundTrip(*token);
    checkDecode(text, *token);
    (void)jose::parseObject(token->header);

    validate::Policy policy;
    policy.now = 1700000000;
    policy.allowedAlgs = QList<jose::Alg>{jose::Alg::HS256, jose::Alg::None};
    validate::KeyInput keys;
    keys.key = hmacKey();
    (void)validate::verifyToken(text, keys, policy);
    validate::Policy embedded;
    embedded.trustEmbeddedKey = true;
    (void)validate::verifyToken(text, validate::KeyInput{}, embedded);

    audit::LintOptions lint;
    lint.now = 1700000000;
    (void)audit::lintToken(text, lint);
    (void)inspect::malleate(text, &keys, policy);
    (void)inspect::diffTokens(text, "eyJhbGciOiJIUzI1NiJ9.e30.");
    return 0;
}
