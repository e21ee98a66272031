#include "TimelinePane.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "Workspace.h"
#include "inspect/KeyMatch.h"
#include "jose/Algorithm.h"
#include "jose/JsonText.h"
#include "jose/Jws.h"
#include "support/FileDialog.h"

namespace tb::ui {

namespace {

using inspect::SessionLife;
using inspect::TokenRole;

constexpr int maxLanes = 40;
const QColor refreshColor(0x00, 0x89, 0x7b);
const QColor idColor(0x5e, 0x35, 0xb1);
const QColor sessionColor(0x2e, 0x7d, 0x32);

QString utc(double t)
{
    return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(std::llround(t * 1000)), Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}

QString duration(double s)
{
    const double a = std::abs(s);
    if (a < 120) {
        return QObject::tr("%1 s").arg(std::lround(a));
    }
    if (a < 7200) {
        return QObject::tr("%1 min").arg(std::lround(a / 60));
    }
    if (a < 172800) {
        return QObject::tr("%1 h").arg(a / 3600, 0, 'f', 1);
    }
    return QObject::tr("%1 days").arg(a / 86400, 0, 'f', 1);
}

QString roleText(TokenRole role)
{
    switch (role) {
    case TokenRole::Access:
        return QObject::tr("access token");
    case TokenRole::Refresh:
        return QObject::tr("refresh token");
    case TokenRole::Id:
        return QObject::tr("ID token");
    case TokenRole::Unknown:
        break;
    }
    return {};
}

QString sessionEndText(const SessionLife& life)
{
    return inspect::reasonText(life.reason);
}

} // namespace

TimelinePane::TimelinePane(Workspace* workspace, QWidget* parent)
    : PaneBase(parent)
    , m_workspace(workspace)
{
    setObjectName(QStringLiteral("timelinePane"));

    m_leeway = new QDoubleSpinBox(this);
    m_leeway->setObjectName(QStringLiteral("timelineLeeway"));
    m_leeway->setAccessibleName(tr("Leeway in seconds"));
    m_leeway->setRange(0, 86400);
    m_leeway->setDecimals(0);
    m_leeway->setValue(60);
    m_leeway->setSuffix(tr(" s"));
    m_nowLabel = new QLabel(this);
    m_nowLabel->setObjectName(QStringLiteral("timelineNow"));
    auto button = [this](const QString& name, const QString& text, const QString& tip) {
        auto* b = new QToolButton(this);
        b->setObjectName(name);
        b->setText(text);
        b->setToolTip(tip);
        b->setAccessibleName(tip);
        return b;
    };
    auto* resetNow =
        button(QStringLiteral("timelineResetNow"), tr("Reset now"), tr("Put now back at the workspace's now"));
    auto* fit = button(QStringLiteral("timelineFit"), tr("Fit"), tr("Show every lane (double-click does the same)"));
    m_presentation = button(QStringLiteral("timelinePresentation"), tr("Presentation"),
                            tr("Presentation mode: large fonts, high contrast"));
    m_presentation->setCheckable(true);
    auto* exportButton =
        button(QStringLiteral("timelineExport"), tr("Export…"), tr("Export the timeline as PNG or SVG"));
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Leeway:"), this));
    bar->addWidget(m_leeway);
    bar->addSpacing(12);
    bar->addWidget(m_nowLabel);
    bar->addWidget(resetNow);
    bar->addStretch(1);
    bar->addWidget(fit);
    bar->addWidget(m_presentation);
    bar->addWidget(exportButton);

    // The selected lane and what can happen to it at "now".
    m_selectedLabel = new QLabel(this);
    m_selectedLabel->setObjectName(QStringLiteral("timelineSelected"));
    m_role = new QComboBox(this);
    m_role->setObjectName(QStringLiteral("timelineRole"));
    m_role->setAccessibleName(tr("Role of the selected token"));
    m_role->setToolTip(tr("What the selected token is for: guessed from its claims, or set here"));
    m_role->addItem(tr("Role: guessed"));
    m_role->addItem(tr("Access token"), int(TokenRole::Access));
    m_role->addItem(tr("Refresh token"), int(TokenRole::Refresh));
    m_role->addItem(tr("ID token"), int(TokenRole::Id));
    auto* revoke = button(QStringLiteral("timelineRevoke"), tr("Revoke at now"),
                          tr("Mark the selected token or session revoked at the now line"));
    m_logout = button(QStringLiteral("timelineLogout"), tr("Log out at now"),
                      tr("The selected session's user logs out at the now line"));
    m_activity = button(QStringLiteral("timelineActivity"), tr("Request at now"),
                        tr("A request in the selected session at the now line (slides its idle timeout)"));
    auto* clear = button(QStringLiteral("timelineClearMarks"), tr("Clear marks"),
                         tr("Remove revocations, logouts and session requests"));
    m_addSession = button(QStringLiteral("timelineAddSession"), tr("Add session…"),
                          tr("Add a server-side session: created, idle and absolute timeouts"));
    m_addSession->setCheckable(true);
    m_removeSession =
        button(QStringLiteral("timelineRemoveSession"), tr("Remove session"), tr("Remove the selected session"));
    auto* events = new QHBoxLayout;
    events->addWidget(m_selectedLabel);
    events->addWidget(m_role);
    events->addWidget(revoke);
    events->addWidget(m_logout);
    events->addWidget(m_activity);
    events->addWidget(clear);
    events->addStretch(1);
    events->addWidget(m_addSession);
    events->addWidget(m_removeSession);
    buildSessionForm();

    m_view = new TimelineView(this);
    m_view->setObjectName(QStringLiteral("tokenTimeline"));
    m_view->setAccessibleName(tr("Token timeline"));
    m_view->setAxisStyle(TimelineView::UtcDateTime);
    m_view->setTitle(tr("Workspace tokens (UTC)"));
    m_states = new QLabel(this);
    m_states->setObjectName(QStringLiteral("timelineStates"));
    m_states->setWordWrap(true);
    m_states->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_states->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    auto* hint = new QLabel(tr("Click a lane to select it · wheel: zoom · drag: pan · drag the orange line (or click "
                               "the axis): move now · double-click: fit · hover a bar or marker for its times"),
                            this);
    hint->setForegroundRole(QPalette::PlaceholderText);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addLayout(events);
    layout->addWidget(m_sessionForm);
    auto* viewScroll = new QScrollArea(this);
    viewScroll->setWidget(m_view);
    viewScroll->setWidgetResizable(true);
    viewScroll->setFrameShape(QFrame::NoFrame);
    viewScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    layout->addWidget(viewScroll, 1);
    layout->addWidget(m_states);
    layout->addWidget(hint);

    connect(m_workspace, &Workspace::tokensChanged, this, [this] { whenShown([this] { refresh(); }); });
    connect(m_workspace, &Workspace::currentTokenChanged, this, [this] { whenShown([this] { refresh(); }); });
    connect(m_workspace, &Workspace::nowChanged, this, &TimelinePane::resetNow);
    connect(m_workspace, &Workspace::timelineReplaced, this, &TimelinePane::loadMarks);
    connect(m_leeway, &QDoubleSpinBox::valueChanged, this, [this] {
        refresh();
        publishMarks(); // the leeway changes what the lanes say: an unsaved change, unlike zoom or "now"
    });
    connect(m_view, &TimelineView::nowChanged, this, &TimelinePane::nowMoved);
    connect(m_view, &TimelineView::nowChanged, this, &TimelinePane::publishView);
    connect(m_view, &TimelineView::viewChanged, this, &TimelinePane::publishView);
    connect(m_view, &TimelineView::laneClicked, this, &TimelinePane::selectLane);
    connect(resetNow, &QToolButton::clicked, this, &TimelinePane::resetNow);
    connect(revoke, &QToolButton::clicked, this, [this] { markRevokedAtNow(m_selected); });
    connect(m_logout, &QToolButton::clicked, this, [this] { logoutAtNow(m_selected); });
    connect(m_activity, &QToolButton::clicked, this, [this] { activityAtNow(m_selected); });
    connect(m_removeSession, &QToolButton::clicked, this, [this] {
        if (m_selected >= 0 && m_selected < m_items.size() && m_items[m_selected].kind == LaneItem::Session) {
            removeSession(m_items[m_selected].index);
        }
    });
    connect(clear, &QToolButton::clicked, this, [this] {
        m_revoked.clear();
        for (inspect::SessionSpec& s : m_sessions) {
            s.activity.clear();
            s.endedAt.reset();
        }
        publishMarks();
        refresh();
    });
    connect(m_role, &QComboBox::activated, this, &TimelinePane::roleChosen);
    connect(m_addSession, &QToolButton::toggled, this, &TimelinePane::openSessionForm);
    connect(fit, &QToolButton::clicked, m_view, &TimelineView::fitView);
    connect(m_presentation, &QToolButton::toggled, this, &TimelinePane::setPresentationMode);
    connect(exportButton, &QToolButton::clicked, this, &TimelinePane::exportView);

    m_view->setNow(m_workspace->now());
    refresh();
}

TimelinePane::~TimelinePane() = default;

QIcon TimelinePane::navIcon()
{
    QPixmap pm(32, 32);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor blue(0x19, 0x76, 0xd2);
    p.setPen(QPen(QColor(0x54, 0x6e, 0x7a), 2));
    p.drawLine(QPointF(3, 28), QPointF(29, 28));
    p.fillRect(QRectF(6, 6, 18, 6), blue);
    p.fillRect(QRectF(24, 6, 4, 6), QColor(0x64, 0xb5, 0xf6));
    p.fillRect(QRectF(10, 16, 14, 6), blue);
    p.setPen(QPen(QColor(0xe6, 0x51, 0x00), 2));
    p.drawLine(QPointF(18, 3), QPointF(18, 30));
    return QIcon(pm);
}

void TimelinePane::buildSessionForm()
{
    m_sessionForm = new QGroupBox(tr("New session"), this);
    m_sessionForm->setObjectName(QStringLiteral("timelineSessionForm"));
    m_sessionLabel = new QLineEdit(m_sessionForm);
    m_sessionLabel->setObjectName(QStringLiteral("timelineSessionLabel"));
    m_sessionLabel->setPlaceholderText(tr("e.g. Browser session"));
    m_sessionSid = new QLineEdit(m_sessionForm);
    m_sessionSid->setObjectName(QStringLiteral("timelineSessionSid"));
    m_sessionSid->setPlaceholderText(tr("sid claim of its tokens (optional)"));
    m_sessionCreated = new QDateTimeEdit(m_sessionForm);
    m_sessionCreated->setObjectName(QStringLiteral("timelineSessionCreated"));
    m_sessionCreated->setTimeSpec(Qt::UTC);
    m_sessionCreated->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    auto seconds = [this](const QString& name, int value, const QString& tip) {
        auto* s = new QSpinBox(m_sessionForm);
        s->setObjectName(name);
        s->setRange(0, 366 * 86400);
        s->setValue(value);
        s->setSuffix(tr(" s"));
        s->setToolTip(tip);
        s->setAccessibleName(tip);
        return s;
    };
    // Defaults: 30 min idle (Keycloak SSO idle, the simulator's session_idle_timeout_s), 8 h absolute.
    m_sessionIdle = seconds(QStringLiteral("timelineSessionIdle"), 1800, tr("Idle timeout in seconds (0: none)"));
    m_sessionAbsolute =
        seconds(QStringLiteral("timelineSessionAbsolute"), 28800, tr("Absolute timeout in seconds (0: none)"));
    auto* create = new QPushButton(tr("Add"), m_sessionForm);
    create->setObjectName(QStringLiteral("timelineSessionCreate"));
    auto* cancel = new QPushButton(tr("Cancel"), m_sessionForm);
    auto* form = new QHBoxLayout(m_sessionForm);
    auto field = [&](const QString& label, QWidget* w) {
        form->addWidget(new QLabel(label, m_sessionForm));
        form->addWidget(w);
    };
    field(tr("Label:"), m_sessionLabel);
    field(tr("sid:"), m_sessionSid);
    field(tr("Created:"), m_sessionCreated);
    field(tr("Idle:"), m_sessionIdle);
    field(tr("Absolute:"), m_sessionAbsolute);
    form->addWidget(create);
    form->addWidget(cancel);
    m_sessionForm->hide();
    connect(create, &QPushButton::clicked, this, &TimelinePane::createSessionFromForm);
    connect(cancel, &QPushButton::clicked, this, [this] { m_addSession->setChecked(false); });
}

void TimelinePane::openSessionForm(bool open)
{
    m_sessionForm->setVisible(open);
    if (!open) {
        return;
    }
    // Start from the selected token (its sid and start), else the earliest token, else ten minutes before now.
    double created = m_view->now() - 600;
    QString sid;
    if (m_selected >= 0 && m_selected < m_items.size() && m_items[m_selected].kind == LaneItem::Token) {
        const inspect::TokenFacts& t = m_facts[m_items[m_selected].index];
        created = t.start().value_or(created);
        sid = t.sid;
    } else {
        for (const inspect::TokenFacts& t : m_facts) {
            if (t.start()) {
                created = std::min(created, *t.start());
            }
        }
    }
    m_sessionLabel->setText(tr("Session %1").arg(m_sessions.size() + 1));
    m_sessionSid->setText(sid);
    m_sessionCreated->setDateTime(
        QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(std::llround(created * 1000)), Qt::UTC));
    m_sessionLabel->setFocus();
}

void TimelinePane::createSessionFromForm()
{
    inspect::SessionSpec s;
    s.label = m_sessionLabel->text().trimmed();
    s.sid = m_sessionSid->text().trimmed();
    s.created = double(m_sessionCreated->dateTime().toMSecsSinceEpoch()) / 1000.0;
    s.idleTimeout = m_sessionIdle->value();
    s.absoluteTimeout = m_sessionAbsolute->value();
    const int index = addSession(s);
    m_addSession->setChecked(false);
    emit statusMessage(
        tr("Added session %1: select its lane to add requests, a logout or a revocation at now.").arg(index + 1));
}

int TimelinePane::addSession(const inspect::SessionSpec& session)
{
    m_sessions.append(session);
    publishMarks();
    refresh();
    const int index = int(m_sessions.size() - 1);
    for (int lane = 0; lane < m_items.size(); ++lane) {
        if (m_items[lane].kind == LaneItem::Session && m_items[lane].index == index) {
            selectLane(lane);
        }
    }
    return index;
}

void TimelinePane::removeSession(int index)
{
    if (index < 0 || index >= m_sessions.size()) {
        return;
    }
    m_sessions.removeAt(index);
    publishMarks();
    m_selected = -1;
    refresh();
}

inspect::TokenRole TimelinePane::roleOf(int token) const
{
    return m_roles.value(token, TokenRole::Unknown);
}

void TimelinePane::setRole(int token, std::optional<inspect::TokenRole> role)
{
    if (token < 0 || token >= m_shown.size()) {
        return;
    }
    if (role) {
        m_roleOverride.insert(m_shown[token], *role);
    } else {
        m_roleOverride.remove(m_shown[token]);
    }
    publishMarks();
    const auto view = std::pair{m_view->viewStart(), m_view->viewEnd()};
    const QByteArray selected =
        m_selected >= 0 && m_selected < m_items.size() && m_items[m_selected].kind == LaneItem::Token
            ? m_shown[m_items[m_selected].index]
            : QByteArray();
    refresh();
    m_view->setViewRange(view.first, view.second);
    // The lanes regroup; the same token stays selected.
    for (int lane = 0; lane < m_items.size(); ++lane) {
        if (!selected.isEmpty() && m_items[lane].kind == LaneItem::Token && m_shown[m_items[lane].index] == selected) {
            selectLane(lane);
        }
    }
}

void TimelinePane::roleChosen(int comboIndex)
{
    if (m_selected < 0 || m_selected >= m_items.size() || m_items[m_selected].kind != LaneItem::Token) {
        return;
    }
    const QVariant chosen = m_role->itemData(comboIndex);
    setRole(m_items[m_selected].index,
            chosen.isValid() ? std::optional<TokenRole>(TokenRole(chosen.toInt())) : std::nullopt);
}

void TimelinePane::selectLane(int lane)
{
    m_selected = lane >= 0 && lane < m_items.size() ? lane : -1;
    m_view->setSelectedLane(m_selected);
    updateSelectionControls();
}

QString TimelinePane::laneName(const LaneItem& item) const
{
    if (item.kind == LaneItem::Session) {
        return tr("Session %1").arg(item.index + 1);
    }
    const QString role = roleText(roleOf(item.index));
    return role.isEmpty() ? tr("Token %1").arg(item.index + 1) : tr("Token %1 (%2)").arg(item.index + 1).arg(role);
}

void TimelinePane::updateSelectionControls()
{
    const bool any = m_selected >= 0;
    const bool token = any && m_items[m_selected].kind == LaneItem::Token;
    const bool session = any && !token;
    m_selectedLabel->setText(any ? tr("Selected: %1").arg(laneName(m_items[m_selected]))
                                 : tr("Click a lane to select it."));
    m_role->setEnabled(token);
    m_logout->setEnabled(session);
    m_activity->setEnabled(session);
    m_removeSession->setEnabled(session);
    const QSignalBlocker block(m_role);
    if (!token) {
        m_role->setCurrentIndex(0);
        return;
    }
    const int index = m_items[m_selected].index;
    const auto over = m_roleOverride.constFind(m_shown[index]);
    const QString guessed = roleText(m_facts[index].role);
    m_role->setItemText(0, guessed.isEmpty() ? tr("Role: not in the claims") : tr("Role: %1 (guessed)").arg(guessed));
    m_role->setCurrentIndex(over == m_roleOverride.constEnd() ? 0 : m_role->findData(int(*over)));
}

std::optional<double> TimelinePane::endOf(int token) const
{
    const auto exp = m_facts[token].exp;
    return exp ? std::optional<double>(*exp + m_leeway->value()) : std::nullopt;
}

TimelineLane TimelinePane::laneFor(const inspect::TokenFacts& t, TokenRole role, int number, double leeway,
                                   double openEnd, const QList<double>& revocations)
{
    TimelineLane lane;
    lane.title = tr("Token %1").arg(number) + (t.alg.isEmpty() ? QString() : QStringLiteral(" · ") + t.alg);
    QStringList sub;
    if (role != TokenRole::Unknown) {
        sub.append(roleText(role));
    }
    if (!t.typ.isEmpty()) {
        sub.append(t.typ);
    }
    if (!t.sub.isEmpty()) {
        sub.append(tr("sub %1").arg(t.sub));
    }
    if (!t.jti.isEmpty()) {
        sub.append(tr("jti %1").arg(t.jti.left(12)));
    }
    lane.subtitle = sub.join(QStringLiteral(" · "));
    const std::optional<double> from = t.start();
    const double start = from.value_or(t.exp.value_or(openEnd) - 1);
    const double end = t.exp.value_or(openEnd);
    TimelineBar valid{start, end, {}, {}, {}, TimelineBar::Solid};
    const QString what = role == TokenRole::Refresh ? tr("refresh token ")
                         : role == TokenRole::Id    ? tr("ID token ")
                                                    : QString();
    if (t.exp) {
        valid.label = what + tr("valid %1").arg(duration(end - start));
        valid.tooltip = tr("Valid from %1 (%2) to exp %3").arg(utc(start), t.nbf ? tr("nbf") : tr("iat"), utc(end));
        valid.color = role == TokenRole::Refresh ? refreshColor : role == TokenRole::Id ? idColor : QColor();
    } else {
        valid.label = what + tr("no exp: never expires");
        valid.tooltip = tr("No exp claim: the token never expires by itself");
        valid.color = QColor(0xc6, 0x28, 0x28);
    }
    lane.bars.push_back(valid);
    if (t.iat && t.nbf && *t.nbf > *t.iat) {
        lane.bars.push_back({*t.iat, *t.nbf, tr("not yet valid"), tr("Issued but not yet valid (iat → nbf)"),
                             QColor(0x90, 0xa4, 0xae), TimelineBar::Band});
    }
    if (leeway > 0) {
        if (t.nbf) {
            lane.bars.push_back({*t.nbf - leeway,
                                 *t.nbf,
                                 {},
                                 tr("Leeway before nbf: %1 s accepted early").arg(leeway),
                                 QColor(0xff, 0x8f, 0x00),
                                 TimelineBar::Band});
        }
        if (t.exp) {
            lane.bars.push_back({*t.exp,
                                 *t.exp + leeway,
                                 {},
                                 tr("Leeway after exp: still accepted for %1 s").arg(leeway),
                                 QColor(0xff, 0x8f, 0x00),
                                 TimelineBar::Band});
        }
    }
    if (t.iat) {
        lane.markers.push_back({*t.iat, QStringLiteral("issue"), tr("iat")});
    }
    if (t.nbf && (!t.iat || *t.nbf != *t.iat)) {
        lane.markers.push_back({*t.nbf, QStringLiteral("nbf"), tr("nbf")});
    }
    if (t.exp) {
        lane.markers.push_back({*t.exp, QStringLiteral("expiry"), tr("exp")});
    }
    for (const double r : revocations) {
        if (role == TokenRole::Refresh) {
            // The authorization server looks a refresh token up on every use: revoked means refused at once.
            lane.markers.push_back({r, QStringLiteral("revocation"), tr("revoked: refused from now on")});
            continue;
        }
        lane.markers.push_back({r, QStringLiteral("revocation"), tr("revoked")});
        if (t.exp && r < *t.exp + leeway) {
            lane.shades.push_back({r, *t.exp + leeway, tr("still verifies %1").arg(duration(*t.exp + leeway - r)),
                                   tr("Revoked at %1, but a self-contained token keeps verifying until exp + leeway "
                                      "(%2) unless every verifier checks a denylist:\nexp + leeway − revoked = %3")
                                       .arg(utc(r), utc(*t.exp + leeway), duration(*t.exp + leeway - r))});
        }
    }
    return lane;
}

TimelineLane TimelinePane::sessionLane(const inspect::SessionSpec& s, int number, const SessionLife& life)
{
    TimelineLane lane;
    lane.title = tr("Session %1").arg(number) + (s.label.isEmpty() ? QString() : QStringLiteral(" · ") + s.label);
    QStringList sub;
    if (!s.sid.isEmpty()) {
        sub.append(tr("sid %1").arg(s.sid));
    }
    sub.append(s.idleTimeout > 0 ? tr("idle %1").arg(duration(s.idleTimeout)) : tr("no idle timeout"));
    sub.append(s.absoluteTimeout > 0 ? tr("max %1").arg(duration(s.absoluteTimeout)) : tr("no absolute timeout"));
    lane.subtitle = sub.join(QStringLiteral(" · "));
    TimelineBar alive{s.created, life.end, {}, {}, sessionColor, TimelineBar::Solid};
    alive.label = tr("session %1").arg(duration(life.end - s.created));
    alive.tooltip =
        life.reason == SessionLife::Reason::Open
            ? tr("Session created %1, still open").arg(utc(s.created))
            : tr("Session created %1, ended %2 by %3").arg(utc(s.created), utc(life.end), sessionEndText(life));
    lane.bars.push_back(alive);
    // The idle window while it matters: an open session, or the one that ended it.
    const bool idleMatters =
        life.reason == SessionLife::Reason::Open || life.reason == SessionLife::Reason::IdleTimeout;
    if (life.idleDeadline && idleMatters) {
        lane.bars.push_back({life.lastTouch,
                             *life.idleDeadline,
                             {},
                             tr("Idle timeout: %1 after the last request (%2) → %3")
                                 .arg(duration(s.idleTimeout), utc(life.lastTouch), utc(*life.idleDeadline)),
                             QColor(0x66, 0xbb, 0x6a),
                             TimelineBar::Band});
    }
    lane.markers.push_back({s.created, QStringLiteral("issue"), tr("created")});
    for (const double t : life.touches) {
        lane.markers.push_back({t, QStringLiteral("activity"), tr("request")});
    }
    switch (life.reason) {
    case SessionLife::Reason::IdleTimeout:
        lane.markers.push_back({life.end, QStringLiteral("expiry"), tr("idle timeout")});
        break;
    case SessionLife::Reason::AbsoluteTimeout:
        lane.markers.push_back({life.end, QStringLiteral("expiry"), tr("absolute timeout")});
        break;
    case SessionLife::Reason::Logout:
        lane.markers.push_back({life.end, QStringLiteral("logout"), tr("logout")});
        break;
    case SessionLife::Reason::Revoked:
        lane.markers.push_back({life.end, QStringLiteral("revocation"), tr("revoked")});
        break;
    case SessionLife::Reason::Open:
        break;
    }
    if (life.absoluteDeadline && life.reason != SessionLife::Reason::AbsoluteTimeout) {
        lane.markers.push_back({*life.absoluteDeadline, QStringLiteral("expiry"), tr("absolute limit")});
    }
    return lane;
}

void TimelinePane::addRevocationShades(std::vector<TimelineLane>& lanes) const
{
    // Access tokens outliving their revoked refresh token, and a session's tokens outliving its logout.
    auto shade = [&](int token, double from, const QString& label, const QString& why) {
        const auto end = endOf(token);
        const auto start = m_facts[token].start();
        if (!end || *end <= from || (start && *start > from)) {
            return;
        }
        lanes[std::size_t(token)].shades.push_back(
            {from, *end, label.arg(duration(*end - from)),
             why + tr("\nexp + leeway − %1 = %2").arg(utc(from), duration(*end - from))});
    };
    for (int j = 0; j < m_shown.size(); ++j) {
        const int rt = m_grants.issuedWith.value(j, -1);
        if (rt < 0) {
            continue;
        }
        for (const double r : m_revoked.value(m_shown[rt])) {
            shade(j, r, tr("outlives its refresh token %1"),
                  tr("Its refresh token (Token %1) was revoked at %2: the authorization server refuses that at "
                     "once, but this access token was issued with it and verifies until exp + leeway unless the "
                     "API checks revocation (RFC 7009 §2.1: revoking a refresh token SHOULD also invalidate its "
                     "access tokens).")
                      .arg(rt + 1)
                      .arg(utc(r)));
        }
    }
    for (int s = 0; s < m_sessions.size(); ++s) {
        const SessionLife& life = m_lives[s];
        const bool ended = life.reason == SessionLife::Reason::Logout || life.reason == SessionLife::Reason::Revoked;
        if (!ended || m_sessions[s].sid.isEmpty()) {
            continue;
        }
        for (int i = 0; i < m_shown.size(); ++i) {
            if (m_facts[i].sid != m_sessions[s].sid) {
                continue;
            }
            if (m_roles[i] == TokenRole::Refresh) {
                lanes[std::size_t(i)].markers.push_back(
                    {life.end, QStringLiteral("logout"), tr("session %1 ended").arg(s + 1)});
                continue;
            }
            shade(i, life.end, tr("verifies after logout %1"),
                  tr("Session %1 (sid %2) ended at %3 (%4), but this token of the session is self-contained: it "
                     "verifies until exp + leeway unless the APIs learn of the logout (back-channel logout, a "
                     "denylist).")
                      .arg(s + 1)
                      .arg(m_sessions[s].sid, utc(life.end), sessionEndText(life)));
        }
    }
}

void TimelinePane::order(const inspect::Grants& grants)
{
    // Sessions first, each followed by its tokens (same sid) in time order; then the other tokens in workspace
    // order. A refresh token brings the access tokens issued with it right under it.
    m_items.clear();
    QList<bool> placed(m_shown.size(), false);
    std::function<void(int)> place = [&](int i) {
        if (placed[i]) {
            return;
        }
        placed[i] = true;
        m_items.append(LaneItem{LaneItem::Token, i});
        if (m_roles[i] != TokenRole::Refresh) {
            return;
        }
        QList<int> issued;
        for (int j = 0; j < m_shown.size(); ++j) {
            if (grants.issuedWith.value(j, -1) == i) {
                issued.append(j);
            }
        }
        std::stable_sort(issued.begin(), issued.end(), [this](int a, int b) {
            return m_facts[a].start().value_or(0) < m_facts[b].start().value_or(0);
        });
        for (const int j : issued) {
            place(j);
        }
    };
    auto placeGroupOf = [&](int i) {
        const int rt = grants.issuedWith.value(i, -1);
        place(rt >= 0 ? rt : i);
        place(i);
    };
    for (int s = 0; s < m_sessions.size(); ++s) {
        m_items.append(LaneItem{LaneItem::Session, s});
        QList<int> members;
        for (int i = 0; i < m_shown.size(); ++i) {
            if (!m_sessions[s].sid.isEmpty() && m_facts[i].sid == m_sessions[s].sid) {
                members.append(i);
            }
        }
        std::stable_sort(members.begin(), members.end(), [this](int a, int b) {
            return m_facts[a].start().value_or(0) < m_facts[b].start().value_or(0);
        });
        for (const int i : members) {
            placeGroupOf(i);
        }
    }
    for (int i = 0; i < m_shown.size(); ++i) {
        placeGroupOf(i);
    }
}

void TimelinePane::refresh()
{
    m_shown.clear();
    m_facts.clear();
    m_roles.clear();
    for (const QByteArray& token : m_workspace->tokens()) {
        if (m_shown.size() >= maxLanes) {
            break;
        }
        auto facts = inspect::tokenFacts(token);
        if (!facts) {
            continue;
        }
        m_shown.append(token);
        m_roles.append(m_roleOverride.value(token, facts->role));
        m_facts.append(std::move(*facts));
    }
    m_grants = inspect::groupByGrant(m_facts, m_roles);

    double lo = 0;
    double hi = 0;
    bool any = false;
    auto include = [&](double v) {
        lo = any ? std::min(lo, v) : v;
        hi = any ? std::max(hi, v) : v;
        any = true;
    };
    for (int i = 0; i < m_shown.size(); ++i) {
        for (const auto& v : {m_facts[i].iat, m_facts[i].nbf, m_facts[i].exp}) {
            if (v) {
                include(*v);
            }
        }
        for (const double r : m_revoked.value(m_shown[i])) {
            include(r);
        }
    }
    for (const inspect::SessionSpec& s : m_sessions) {
        // The absolute limit of a session that ended earlier would only squash the picture.
        const SessionLife life = inspect::sessionLife(s, s.created);
        include(s.created);
        include(life.end);
        if (life.idleDeadline) {
            include(*life.idleDeadline);
        }
    }
    const double now = m_workspace->now();
    if (!any) {
        lo = now - 1800;
        hi = now + 1800;
    }
    // Keep "now" in view when it is near the tokens; far away, it would squash them.
    const double span = std::max(hi - lo, 60.0);
    if (now >= lo - 3 * span && now <= hi + 3 * span) {
        lo = std::min(lo, now);
        hi = std::max(hi, now);
    }
    const double leeway = m_leeway->value();
    const double pad = std::max((hi - lo) * 0.1, std::max(60.0, leeway * 1.2));
    m_lives.clear();
    for (const inspect::SessionSpec& s : m_sessions) {
        m_lives.append(inspect::sessionLife(s, hi + pad));
    }

    std::vector<TimelineLane> tokenLanes;
    for (int i = 0; i < m_shown.size(); ++i) {
        tokenLanes.push_back(laneFor(m_facts[i], m_roles[i], i + 1, leeway, hi + pad, m_revoked.value(m_shown[i])));
    }
    for (int i = 0; i < m_shown.size(); ++i) {
        const int rt = m_grants.issuedWith[i];
        if (rt >= 0) {
            TimelineLane& lane = tokenLanes[std::size_t(i)];
            lane.title = QStringLiteral("↳ ") + lane.title;
            lane.subtitle = tr("issued with Token %1").arg(rt + 1) +
                            (lane.subtitle.isEmpty() ? QString() : QStringLiteral(" · ") + lane.subtitle);
            const auto at = m_facts[i].start();
            if (at && *at > m_facts[rt].start().value_or(*at)) {
                tokenLanes[std::size_t(rt)].markers.push_back(
                    {*at, QStringLiteral("refresh"), tr("refresh → Token %1").arg(i + 1)});
            }
        }
        const int next = m_grants.rotatedTo[i];
        if (next >= 0) {
            const double at = *m_facts[next].start();
            TimelineLane& lane = tokenLanes[std::size_t(i)];
            lane.markers.push_back({at, QStringLiteral("rotation"), tr("rotated → Token %1").arg(next + 1)});
            lane.bars.push_back({at,
                                 m_facts[i].exp.value_or(hi + pad),
                                 {},
                                 tr("Rotated at %1: the authorization server refuses this refresh token from then on; "
                                    "presenting it again is a reuse that revokes the whole family (RFC 9700 §4.14)")
                                     .arg(utc(at)),
                                 QColor(0x90, 0xa4, 0xae),
                                 TimelineBar::Band});
        }
    }
    addRevocationShades(tokenLanes);
    order(m_grants);
    std::vector<TimelineLane> lanes;
    for (const LaneItem& item : m_items) {
        lanes.push_back(item.kind == LaneItem::Token
                            ? tokenLanes[std::size_t(item.index)]
                            : sessionLane(m_sessions[item.index], item.index + 1, m_lives[item.index]));
    }
    m_view->setLanes(std::move(lanes));
    m_view->setTimeRange(lo - pad, hi + pad);
    selectLane(m_selected < m_items.size() ? m_selected : -1);
    nowMoved(m_view->now());
}

void TimelinePane::publishMarks()
{
    m_workspace->setTimeline({m_sessions, m_roleOverride, m_revoked, viewState()});
}

void TimelinePane::publishView()
{
    m_workspace->setTimelineView(viewState());
}

inspect::TimelineViewState TimelinePane::viewState() const
{
    inspect::TimelineViewState view;
    view.leeway = m_leeway->value();
    view.range = std::pair{m_view->viewStart(), m_view->viewEnd()};
    view.now = m_view->now();
    return view;
}

void TimelinePane::loadMarks()
{
    const inspect::TimelineMarks& marks = m_workspace->timeline();
    m_sessions = marks.sessions;
    m_roleOverride = marks.roles;
    m_revoked = marks.revoked;
    m_selected = -1;
    const inspect::TimelineViewState view = marks.view;
    if (view.leeway) {
        const QSignalBlocker block(m_leeway); // one refresh below, and a restored leeway is no change
        m_leeway->setValue(*view.leeway);
    }
    const auto show = [this, view] {
        refresh();
        if (view.range) {
            m_view->setViewRange(view.range->first, view.range->second);
        }
        if (view.now) {
            m_view->setNow(*view.now);
        }
    };
    show();
    if (!isVisible()) {
        whenShown(show); // the refresh deferred for the new tokens would fit the view again
    }
}

void TimelinePane::setLeeway(double seconds)
{
    m_leeway->setValue(seconds);
}

namespace {

// Runs `change`, then refreshes with the view range the user had.
template <typename Change>
void keepingView(TimelineView* view, Change change)
{
    const auto range = std::pair{view->viewStart(), view->viewEnd()};
    change();
    view->setViewRange(range.first, range.second);
}

} // namespace

void TimelinePane::markRevokedAtNow(int lane)
{
    if (lane < 0 || lane >= m_items.size()) {
        emit statusMessage(tr("Click a token's or a session's lane first."));
        return;
    }
    const LaneItem item = m_items[lane];
    const double now = m_view->now();
    if (item.kind == LaneItem::Session) {
        inspect::SessionSpec& s = m_sessions[item.index];
        if (now < s.created || now >= m_lives[item.index].end) {
            emit statusMessage(tr("Session %1 is not alive at now: nothing to revoke.").arg(item.index + 1));
            return;
        }
        s.endedAt = now;
        s.endedByLogout = false;
    } else {
        m_revoked[m_shown[item.index]].append(now);
    }
    publishMarks();
    keepingView(m_view, [this] { refresh(); });
}

void TimelinePane::logoutAtNow(int lane)
{
    if (lane < 0 || lane >= m_items.size() || m_items[lane].kind != LaneItem::Session) {
        emit statusMessage(tr("Logging out applies to a session: select a session's lane (Add session… makes one)."));
        return;
    }
    const int index = m_items[lane].index;
    const double now = m_view->now();
    if (now < m_sessions[index].created || now >= m_lives[index].end) {
        emit statusMessage(tr("Session %1 is not alive at now: nothing to log out.").arg(index + 1));
        return;
    }
    m_sessions[index].endedAt = now;
    m_sessions[index].endedByLogout = true;
    publishMarks();
    keepingView(m_view, [this] { refresh(); });
}

void TimelinePane::activityAtNow(int lane)
{
    if (lane < 0 || lane >= m_items.size() || m_items[lane].kind != LaneItem::Session) {
        emit statusMessage(tr("A request applies to a session: select a session's lane."));
        return;
    }
    const int index = m_items[lane].index;
    const double now = m_view->now();
    if (now < m_sessions[index].created || now >= m_lives[index].end) {
        emit statusMessage(tr("Session %1 is not alive at now: a request then does not revive it (%2).")
                               .arg(index + 1)
                               .arg(sessionEndText(m_lives[index])));
        return;
    }
    m_sessions[index].activity.append(now);
    publishMarks();
    keepingView(m_view, [this] { refresh(); });
}

void TimelinePane::setPresentationMode(bool on)
{
    m_view->setPresentationMode(on);
    if (m_presentation->isChecked() != on) {
        m_presentation->setChecked(on);
    }
}

void TimelinePane::resetNow()
{
    m_view->setNow(m_workspace->now());
    nowMoved(m_view->now());
}

void TimelinePane::nowMoved(double now)
{
    m_nowLabel->setText(tr("Now: %1").arg(utc(now)));
    QStringList lines;
    const double leeway = m_leeway->value();
    for (const LaneItem& item : m_items) {
        if (item.kind == LaneItem::Session) {
            const inspect::SessionSpec& s = m_sessions[item.index];
            const SessionLife& life = m_lives[item.index];
            QString state;
            if (now < s.created) {
                state = tr("not created yet (in %1)").arg(duration(s.created - now));
            } else if (now < life.end || life.reason == SessionLife::Reason::Open) {
                QStringList left;
                if (life.idleDeadline) {
                    left << tr("idle timeout in %1 without a request").arg(duration(*life.idleDeadline - now));
                }
                if (life.absoluteDeadline) {
                    left << tr("absolute timeout in %1").arg(duration(*life.absoluteDeadline - now));
                }
                state = tr("active") + (left.isEmpty() ? QString() : QStringLiteral(", ") + left.join(tr(", ")));
            } else {
                state = tr("ended %1 ago (%2)").arg(duration(now - life.end), sessionEndText(life));
            }
            lines.append(tr("Session %1: %2").arg(item.index + 1).arg(state));
            continue;
        }
        const int i = item.index;
        const inspect::TokenFacts& t = m_facts[i];
        QString state;
        if (t.nbf && now < *t.nbf - leeway) {
            state = tr("not yet valid (nbf in %1)").arg(duration(*t.nbf - now));
        } else if (!t.exp) {
            state = tr("valid, never expires (no exp)");
        } else if (now < *t.exp) {
            state = tr("valid, expires in %1").arg(duration(*t.exp - now));
        } else if (now < *t.exp + leeway) {
            state = tr("expired %1 ago, accepted within the leeway").arg(duration(now - *t.exp));
        } else {
            state = tr("expired %1 ago").arg(duration(now - *t.exp));
        }
        for (const double r : m_revoked.value(m_shown[i])) {
            if (now >= r) {
                state += tr("; revoked %1 ago").arg(duration(now - r));
                break;
            }
        }
        if (const int next = m_grants.rotatedTo.value(i, -1); next >= 0 && now >= *m_facts[next].start()) {
            state += tr("; rotated to Token %1 %2 ago: refused since")
                         .arg(next + 1)
                         .arg(duration(now - *m_facts[next].start()));
        }
        lines.append(tr("%1: %2").arg(laneName(item), state));
    }
    if (lines.isEmpty()) {
        lines.append(tr("No token in the workspace yet: paste one (Ctrl+V) or open a file."));
    }
    m_states->setText(lines.join(QLatin1Char('\n')));
}

void TimelinePane::exportView()
{
    QString path = FileDialog::saveFileName(this, tr("Export the timeline"), QStringLiteral("tokens-timeline.png"),
                                            tr("PNG image (*.png);;SVG image (*.svg)"));
    if (path.isEmpty()) {
        return;
    }
    if (QFileInfo(path).suffix().isEmpty()) {
        path += QStringLiteral(".png");
    }
    const bool svg = QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0;
    const bool ok = svg ? m_view->exportSvg(path) : m_view->exportPng(path);
    emit statusMessage(ok ? tr("Exported the timeline to %1.").arg(path) : tr("Could not write %1.").arg(path));
}

void TimelinePane::prepareScreenshot()
{
    // A login 25 min ago (refresh token 1 with an access token), a refresh 5 min ago that rotated to refresh
    // token 2 and issued the workspace's current token, and the browser session they belong to, logged out
    // 2 min ago (which revokes the refresh token; the access token lives on).
    const QByteArray current = m_workspace->currentToken();
    const auto facts = inspect::tokenFacts(current);
    QList<keys::KeyPtr> candidates;
    for (const workspace::NamedKey& k : m_workspace->keys()) {
        candidates.append(k.key);
    }
    const qsizetype key = inspect::verifyingKey(current, candidates);
    const auto alg = facts ? jose::algFromName(facts->alg) : std::nullopt;
    if (!facts || !facts->iat || key < 0 || !alg) {
        return;
    }
    const double now = m_workspace->now();
    const qint64 login = qint64(now) - 1500;
    const qint64 refreshAt = qint64(*facts->iat);
    const QByteArray who = "\"iss\":" + jose::jsonQuote(facts->iss) + ",\"sub\":" + jose::jsonQuote(facts->sub) +
                           ",\"sid\":\"s-8f14e45f\"";
    auto make = [&](const char* typ, qint64 iat, qint64 exp, const char* jti) {
        const QByteArray payload = "{" + who + ",\"typ\":\"" + typ + "\",\"iat\":" + QByteArray::number(iat) +
                                   ",\"exp\":" + QByteArray::number(exp) + ",\"jti\":\"" + jti + "\"}";
        const auto token =
            jose::signCompact(*alg, candidates[key].get(),
                              QByteArrayLiteral("{\"alg\":\"") + facts->alg.toUtf8() + "\",\"typ\":\"JWT\"}", payload);
        if (token) {
            m_workspace->setCurrentToken(*token);
        }
    };
    make("Refresh", login, login + 28800, "rt-1");
    make("Bearer", login, login + 900, "at-1");
    make("Refresh", refreshAt, login + 28800, "rt-2");
    m_workspace->setCurrentToken(current);

    inspect::SessionSpec session;
    session.label = tr("Browser session");
    session.sid = QStringLiteral("s-8f14e45f");
    session.created = double(login);
    session.idleTimeout = 1800;
    session.absoluteTimeout = 28800;
    session.activity = {double(login + 300), double(login + 600), double(login + 900), double(refreshAt)};
    session.endedAt = now - 120;
    addSession(session);
    const int rt = m_grants.issuedWith.value(int(m_shown.indexOf(current)), -1);
    if (rt >= 0) {
        m_revoked[m_shown[rt]].append(now - 120);
    }
    publishMarks();
    refresh();
    m_view->setViewRange(double(login) - 300, now + 1200);
    selectLane(-1);
}

} // namespace tb::ui
