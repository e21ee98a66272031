#pragma once

#include <optional>

#include <QByteArray>
#include <QList>
#include <QObject>

#include "keys/Key.h"
#include "workspace/WorkspaceFile.h"

namespace tb::ui {

// The state the panes share: tokens, the key store and settings. One instance, owned by the main window
// and handed to every pane through its constructor (no singletons).
class Workspace final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Workspace)

public:
    explicit Workspace(QObject* parent = nullptr);
    ~Workspace() override;

    // How many tokens the workspace keeps: the oldest leaves when another is opened.
    static constexpr qsizetype maxTokens = 50;

    // Tokens, most recent first. The current token is the one the panes work on.
    [[nodiscard]] const QList<QByteArray>& tokens() const { return m_tokens; }
    [[nodiscard]] QByteArray currentToken() const { return m_current; }
    // Makes `token` current and remembers it (moved to the front when already known).
    void setCurrentToken(const QByteArray& token);

    [[nodiscard]] const QList<workspace::NamedKey>& keys() const { return m_keys; }
    // Adds a key and returns its row. An empty name gets one from the key's kid or description.
    int addKey(keys::KeyPtr key, const QString& name = {});
    void removeKey(int row);
    void renameKey(int row, const QString& name);

    // "now" for time checks: the user's override, or the system clock.
    [[nodiscard]] std::optional<double> nowOverride() const { return m_nowOverride; }
    void setNowOverride(std::optional<double> epoch);
    [[nodiscard]] double now() const;

    // The Timeline pane's sessions, role overrides and revocation marks (saved with the workspace).
    [[nodiscard]] const inspect::TimelineMarks& timeline() const { return m_timeline; }
    void setTimeline(const inspect::TimelineMarks& marks);
    // Its view (leeway, visible range, "now"): saved with the workspace, yet not a change worth a prompt.
    void setTimelineView(const inspect::TimelineViewState& view) { m_timeline.view = view; }

    [[nodiscard]] workspace::WorkspaceData snapshot() const;
    // Replaces everything with `data` (after a successful load).
    void replace(const workspace::WorkspaceData& data);
    [[nodiscard]] bool isModified() const { return m_modified; }
    void setModified(bool modified);

signals:
    void tokensChanged();
    void currentTokenChanged(const QByteArray& token);
    void aboutToChangeKeys();
    void keysChanged();
    void nowChanged();
    void modifiedChanged(bool modified);
    // replace() brought other timeline marks (setTimeline does not emit it: the pane is the one setting them).
    void timelineReplaced();

private:
    QList<QByteArray> m_tokens;
    QByteArray m_current;
    QList<workspace::NamedKey> m_keys;
    std::optional<double> m_nowOverride;
    inspect::TimelineMarks m_timeline;
    bool m_modified = false;
};

} // namespace tb::ui
