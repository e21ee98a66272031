#!/usr/bin/env python3
"""The python3-jwcrypto side of tst_jwe's interop rows: a JSON list of operations on stdin, a JSON list of
results (same order) on stdout. Exit 3 when jwcrypto is missing (the test skips).

  {"op": "encrypt", "key": KEY, "alg", "enc", "plaintext_hex", ["zip": true]} -> {"token": compact}
  {"op": "decrypt", "key": KEY, "token"}                                      -> {"plaintext_hex": ...}

KEY is {"jwk": <JSON text>} or {"password": <text>} (PBES2). Failures are reported as {"error": str}.
"""

import json
import sys

try:
    from jwcrypto import jwe, jwk
except ImportError as exc:
    print(json.dumps({"missing": str(exc)}))
    sys.exit(3)

ALL_ALGS = [
    "RSA1_5", "RSA-OAEP", "RSA-OAEP-256", "A128KW", "A192KW", "A256KW", "dir", "ECDH-ES", "ECDH-ES+A128KW",
    "ECDH-ES+A192KW", "ECDH-ES+A256KW", "A128GCMKW", "A192GCMKW", "A256GCMKW", "PBES2-HS256+A128KW",
    "PBES2-HS384+A192KW", "PBES2-HS512+A256KW", "A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM",
    "A192GCM", "A256GCM",
]


def load_key(spec):
    if "password" in spec:
        return jwk.JWK.from_password(spec["password"])
    return jwk.JWK.from_json(spec["jwk"])


def run(op):
    key = load_key(op["key"])
    if op["op"] == "encrypt":
        protected = {"alg": op["alg"], "enc": op["enc"]}
        if op.get("zip"):
            protected["zip"] = "DEF"
        token = jwe.JWE(bytes.fromhex(op["plaintext_hex"]), json.dumps(protected), algs=ALL_ALGS)
        token.add_recipient(key)
        return {"token": token.serialize(compact=True)}
    token = jwe.JWE(algs=ALL_ALGS)
    token.deserialize(op["token"], key=key)
    return {"plaintext_hex": token.payload.hex()}


def main():
    results = []
    for op in json.load(sys.stdin):
        try:
            results.append(run(op))
        except Exception as exc:  # reported per operation
            results.append({"error": "%s: %s" % (type(exc).__name__, exc)})
    print(json.dumps(results))


if __name__ == "__main__":
    main()
