#include "Workspace.h"

#include <QDateTime>
#include <QJsonObject>

namespace tb::ui {

Workspace::Workspace(QObject* parent)
    : QObject(parent)
{}

Workspace::~Workspace() = default;

void Workspace::setCurrentToken(const QByteArray& token)
{
    if (token == m_current) {
        return;
    }
    m_current = token;
    if (!token.isEmpty()) {
        m_tokens.removeAll(token);
        m_tokens.prepend(token);
        while (m_tokens.size() > maxTokens) {
            m_tokens.removeLast();
        }
        emit tokensChanged();
    }
    setModified(true);
    emit currentTokenChanged(m_current);
}

int Workspace::addKey(keys::KeyPtr key, const QString& name)
{
    QString n = name.trimmed();
    if (n.isEmpty()) {
        n = key->meta().kid.isEmpty() ? key->describe() : key->meta().kid;
    }
    // Keep names unique so that a name picks one key in the combo boxes.
    QString unique = n;
    for (int i = 2;; ++i) {
        const bool taken =
            std::any_of(m_keys.cbegin(), m_keys.cend(), [&](const workspace::NamedKey& k) { return k.name == unique; });
        if (!taken) {
            break;
        }
        unique = QStringLiteral("%1 (%2)").arg(n).arg(i);
    }
    emit aboutToChangeKeys();
    m_keys.append({unique, std::move(key)});
    setModified(true);
    emit keysChanged();
    return int(m_keys.size() - 1);
}

void Workspace::removeKey(int row)
{
    if (row < 0 || row >= m_keys.size()) {
        return;
    }
    emit aboutToChangeKeys();
    m_keys.removeAt(row);
    setModified(true);
    emit keysChanged();
}

void Workspace::renameKey(int row, const QString& name)
{
    if (row < 0 || row >= m_keys.size() || name.trimmed().isEmpty()) {
        return;
    }
    emit aboutToChangeKeys();
    m_keys[row].name = name.trimmed();
    setModified(true);
    emit keysChanged();
}

void Workspace::setNowOverride(std::optional<double> epoch)
{
    if (epoch == m_nowOverride) {
        return;
    }
    m_nowOverride = epoch;
    emit nowChanged();
}

double Workspace::now() const
{
    if (m_nowOverride) {
        return *m_nowOverride;
    }
    return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

void Workspace::setTimeline(const inspect::TimelineMarks& marks)
{
    m_timeline = marks;
    setModified(true);
}

workspace::WorkspaceData Workspace::snapshot() const
{
    workspace::WorkspaceData data;
    data.tokens = m_tokens;
    data.keys = m_keys;
    data.timeline = m_timeline;
    if (m_nowOverride) {
        data.settings.insert(QStringLiteral("now"), *m_nowOverride);
    }
    if (!m_current.isEmpty()) {
        data.settings.insert(QStringLiteral("current"), QString::fromLatin1(m_current));
    }
    return data;
}

void Workspace::replace(const workspace::WorkspaceData& data)
{
    emit aboutToChangeKeys();
    m_keys = data.keys;
    emit keysChanged();
    m_tokens = data.tokens;
    m_timeline = data.timeline;
    emit tokensChanged();
    const QJsonValue now = data.settings.value(QStringLiteral("now"));
    setNowOverride(now.isDouble() ? std::optional<double>(now.toDouble()) : std::nullopt);
    QByteArray current = data.settings.value(QStringLiteral("current")).toString().toLatin1();
    if (current.isEmpty() && !m_tokens.isEmpty()) {
        current = m_tokens.first();
    }
    m_current = current;
    emit currentTokenChanged(m_current);
    m_timeline = data.timeline; // the Timeline's view, re-fitted above to the new tokens, comes back as saved
    emit timelineReplaced();
    setModified(false);
}

void Workspace::setModified(bool modified)
{
    if (modified == m_modified) {
        return;
    }
    m_modified = modified;
    emit modifiedChanged(modified);
}

} // namespace tb::ui
