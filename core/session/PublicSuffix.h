#pragma once

#include <memory>

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QString>

#include "base/Error.h"

namespace tb::session {

// The Public Suffix List (publicsuffix.org) and its matching algorithm: normal rules, wildcards ("*.ck")
// and exceptions ("!www.ck"), the ICANN and the private sections (browsers honour both). Domains and rules
// are compared in lower-case ASCII (IDN labels in punycode).
class PublicSuffixList
{
public:
    enum class Section
    {
        None, // no rule matched: the implicit "*" rule
        Icann,
        Private,
    };
    struct Match
    {
        QByteArray suffix; // the public suffix of the domain
        QByteArray rule;   // the prevailing rule as listed ("co.uk", "*.ck", "!www.ck"), "*" for the default
        Section section = Section::None;
    };

    inline static constexpr qsizetype maxFileBytes = 16 * 1024 * 1024;

    // Debian's copy (package "publicsuffix").
    static QString systemPath();
    // Parses the list's text format; fails past maxFileBytes or when no rule is found.
    static Result<PublicSuffixList> parse(QByteArrayView text);
    static Result<PublicSuffixList> load(const QString& path);
    // The system list, loaded once (thread-safe); the error explains what is missing.
    static const Result<std::shared_ptr<const PublicSuffixList>>& system();

    [[nodiscard]] qsizetype ruleCount() const { return m_rules.size(); }
    // Empty for an empty or malformed domain (empty label).
    [[nodiscard]] Match match(QByteArrayView domain) const;
    // True when the domain is itself a public suffix ("co.uk", "foo.ck", "github.io").
    [[nodiscard]] bool isPublicSuffix(QByteArrayView domain) const;

private:
    struct Rule
    {
        bool exception = false;
        Section section = Section::None;
    };
    QHash<QByteArray, Rule> m_rules; // key: the rule without "!" ("*.ck", "www.ck", "co.uk")
};

using PublicSuffixSource = Result<std::shared_ptr<const PublicSuffixList>>;

// Lower-case ASCII form of a host or Domain value (IDN labels to punycode, trailing dot removed).
QByteArray canonicalDomain(QByteArrayView domain);

} // namespace tb::session
