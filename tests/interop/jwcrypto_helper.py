#!/usr/bin/env python3
"""The python3-jwcrypto side of tst_interop: reads a JSON list of operations on stdin and prints a
JSON list of results (one per operation, same order) on stdout.

Operations ({"op": ...}):
  probe                                      -> {"version": "1.1.0", "algs": [...]}
  generate  alg, [crv], payload              -> the key in every form, and a token signed over payload
  sign      alg, key, payload                -> {"token": compact}
  verify    alg, key, token                  -> {"valid": bool, "error": str}
  roundtrip alg, private, public, payload    -> sign with `private`, verify with `public`: {"valid", "token"}

A key is {"jwk": <JSON text>} | {"pem": <PEM text>} | {"secret_hex": <hex>} | {"file": <path>,
"format": "jwk"|"pem"|"raw"}. Every failure is reported in the result, never raised, so one bad
case does not hide the others.
"""

import base64
import json
import sys

try:
    from jwcrypto import jwk, jws
    from jwcrypto.common import json_encode
except ImportError as exc:  # tst_interop skips when this happens
    print(json.dumps({"missing": str(exc)}))
    sys.exit(3)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def load_key(spec):
    if "file" in spec:
        with open(spec["file"], "rb") as f:
            data = f.read()
        fmt = spec.get("format", "pem")
        if fmt == "jwk":
            return jwk.JWK.from_json(data.decode("utf-8"))
        if fmt == "raw":
            return jwk.JWK(kty="oct", k=b64url(data))
        return jwk.JWK.from_pem(data)
    if "jwk" in spec:
        return jwk.JWK.from_json(spec["jwk"])
    if "pem" in spec:
        return jwk.JWK.from_pem(spec["pem"].encode("ascii"))
    if "secret_hex" in spec:
        return jwk.JWK(kty="oct", k=b64url(bytes.fromhex(spec["secret_hex"])))
    raise ValueError("no key given")


def sign(alg, key, payload):
    token = jws.JWS(payload.encode("utf-8"))
    token.add_signature(key, None, json_encode({"alg": alg, "typ": "JWT"}), None)
    return token.serialize(compact=True)


def verify(alg, key, token):
    try:
        obj = jws.JWS()
        obj.allowed_algs = [alg]
        obj.deserialize(token)
        obj.verify(key, alg=alg)
        return {"valid": True, "error": ""}
    except Exception as exc:  # noqa: BLE001 - any refusal is a verdict here
        return {"valid": False, "error": "%s: %s" % (type(exc).__name__, exc)}


def generate(alg, crv):
    if alg.startswith("HS"):
        key = jwk.JWK.generate(kty="oct", size=int(alg[2:]))
    elif alg[:2] in ("RS", "PS"):
        key = jwk.JWK.generate(kty="RSA", size=2048)
    elif alg == "EdDSA":
        key = jwk.JWK.generate(kty="OKP", crv=crv or "Ed25519")
    else:
        key = jwk.JWK.generate(kty="EC", crv={"ES256": "P-256", "ES384": "P-384", "ES512": "P-521",
                                              "ES256K": "secp256k1"}[alg])
    if key["kty"] == "oct":
        out = {"private_jwk": key.export(private_key=True)}
        out["secret_hex"] = base64.urlsafe_b64decode(key["k"] + "=" * (-len(key["k"]) % 4)).hex()
    else:
        out = {"private_jwk": key.export_private()}
        out["public_jwk"] = key.export_public()
        out["private_pem"] = key.export_to_pem(private_key=True, password=None).decode("ascii")
        out["public_pem"] = key.export_to_pem().decode("ascii")
    return key, out


def run(op):
    kind = op["op"]
    if kind == "probe":
        try:
            from importlib.metadata import version
            ver = version("jwcrypto")
        except Exception:  # noqa: BLE001 - the version is informative only
            ver = "?"
        return {"version": ver,
                "algs": list(jws.default_allowed_algs)}
    if kind == "generate":
        key, out = generate(op["alg"], op.get("crv"))
        out["token"] = sign(op["alg"], key, op["payload"])
        return out
    if kind == "sign":
        return {"token": sign(op["alg"], load_key(op["key"]), op["payload"])}
    if kind == "verify":
        return verify(op["alg"], load_key(op["key"]), op["token"])
    if kind == "roundtrip":
        token = sign(op["alg"], load_key(op["private"]), op["payload"])
        result = verify(op["alg"], load_key(op["public"]), token)
        result["token"] = token
        return result
    raise ValueError("unknown op %r" % kind)


def main():
    results = []
    for op in json.load(sys.stdin):
        try:
            results.append(run(op))
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails with it
            results.append({"exception": "%s: %s" % (type(exc).__name__, exc)})
    json.dump(results, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
