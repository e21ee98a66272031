#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace tb::workspace {

// What a pasted or dropped text holds, so the GUI can open the right pane with it.
enum class InputKind
{
    Unknown,
    Jws,             // a compact JWS (3 segments), possibly unsigned
    Jwe,             // a compact JWE (5 segments)
    Pem,             // a PEM block (key or certificate)
    Jwk,             // one JWK object
    Jwks,            // a JWK Set
    SetCookieHeader, // "Set-Cookie:" header lines whose cookies hold no token (for the cookie analyser)
    CookieHeader,    // a "Cookie:" request header that holds no token
};

struct DetectedInput
{
    InputKind kind = InputKind::Unknown;
    QByteArray payload; // the token, or the key text, extracted from its wrapper
    QString source;     // where it was found, one phrase: "an Authorization header", "cookie 'sid'"
};

// Recognises a bare compact token, "Authorization: Bearer ...", "Bearer ...", "Cookie:" and "Set-Cookie:"
// headers (the first cookie value that is a token), PEM, a JWK and a JWK Set. Cookie headers without a token
// are SetCookieHeader / CookieHeader, with the header lines (and a status line) of the text as the payload.
// Bounded by limits::maxTokenBytes; never fails, returns Unknown instead.
DetectedInput detectInput(QByteArrayView text);

} // namespace tb::workspace
