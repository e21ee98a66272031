#pragma once

#include <optional>

#include <QHash>
#include <QIcon>
#include <QList>
#include <QWidget>

#include "inspect/Lifecycle.h"
#include "panes/PaneBase.h"
#include "widgets/TimelineView.h"

class QComboBox;
class QDateTimeEdit;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QToolButton;

namespace tb::ui {

class Workspace;

// Timeline: the workspace's tokens and the user's sessions on one axis (UTC), so that access and refresh
// tokens, a session and their events read at a glance.
// - Tokens: valid span (nbf or iat → exp), not-yet-valid span, leeway bands, iat/nbf/exp markers. Refresh tokens
//   are drawn in their own colour with the access tokens issued with them grouped under them (core's grants:
//   same sid, else same sub and issuer), their refreshes and rotations marked. The role is guessed from the
//   claims; the user can set it.
// - Sessions the user adds: created, requests that slide the idle timeout, idle and absolute timeouts, logout
//   or revocation; tokens of the session (same sid) still verifying after a logout are shaded.
// - Revocation marks: a self-contained access token keeps verifying to exp + leeway (shaded); a revoked refresh
//   token stops at once, but the access tokens issued with it live on (shaded in their lanes).
// A movable "now" gives each lane's state at that instant; zoom, pan and PNG/SVG export.
class TimelinePane final : public PaneBase
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelinePane)

public:
    // What a lane shows.
    struct LaneItem
    {
        enum Kind
        {
            Token,
            Session,
        };
        Kind kind = Token;
        int index = 0; // into tokens() or sessions()
    };

    explicit TimelinePane(Workspace* workspace, QWidget* parent = nullptr);
    ~TimelinePane() override;

    static QIcon navIcon();
    // One lane for a token. bars[0] is always the valid span (nbf or iat → exp; to `openEnd` without exp).
    [[nodiscard]] static TimelineLane laneFor(const inspect::TokenFacts& facts, inspect::TokenRole role, int number,
                                              double leeway, double openEnd, const QList<double>& revocations);
    // One lane for a session. bars[0] is always the session's life (created → end).
    [[nodiscard]] static TimelineLane sessionLane(const inspect::SessionSpec& session, int number,
                                                  const inspect::SessionLife& life);

    [[nodiscard]] TimelineView* timelineView() const { return m_view; }
    void setLeeway(double seconds);
    void setPresentationMode(bool on);
    void refresh();

    // The shown tokens (workspace order) and the lanes in drawing order.
    [[nodiscard]] const QList<QByteArray>& tokens() const { return m_shown; }
    [[nodiscard]] const QList<LaneItem>& laneItems() const { return m_items; }
    [[nodiscard]] inspect::TokenRole roleOf(int token) const;
    // Overrides the guessed role of a token (nullopt: back to the guess).
    void setRole(int token, std::optional<inspect::TokenRole> role);

    // Sessions; addSession returns the new session's index.
    int addSession(const inspect::SessionSpec& session);
    void removeSession(int index);
    [[nodiscard]] const QList<inspect::SessionSpec>& sessions() const { return m_sessions; }

    void selectLane(int lane);
    [[nodiscard]] int selectedLane() const { return m_selected; }
    // Events at the current "now" on a lane: a token or a session revoked; a session logged out or touched.
    void markRevokedAtNow(int lane);
    void logoutAtNow(int lane);
    void activityAtNow(int lane);

    // Adds a refresh token, the access token issued with it, a rotation and a session with a logout to the
    // workspace (signed by core with the workspace key that verifies the current token), then shows them.
    void prepareScreenshot() override;

private:
    void buildSessionForm();
    void openSessionForm(bool open);
    void createSessionFromForm();
    void updateSelectionControls();
    void roleChosen(int comboIndex);
    void nowMoved(double now);
    void resetNow();
    void exportView();
    [[nodiscard]] QString laneName(const LaneItem& item) const;
    [[nodiscard]] std::optional<double> endOf(int token) const; // exp + leeway
    void addRevocationShades(std::vector<TimelineLane>& tokenLanes) const;
    void order(const inspect::Grants& grants);
    // The marks go to the workspace after every change (saved with it) and come back when one is opened, with
    // the view (leeway, visible range, "now"); zoom and "now" alone do not mark the workspace modified.
    void publishMarks();
    void publishView();
    [[nodiscard]] inspect::TimelineViewState viewState() const;
    void loadMarks();

    Workspace* m_workspace = nullptr;
    TimelineView* m_view = nullptr;
    QDoubleSpinBox* m_leeway = nullptr;
    QLabel* m_nowLabel = nullptr;
    QLabel* m_states = nullptr;
    QLabel* m_selectedLabel = nullptr;
    QComboBox* m_role = nullptr;
    QToolButton* m_logout = nullptr;
    QToolButton* m_activity = nullptr;
    QToolButton* m_removeSession = nullptr;
    QToolButton* m_addSession = nullptr;
    QToolButton* m_presentation = nullptr;
    QGroupBox* m_sessionForm = nullptr;
    QLineEdit* m_sessionLabel = nullptr;
    QLineEdit* m_sessionSid = nullptr;
    QDateTimeEdit* m_sessionCreated = nullptr;
    QSpinBox* m_sessionIdle = nullptr;
    QSpinBox* m_sessionAbsolute = nullptr;

    QList<QByteArray> m_shown; // the tokens with a timeline, workspace order
    QList<inspect::TokenFacts> m_facts;
    QList<inspect::TokenRole> m_roles; // effective role of each shown token
    inspect::Grants m_grants;
    QHash<QByteArray, inspect::TokenRole> m_roleOverride;
    QHash<QByteArray, QList<double>> m_revoked;
    QList<inspect::SessionSpec> m_sessions;
    QList<inspect::SessionLife> m_lives;
    QList<LaneItem> m_items;
    int m_selected = -1;
};

} // namespace tb::ui
