#include "TimelinePane.h"

#include <algorithm>
#include <cmath>

#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QScrollArea>
#include <QToolButton>
#include <QVBoxLayout>

#include "Workspace.h"
#include "jose/Compact.h"
#include "jose/JsonText.h"
#include "jose/JsonView.h"
#include "support/FileDialog.h"

namespace tb::ui {

namespace {

constexpr int maxLanes = 40;

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
    auto* revoke = button(QStringLiteral("timelineRevoke"), tr("Mark revoked at now"),
                          tr("Mark the selected token (click its lane) revoked at the now line"));
    auto* clear = button(QStringLiteral("timelineClearMarks"), tr("Clear marks"), tr("Remove the revocation marks"));
    auto* fit = button(QStringLiteral("timelineFit"), tr("Fit"), tr("Show every token (double-click does the same)"));
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
    bar->addWidget(revoke);
    bar->addWidget(clear);
    bar->addStretch(1);
    bar->addWidget(fit);
    bar->addWidget(m_presentation);
    bar->addWidget(exportButton);

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
    auto* hint = new QLabel(tr("Wheel: zoom · drag: pan · drag the orange line (or click the axis): move now · "
                               "double-click: fit · hover a bar or marker for its times"),
                            this);
    hint->setForegroundRole(QPalette::PlaceholderText);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    auto* viewScroll = new QScrollArea(this);
    viewScroll->setWidget(m_view);
    viewScroll->setWidgetResizable(true);
    viewScroll->setFrameShape(QFrame::NoFrame);
    viewScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    layout->addWidget(viewScroll, 1);
    layout->addWidget(m_states);
    layout->addWidget(hint);

    connect(m_workspace, &Workspace::tokensChanged, this, &TimelinePane::refresh);
    connect(m_workspace, &Workspace::currentTokenChanged, this, &TimelinePane::refresh);
    connect(m_workspace, &Workspace::nowChanged, this, &TimelinePane::resetNow);
    connect(m_leeway, &QDoubleSpinBox::valueChanged, this, &TimelinePane::refresh);
    connect(m_view, &TimelineView::nowChanged, this, &TimelinePane::nowMoved);
    connect(m_view, &TimelineView::laneClicked, this, [this](int lane) { m_selected = lane; });
    connect(resetNow, &QToolButton::clicked, this, &TimelinePane::resetNow);
    connect(revoke, &QToolButton::clicked, this, [this] { markRevokedAtNow(m_selected); });
    connect(clear, &QToolButton::clicked, this, [this] {
        m_revoked.clear();
        refresh();
    });
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

std::optional<TimelinePane::TokenTimes> TimelinePane::tokenTimes(const QByteArray& token)
{
    const auto compact = jose::parseCompact(QByteArrayView(token).trimmed());
    if (!compact || compact->kind != jose::TokenKind::Jws) {
        return std::nullopt;
    }
    const jose::JsonScan payloadScan = jose::scanJson(compact->payload);
    if (payloadScan.error || !payloadScan.topLevelIsObject) {
        return std::nullopt;
    }
    const jose::JsonObjectView claims(compact->payload, payloadScan);
    TokenTimes t;
    t.iat = claims.number("iat");
    t.nbf = claims.number("nbf");
    t.exp = claims.number("exp");
    t.sub = claims.string("sub").value_or(QString());
    t.jti = claims.string("jti").value_or(QString());
    t.typ = claims.string("token_use").value_or(claims.string("typ").value_or(QString()));
    const jose::JsonScan headerScan = jose::scanJson(compact->header);
    if (!headerScan.error && headerScan.topLevelIsObject) {
        const jose::JsonObjectView header(compact->header, headerScan);
        t.alg = header.string("alg").value_or(QString());
        if (t.typ.isEmpty()) {
            t.typ = header.string("typ").value_or(QString());
        }
    }
    return t;
}

TimelineLane TimelinePane::laneFor(const TokenTimes& t, int number, double leeway, double openEnd,
                                   const QList<double>& revocations)
{
    TimelineLane lane;
    lane.title = tr("Token %1").arg(number) + (t.alg.isEmpty() ? QString() : QStringLiteral(" · ") + t.alg);
    QStringList sub;
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
    const std::optional<double> from = t.nbf ? t.nbf : t.iat;
    const double start = from.value_or(t.exp.value_or(openEnd) - 1);
    const double end = t.exp.value_or(openEnd);
    TimelineBar valid{start, end, {}, {}, {}, TimelineBar::Solid};
    if (t.exp) {
        valid.label = tr("valid %1").arg(duration(end - start));
        valid.tooltip = tr("Valid from %1 (%2) to exp %3").arg(utc(start), t.nbf ? tr("nbf") : tr("iat"), utc(end));
    } else {
        valid.label = tr("no exp: never expires");
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

void TimelinePane::refresh()
{
    m_shown.clear();
    m_times.clear();
    double lo = 0;
    double hi = 0;
    bool any = false;
    auto include = [&](double v) {
        lo = any ? std::min(lo, v) : v;
        hi = any ? std::max(hi, v) : v;
        any = true;
    };
    for (const QByteArray& token : m_workspace->tokens()) {
        if (m_shown.size() >= maxLanes) {
            break;
        }
        const auto times = tokenTimes(token);
        if (!times) {
            continue;
        }
        m_shown.append(token);
        m_times.append(*times);
        for (const auto& v : {times->iat, times->nbf, times->exp}) {
            if (v) {
                include(*v);
            }
        }
        for (const double r : m_revoked.value(token)) {
            include(r);
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
    std::vector<TimelineLane> lanes;
    for (int i = 0; i < m_shown.size(); ++i) {
        lanes.push_back(laneFor(m_times[i], i + 1, leeway, hi + pad, m_revoked.value(m_shown[i])));
    }
    m_view->setLanes(std::move(lanes));
    m_view->setTimeRange(lo - pad, hi + pad);
    nowMoved(m_view->now());
}

void TimelinePane::setLeeway(double seconds)
{
    m_leeway->setValue(seconds);
}

void TimelinePane::markRevokedAtNow(int lane)
{
    if (lane < 0 || lane >= m_shown.size()) {
        emit statusMessage(tr("Click a token's lane first."));
        return;
    }
    m_revoked[m_shown[lane]].append(m_view->now());
    const auto view = std::pair{m_view->viewStart(), m_view->viewEnd()};
    refresh();
    m_view->setViewRange(view.first, view.second);
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
    for (int i = 0; i < m_times.size(); ++i) {
        const TokenTimes& t = m_times[i];
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
        lines.append(tr("Token %1: %2").arg(i + 1).arg(state));
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

} // namespace tb::ui
