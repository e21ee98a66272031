// Compact JWS/JWE parsing and everything that reads a pasted JWS: the verifier, the linter, the
// malleability report and the token diff. Property: the segments rejoin to the input, and a segment without
// quirks re-encodes to the same characters.
#include "FuzzSupport.h"

#include "audit/lint/Lint.h"
#include "inspect/Malleate.h"
#include "inspect/TokenDiff.h"
#include "jose/Base64Url.h"
#include "jose/Compact.h"
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
