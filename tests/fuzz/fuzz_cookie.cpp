// Set-Cookie and Cookie header parsing, the cookie-date algorithm and the cookie linter over the parse.
// Property: a parsed Set-Cookie keeps its raw text, and an IMF-fixdate always parses as a cookie-date.
#include "FuzzSupport.h"

#include "session/Cookie.h"
#include "session/CookieLint.h"

using namespace tb;

TB_FUZZ_TARGET(cookie)
{
    const QByteArray text = fuzz::copy(data, size);
    const session::SetCookie one = session::parseSetCookie(text);
    (void)one.persistent();
    (void)session::parseCookieHeader(text);
    if (session::isImfFixdate(text)) {
        TB_FUZZ_CHECK(session::parseCookieDate(text).has_value());
    } else {
        (void)session::parseCookieDate(text);
    }
    const auto input = session::parseCookieInput(text);
    if (!input) {
        TB_FUZZ_CHECK(!input.error().message.isEmpty());
        return 0;
    }
    for (const session::SetCookie& cookie : input->setCookies) {
        TB_FUZZ_CHECK(text.contains(cookie.raw));
    }
    session::CookieLintOptions options;
    options.now = 1700000000;
    options.url = QUrl(QStringLiteral("https://app.example.com/login"));
    (void)session::lintCookies(*input, options);
    return 0;
}
