#!/usr/bin/python3
"""Builds the seed corpus of every fuzz target from ../shared/vectors, the test sources and resources/.

Usage: seed_corpus.py SOURCE_DIR VECTORS_DIR OUT_DIR
Writes OUT_DIR/<target>/<sha1> files (small, deduplicated). Nothing here is committed: the corpus is
regenerated on every `make fuzz`, so it follows the vectors and the tests as they grow.
"""
import base64
import glob
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

TARGETS = ["fuzz_compact", "fuzz_jwe", "fuzz_base64url", "fuzz_json", "fuzz_keys", "fuzz_cookie",
           "fuzz_scenario", "fuzz_workspace", "fuzz_wordlist", "fuzz_identify"]
MAX_SEED_BYTES = 64 * 1024
MAX_PER_TARGET = 1500

COMPACT = re.compile(r"^[A-Za-z0-9_=+/-]+(\.[A-Za-z0-9_=+/-]*){2}$|^[A-Za-z0-9_=+/-]+(\.[A-Za-z0-9_=+/-]*){4}$")
CPP_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


class Corpus:
    def __init__(self, out):
        self.out = out
        self.counts = {t: 0 for t in TARGETS}
        for t in TARGETS:
            os.makedirs(os.path.join(out, t), exist_ok=True)

    def add(self, target, data):
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        if not data or len(data) > MAX_SEED_BYTES or self.counts[target] >= MAX_PER_TARGET:
            return
        path = os.path.join(self.out, target, hashlib.sha1(data).hexdigest())
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(data)
            self.counts[target] += 1


def walk(value, visit):
    visit(value)
    if isinstance(value, dict):
        for v in value.values():
            walk(v, visit)
    elif isinstance(value, list):
        for v in value:
            walk(v, visit)


def b64url_decode(segment):
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except Exception:
        return None


def add_token(corpus, token):
    corpus.add("fuzz_compact", token)
    corpus.add("fuzz_identify", token)
    segments = token.split(".")
    if len(segments) == 5:
        corpus.add("fuzz_jwe", token)
    for segment in segments:
        corpus.add("fuzz_base64url", segment)
    for segment in segments[:2]:
        decoded = b64url_decode(segment)
        if decoded and decoded[:1] in (b"{", b"["):
            corpus.add("fuzz_json", decoded)


def from_vectors(corpus, vectors_dir):
    tokens, jwks = [], []

    def visit(value):
        if isinstance(value, str):
            if COMPACT.match(value) and len(value) > 10:
                tokens.append(value)
            elif value.startswith("-----BEGIN"):
                corpus.add("fuzz_keys", value)
            elif value.startswith(("Set-Cookie:", "Cookie:")):
                corpus.add("fuzz_cookie", value)
        elif isinstance(value, dict):
            if "kty" in value:
                jwks.append(value)
                corpus.add("fuzz_keys", json.dumps(value))
                corpus.add("fuzz_json", json.dumps(value, indent=1))
            if isinstance(value.get("keys"), list):
                corpus.add("fuzz_keys", json.dumps(value))
            if "ciphertext" in value and ("protected" in value or "recipients" in value):
                corpus.add("fuzz_jwe", json.dumps(value))
                corpus.add("fuzz_identify", json.dumps(value))
            if "payload" in value and "signature" in value and isinstance(value["signature"], str):
                corpus.add("fuzz_identify", json.dumps(value))

    for path in sorted(glob.glob(os.path.join(vectors_dir, "**", "*.json"), recursive=True)):
        if "/schemas/" in path:
            continue
        with open(path, encoding="utf-8") as f:
            try:
                doc = json.load(f)
            except ValueError:
                continue
        walk(doc, visit)
    for token in tokens:
        add_token(corpus, token)
    return tokens, jwks


def cpp_literals(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for m in CPP_STRING.finditer(text):
        raw = m.group(1)
        try:
            yield raw.encode("latin-1", "backslashreplace").decode("unicode_escape")
        except UnicodeDecodeError:
            yield raw


def from_tests(corpus, source_dir, vectors_dir):
    for path in sorted(glob.glob(os.path.join(source_dir, "tests", "**", "*.cpp"), recursive=True)):
        if "/fuzz/" in path:
            continue
        cookie_file = "cookie" in path or "session" in path
        for literal in cpp_literals(path):
            if len(literal) < 4:
                continue
            if COMPACT.match(literal):
                add_token(corpus, literal)
            elif literal.startswith("{"):
                corpus.add("fuzz_json", literal)
                if '"kty"' in literal or '"keys"' in literal:
                    corpus.add("fuzz_keys", literal)
            elif cookie_file and "=" in literal:
                corpus.add("fuzz_cookie", literal)
            if "inspect" in path or "identify" in path:
                corpus.add("fuzz_identify", literal)
    ref = os.path.join(vectors_dir, "..", "SESSION-REFERENCE.md")
    if os.path.exists(ref):
        with open(ref, encoding="utf-8") as f:
            for line in f:
                if "Set-Cookie:" in line or "Cookie:" in line:
                    corpus.add("fuzz_cookie", line.strip().strip("`"))


def from_resources(corpus, source_dir):
    for path in sorted(glob.glob(os.path.join(source_dir, "resources", "scenarios", "*.json"))):
        with open(path, "rb") as f:
            data = f.read()
        corpus.add("fuzz_scenario", data)
        corpus.add("fuzz_json", data)
    words = os.path.join(source_dir, "resources", "wordlists", "jwt-secrets.txt")
    if os.path.exists(words):
        with open(words, "rb") as f:
            lines = f.read().split(b"\n")
        for i in range(0, len(lines), 40):
            chunk = b"\n".join(lines[i:i + 40])
            corpus.add("fuzz_wordlist", chunk)
            corpus.add("fuzz_wordlist", chunk.replace(b"\n", b"\r\n"))


def generated_keys(corpus):
    """PEM and DER forms of each key type, made by the openssl tool (small sizes: they only seed)."""
    specs = [["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
             ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
             ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
             ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1"],
             ["-algorithm", "ED25519"], ["-algorithm", "ED448"], ["-algorithm", "X25519"]]
    with tempfile.TemporaryDirectory() as tmp:
        for n, spec in enumerate(specs):
            key = os.path.join(tmp, "k%d.pem" % n)
            if subprocess.run(["openssl", "genpkey", *spec, "-out", key], capture_output=True).returncode:
                continue
            outputs = [["pkey", "-in", key], ["pkey", "-in", key, "-pubout"],
                       ["pkey", "-in", key, "-outform", "DER"], ["pkey", "-in", key, "-pubout", "-outform", "DER"],
                       ["pkey", "-in", key, "-traditional"]]
            if n < 4:
                outputs.append(["req", "-new", "-x509", "-key", key, "-subj", "/CN=fuzz", "-days", "1"])
            for args in outputs:
                r = subprocess.run(["openssl", *args], capture_output=True)
                if r.returncode == 0:
                    corpus.add("fuzz_keys", r.stdout)


def workspaces(corpus, tokens, jwks):
    for i in range(0, max(len(jwks), 1), 5):
        ws = {"format": "tokenbench-workspace", "version": 1, "tokens": tokens[i:i + 3],
              "keys": [{"name": "key %d" % j, "jwk": k, "private": "d" in k} for j, k in enumerate(jwks[i:i + 5])],
              "settings": {"decode/last": tokens[0] if tokens else "", "verify/leeway": 30}}
        corpus.add("fuzz_workspace", json.dumps(ws, indent=4))
    corpus.add("fuzz_workspace", json.dumps({"format": "tokenbench-workspace", "version": 1, "tokens": [],
                                             "keys": [{"name": "hs", "private": True}], "settings": {},
                                             "secrets": {"kdf": "scrypt", "n": 1024, "r": 8, "p": 1,
                                                         "salt": "AAAA", "iv": "AAAAAAAAAAAAAAAA",
                                                         "ct": "AAAA", "tag": "AAAAAAAAAAAAAAAAAAAAAA"}}))


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    source_dir, vectors_dir, out = sys.argv[1:]
    corpus = Corpus(out)
    tokens, jwks = from_vectors(corpus, vectors_dir)
    from_tests(corpus, source_dir, vectors_dir)
    from_resources(corpus, source_dir)
    generated_keys(corpus)
    workspaces(corpus, tokens, jwks)
    for target in TARGETS:
        print("seed corpus %-16s %4d inputs" % (target, corpus.counts[target]))


if __name__ == "__main__":
    main()
