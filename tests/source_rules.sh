#!/usr/bin/env bash
# House rules a grep can check (STYLE.md): typed connects only, no deprecated or legacy OpenSSL calls.
set -u
cd "${1:-.}" || exit 2
files=$(git ls-files '*.cpp' '*.h' 2>/dev/null || find app core ui tests -name '*.cpp' -o -name '*.h')
status=0
check() { # description, extended regex
    local hits
    hits=$(grep -nE "$2" $files 2>/dev/null | grep -v 'source_rules' || true)
    if [ -n "$hits" ]; then
        echo "FAIL: $1"
        echo "$hits" | head -20
        status=1
    else
        echo "PASS: $1"
    fi
}
check "string-based connects (SIGNAL/SLOT)" '\b(SIGNAL|SLOT)\('
check "deprecated or legacy OpenSSL APIs" '\b(RSA_[a-z]|EC_KEY_|ECDSA_sign|ECDSA_do_sign|ECDSA_size|HMAC_CTX|HMAC_Init|HMAC\(|EVP_PKEY_get1_RSA|EVP_PKEY_get0_RSA|EVP_PKEY_get1_EC_KEY|EVP_PKEY_assign_|EVP_PKEY_cmp|SHA256_Init|ERR_get_error_line_data|ENGINE_|EVP_PKEY_new_mac_key|PEM_read_bio_RSA)'
check "memcmp on MACs or signatures (use CRYPTO_memcmp)" '\bmemcmp\([^)]*(mac|Mac|tag|Tag|sig|Sig)'
exit $status
