#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <QByteArray>

namespace tb {

// Move-only owner of secret bytes (HMAC secrets, passphrases, raw private key material).
// Wiped on destruction and when moved from; never converts implicitly to Qt strings.
class SecretBytes
{
public:
    SecretBytes() = default;
    explicit SecretBytes(std::span<const std::uint8_t> bytes);
    // Copies the bytes of `bytes`; the caller remains responsible for wiping its own copy.
    static SecretBytes fromByteArray(const QByteArray& bytes);
    ~SecretBytes();

    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;

    // A deliberate copy, for the rare place that needs two owners.
    [[nodiscard]] SecretBytes clone() const;

    [[nodiscard]] std::size_t size() const { return m_bytes.size(); }
    [[nodiscard]] bool empty() const { return m_bytes.empty(); }
    // Never null, even when empty (OpenSSL's EVP_MAC_init refuses a null key of length 0).
    [[nodiscard]] const std::uint8_t* data() const;
    [[nodiscard]] std::span<const std::uint8_t> bytes() const { return {data(), size()}; }
    // An explicit copy into a QByteArray for display or export: the caller owns that copy.
    [[nodiscard]] QByteArray reveal() const;

    void clear();

private:
    std::vector<std::uint8_t> m_bytes;
};

// Wipes a buffer the caller owns (OPENSSL_cleanse underneath; never optimised away).
void cleanse(void* data, std::size_t size);
void cleanse(QByteArray& bytes);

} // namespace tb
