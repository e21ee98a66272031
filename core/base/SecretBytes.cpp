#include "SecretBytes.h"

#include <openssl/crypto.h>

namespace tb {

namespace {
const std::uint8_t emptyByte = 0;
}

SecretBytes::SecretBytes(std::span<const std::uint8_t> bytes)
    : m_bytes(bytes.begin(), bytes.end())
{}

SecretBytes SecretBytes::fromByteArray(const QByteArray& bytes)
{
    const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.constData());
    return SecretBytes(std::span<const std::uint8_t>(p, static_cast<std::size_t>(bytes.size())));
}

SecretBytes::~SecretBytes()
{
    clear();
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : m_bytes(std::move(other.m_bytes))
{
    other.clear();
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept
{
    if (this != &other) {
        clear();
        m_bytes = std::move(other.m_bytes);
        other.clear();
    }
    return *this;
}

SecretBytes SecretBytes::clone() const
{
    return SecretBytes(bytes());
}

const std::uint8_t* SecretBytes::data() const
{
    return m_bytes.empty() ? &emptyByte : m_bytes.data();
}

QByteArray SecretBytes::reveal() const
{
    return QByteArray(reinterpret_cast<const char*>(data()), static_cast<qsizetype>(size()));
}

void SecretBytes::clear()
{
    if (!m_bytes.empty()) {
        OPENSSL_cleanse(m_bytes.data(), m_bytes.size());
    }
    m_bytes.clear();
    m_bytes.shrink_to_fit();
}

void cleanse(void* data, std::size_t size)
{
    if (data != nullptr && size > 0) {
        OPENSSL_cleanse(data, size);
    }
}

void cleanse(QByteArray& bytes)
{
    if (!bytes.isEmpty()) {
        bytes.detach();
        OPENSSL_cleanse(bytes.data(), static_cast<std::size_t>(bytes.size()));
    }
    bytes.clear();
}

} // namespace tb
