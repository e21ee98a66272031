#include "PublicSuffix.h"

#include <algorithm>

#include <QFile>
#include <QList>
#include <QUrl>

#include "base/Bytes.h"

namespace tb::session {

namespace {

const QByteArray privateMarker = "===BEGIN PRIVATE DOMAINS===";

bool isAscii(QByteArrayView text)
{
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

QByteArray joinLabels(const QList<QByteArray>& labels, qsizetype from)
{
    QByteArray out;
    for (qsizetype i = from; i < labels.size(); ++i) {
        if (!out.isEmpty()) {
            out += '.';
        }
        out += labels[i];
    }
    return out;
}

// A rule's text in the same canonical form as the domains it is matched with; "*" labels stay as they are.
QByteArray canonicalRule(QByteArrayView rule)
{
    if (isAscii(rule)) {
        return rule.toByteArray().toLower();
    }
    QByteArray out;
    for (const QByteArray& label : rule.toByteArray().split('.')) {
        if (!out.isEmpty()) {
            out += '.';
        }
        out += label == "*" ? label : canonicalDomain(label);
    }
    return out;
}

} // namespace

QByteArray canonicalDomain(QByteArrayView domain)
{
    QByteArrayView d = bytes::trimmed(domain);
    while (d.startsWith('.')) {
        d = d.sliced(1);
    }
    while (d.endsWith('.')) {
        d.chop(1);
    }
    if (isAscii(d)) {
        return d.toByteArray().toLower();
    }
    return QUrl::toAce(QString::fromUtf8(d)).toLower();
}

QString PublicSuffixList::systemPath()
{
    const QString overridden = qEnvironmentVariable("TB_PUBLIC_SUFFIX_LIST");
    return overridden.isEmpty() ? QStringLiteral("/usr/share/publicsuffix/public_suffix_list.dat") : overridden;
}

Result<PublicSuffixList> PublicSuffixList::parse(QByteArrayView text)
{
    if (text.size() > maxFileBytes) {
        return fail(ErrorCode::TooLarge,
                    QStringLiteral("The Public Suffix List is larger than %1 MiB.").arg(maxFileBytes / (1024 * 1024)));
    }
    PublicSuffixList list;
    Section section = Section::Icann;
    const QList<QByteArray> lines = text.toByteArray().split('\n');
    for (const QByteArray& rawLine : lines) {
        QByteArrayView line = bytes::trimmed(rawLine);
        if (line.startsWith("//")) {
            if (line.contains(privateMarker)) {
                section = Section::Private;
            }
            continue;
        }
        // A rule ends at the first whitespace (the format allows trailing text).
        const auto end = std::find_if(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
        line = line.first(end - line.begin());
        if (line.isEmpty()) {
            continue;
        }
        const bool exception = line.startsWith('!');
        const QByteArray rule = canonicalRule(exception ? line.sliced(1) : line);
        if (!rule.isEmpty()) {
            list.m_rules.insert(rule, Rule{exception, section});
        }
    }
    if (list.m_rules.isEmpty()) {
        return fail(ErrorCode::InvalidData, QStringLiteral("The Public Suffix List holds no rules."));
    }
    return list;
}

Result<PublicSuffixList> PublicSuffixList::load(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(ErrorCode::NotFound,
                    QStringLiteral("The Public Suffix List %1 could not be read (%2); install Debian's publicsuffix "
                                   "package.")
                        .arg(path, file.errorString()));
    }
    return parse(file.read(maxFileBytes + 1));
}

const Result<std::shared_ptr<const PublicSuffixList>>& PublicSuffixList::system()
{
    static const Result<std::shared_ptr<const PublicSuffixList>> list =
        [&]() -> Result<std::shared_ptr<const PublicSuffixList>> {
        auto loaded = load(systemPath());
        if (!loaded) {
            return std::unexpected(loaded.error());
        }
        return std::make_shared<const PublicSuffixList>(std::move(*loaded));
    }();
    return list;
}

PublicSuffixList::Match PublicSuffixList::match(QByteArrayView domain) const
{
    const QByteArray canonical = canonicalDomain(domain);
    const QList<QByteArray> labels = canonical.split('.');
    if (canonical.isEmpty() ||
        std::any_of(labels.begin(), labels.end(), [](const QByteArray& l) { return l.isEmpty(); })) {
        return {};
    }
    // An exception rule prevails over every other match; its public suffix drops the leftmost label.
    for (qsizetype i = 0; i < labels.size(); ++i) {
        const auto it = m_rules.constFind(joinLabels(labels, i));
        if (it != m_rules.constEnd() && it->exception) {
            return {joinLabels(labels, i + 1), "!" + it.key(), it->section};
        }
    }
    // Otherwise the rule with the most labels, i.e. the first match from the left.
    for (qsizetype i = 0; i < labels.size(); ++i) {
        const QByteArray suffix = joinLabels(labels, i);
        const auto exact = m_rules.constFind(suffix);
        if (exact != m_rules.constEnd() && !exact->exception) {
            return {suffix, exact.key(), exact->section};
        }
        const QByteArray wildcard = "*." + joinLabels(labels, i + 1);
        const auto wild = i + 1 < labels.size() ? m_rules.constFind(wildcard) : m_rules.constEnd();
        if (wild != m_rules.constEnd() && !wild->exception) {
            return {suffix, wild.key(), wild->section};
        }
    }
    return {labels.back(), "*", Section::None};
}

bool PublicSuffixList::isPublicSuffix(QByteArrayView domain) const
{
    const QByteArray canonical = canonicalDomain(domain);
    return !canonical.isEmpty() && match(canonical).suffix == canonical;
}

} // namespace tb::session
