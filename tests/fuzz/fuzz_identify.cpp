// identify: every detector (JWS/JWE, JSON serialisation, itsdangerous, Django, PASETO, Fernet, Branca,
// macaroons, SAML with inflate, opaque strings). Property: it never fails and its JSON report is valid JSON.
#include "FuzzSupport.h"

#include "inspect/Identify.h"
#include "jose/JsonText.h"

using namespace tb;

TB_FUZZ_TARGET(identify)
{
    const QByteArray text = fuzz::copy(data, size);
    const inspect::Identification id = inspect::identify(text);
    TB_FUZZ_CHECK(!id.kind.isEmpty() && !id.reason.isEmpty());
    const QByteArray json = inspect::identificationToJson(id);
    const jose::JsonScan scan = jose::scanJson(json.trimmed());
    TB_FUZZ_CHECK(!scan.error && scan.topLevelIsObject);
    TB_FUZZ_CHECK(!inspect::identificationToText(id).isEmpty());
    return 0;
}
