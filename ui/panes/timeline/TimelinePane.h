#pragma once

#include "panes/PaneBase.h"
#include <optional>

#include <QHash>
#include <QIcon>
#include <QList>
#include <QWidget>

#include "widgets/TimelineView.h"

class QDoubleSpinBox;
class QLabel;
class QToolButton;

namespace tb::ui {

class Workspace;

// Timeline: the workspace's tokens on one axis (UTC). Per token: the not-yet-valid span (iat → nbf), the
// valid span (nbf or iat → exp), leeway bands around nbf and exp, iat/nbf/exp markers and revocation marks
// the user sets; a movable "now" with each token's state at that instant; zoom, pan and PNG/SVG export.
class TimelinePane final : public PaneBase
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelinePane)

public:
    struct TokenTimes
    {
        std::optional<double> iat;
        std::optional<double> nbf;
        std::optional<double> exp;
        QString alg;
        QString typ;
        QString sub;
        QString jti;
    };

    explicit TimelinePane(Workspace* workspace, QWidget* parent = nullptr);
    ~TimelinePane() override;

    static QIcon navIcon();
    // The times of a compact JWS; nullopt when it does not parse or its payload is not a JSON object.
    [[nodiscard]] static std::optional<TokenTimes> tokenTimes(const QByteArray& token);
    // One lane for a token. bars[0] is always the valid span (nbf or iat → exp; to `openEnd` without exp).
    [[nodiscard]] static TimelineLane laneFor(const TokenTimes& times, int number, double leeway, double openEnd,
                                              const QList<double>& revocations);

    [[nodiscard]] TimelineView* timelineView() const { return m_view; }
    void setLeeway(double seconds);
    // Marks the token of `lane` revoked at the current "now".
    void markRevokedAtNow(int lane);
    void setPresentationMode(bool on);
    void refresh();

private:
    void nowMoved(double now);
    void resetNow();
    void exportView();

    Workspace* m_workspace = nullptr;
    TimelineView* m_view = nullptr;
    QDoubleSpinBox* m_leeway = nullptr;
    QLabel* m_nowLabel = nullptr;
    QLabel* m_states = nullptr;
    QToolButton* m_presentation = nullptr;
    QList<QByteArray> m_shown; // the token of each lane
    QList<TokenTimes> m_times;
    QHash<QByteArray, QList<double>> m_revoked;
    int m_selected = 0;
};

} // namespace tb::ui
