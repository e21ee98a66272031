// The Timeline pane (issue 6): sessions and their events, refresh/access pairs, roles, revocations.
#include <cmath>

#include <QAction>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QFile>
#include <QGroupBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include "MainWindow.h"
#include "TestSupport.h"
#include "Workspace.h"
#include "jose/Jws.h"
#include "keys/KeyIo.h"
#include "panes/timeline/TimelinePane.h"
#include "support/FileDialog.h"
#include "support/MessageBox.h"
#include "widgets/TimelineView.h"

using namespace tb;
using tb::ui::TimelinePane;
using tb::ui::TimelineView;
using Item = tb::ui::TimelinePane::LaneItem;

namespace {

constexpr double kIat = 1'000'000'000;

QByteArray token(const QByteArray& claims)
{
    const auto key = keys::secretKey(QByteArrayLiteral("a-test-secret-of-at-least-32-bytes!!"));
    return *jose::signCompact(jose::Alg::HS256, key.get(), QByteArrayLiteral("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"),
                              "{" + claims + "}");
}

QByteArray times(double iat, double exp)
{
    return ",\"iat\":" + QByteArray::number(qint64(iat)) + ",\"exp\":" + QByteArray::number(qint64(exp));
}

using tb::test::child;

// The pane is never shown (its view keeps the size the test gives it), so buttons are clicked, not hit.
void click(const QWidget& w, const char* name)
{
    child<QAbstractButton>(w, name)->click();
}

bool hasMarker(const ui::TimelineLane& lane, const QString& kind, double at, const QString& label)
{
    return std::any_of(lane.markers.begin(), lane.markers.end(),
                       [&](const ui::TimelineMarker& m) { return m.kind == kind && m.at == at && m.label == label; });
}

// Every lane as text (titles, bars, markers, shades with their times), to compare two panes exactly.
QStringList describe(const std::vector<ui::TimelineLane>& lanes)
{
    QStringList out;
    for (const ui::TimelineLane& lane : lanes) {
        out << lane.title + QStringLiteral(" | ") + lane.subtitle;
        for (const ui::TimelineBar& b : lane.bars) {
            out << QStringLiteral("  bar %1..%2 %3 %4 %5")
                       .arg(qint64(b.start))
                       .arg(qint64(b.end))
                       .arg(b.label, b.color.name())
                       .arg(int(b.style));
        }
        for (const ui::TimelineMarker& m : lane.markers) {
            out << QStringLiteral("  marker %1 %2 %3").arg(qint64(m.at)).arg(m.kind, m.label);
        }
        for (const ui::TimelineShade& sh : lane.shades) {
            out << QStringLiteral("  shade %1..%2 %3").arg(qint64(sh.start)).arg(qint64(sh.end)).arg(sh.label);
        }
    }
    return out;
}

int laneOf(const TimelinePane& pane, int token)
{
    for (int lane = 0; lane < pane.laneItems().size(); ++lane) {
        if (pane.laneItems()[lane].kind == Item::Token && pane.laneItems()[lane].index == token) {
            return lane;
        }
    }
    return -1;
}

QAction* menuAction(const QWidget& w, const QString& text)
{
    const auto actions = w.findChildren<QAction*>();
    const auto found =
        std::find_if(actions.begin(), actions.end(), [&](const QAction* a) { return a->text() == text; });
    return found == actions.end() ? nullptr : *found;
}

QStringList texts(std::initializer_list<const char*> lines)
{
    QStringList out;
    for (const char* line : lines) {
        out << QString::fromUtf8(line);
    }
    return out;
}
// Replaces a file's bytes (to damage a saved workspace); false when it cannot be written whole.
bool overwrite(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

} // namespace

class TestTimelineUi final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        Q_INIT_RESOURCE(tokenbench_ui);
        QStandardPaths::setTestModeEnabled(true);
    }

    void sessionGeometryForKnownTimes()
    {
        ui::Workspace ws;
        ws.setNowOverride(kIat + 600);
        ws.setCurrentToken(token("\"sub\":\"alice\",\"sid\":\"s1\",\"typ\":\"Bearer\"" + times(kIat, kIat + 900)));
        TimelinePane pane(&ws);
        TimelineView* view = pane.timelineView();
        view->resize(1200, 400);

        // Add a session through the form: created at iat, idle 10 min, absolute 1 h.
        auto* form = child<QGroupBox>(pane, "timelineSessionForm");
        QVERIFY(form->isHidden());
        click(pane, "timelineAddSession");
        QVERIFY(!form->isHidden());
        child<QLineEdit>(pane, "timelineSessionLabel")->setText(QStringLiteral("Web"));
        child<QLineEdit>(pane, "timelineSessionSid")->setText(QStringLiteral("s1"));
        child<QDateTimeEdit>(pane, "timelineSessionCreated")
            ->setDateTime(QDateTime::fromSecsSinceEpoch(qint64(kIat), Qt::UTC));
        child<QSpinBox>(pane, "timelineSessionIdle")->setValue(600);
        child<QSpinBox>(pane, "timelineSessionAbsolute")->setValue(3600);
        click(pane, "timelineSessionCreate");
        QVERIFY(form->isHidden());
        QCOMPARE(pane.sessions().size(), 1);
        QCOMPARE(pane.sessions()[0].created, kIat);
        QCOMPARE(pane.sessions()[0].idleTimeout, 600.0);
        QCOMPARE(pane.sessions()[0].absoluteTimeout, 3600.0);

        // The session comes first, then its token (same sid); the new session is selected.
        QCOMPARE(pane.laneItems().size(), 2);
        QCOMPARE(pane.laneItems()[0].kind, Item::Session);
        QCOMPARE(pane.laneItems()[1].kind, Item::Token);
        QCOMPARE(pane.selectedLane(), 0);
        QCOMPARE(view->selectedLane(), 0);
        QCOMPARE(view->lanes()[0].title, QStringLiteral("Session 1 · Web"));
        QCOMPARE(view->lanes()[0].subtitle, QStringLiteral("sid s1 · idle 10 min · max 60 min"));

        // Range: iat .. exp plus 10 % (90 s): [iat - 90, iat + 990], 990 px from x 190 in a 1200 px view, so
        // x(t) = 190 + (t - iat + 90) × 990 / 1080. Without requests the idle timeout ends the session at +600 s.
        QCOMPARE(view->viewStart(), kIat - 90);
        QCOMPARE(view->viewEnd(), kIat + 990);
        QRectF life = *view->barRect(0, 0);
        QCOMPARE(life.left(), 272.5);
        QCOMPARE(life.right(), 822.5);
        QVERIFY(hasMarker(view->lanes()[0], QStringLiteral("expiry"), kIat + 600, QStringLiteral("idle timeout")));
        QVERIFY(hasMarker(view->lanes()[0], QStringLiteral("expiry"), kIat + 3600, QStringLiteral("absolute limit")));

        // A request at +300 s slides the idle timeout to +900 s.
        view->setNow(kIat + 300);
        click(pane, "timelineActivity");
        QCOMPARE(pane.sessions()[0].activity, QList<double>{kIat + 300});
        life = *view->barRect(0, 0);
        QCOMPARE(life.left(), 272.5);
        QCOMPARE(life.right(), 1097.5);
        const QRectF idle = *view->barRect(0, 1); // the idle window: last request .. deadline
        QCOMPARE(idle.left(), 547.5);
        QCOMPARE(idle.right(), 1097.5);
        QCOMPARE(view->lanes()[0].bars[1].style, ui::TimelineBar::Band);
        QVERIFY(hasMarker(view->lanes()[0], QStringLiteral("activity"), kIat + 300, QStringLiteral("request")));
        QCOMPARE(view->xForTime(kIat + 300), 547.5);

        // Logout at +450 s: the session ends there; its token keeps verifying to exp + leeway (+960 s).
        view->setNow(kIat + 450);
        click(pane, "timelineLogout");
        life = *view->barRect(0, 0);
        QCOMPARE(life.right(), 685.0);
        QVERIFY(hasMarker(view->lanes()[0], QStringLiteral("logout"), kIat + 450, QStringLiteral("logout")));
        const ui::TimelineLane& tokenLane = view->lanes()[1];
        QCOMPARE(tokenLane.shades.size(), std::size_t(1));
        QCOMPARE(tokenLane.shades[0].label, QStringLiteral("verifies after logout 9 min"));
        const QRectF shade = *view->shadeRect(1, 0);
        QCOMPARE(shade.left(), 685.0);
        QCOMPARE(shade.right(), 1152.5);
        QVERIFY(tokenLane.shades[0].tooltip.contains(QStringLiteral("Session 1 (sid s1)")));

        view->setNow(kIat + 600);
        const QString states = child<QLabel>(pane, "timelineStates")->text();
        QVERIFY2(states.contains(QStringLiteral("Session 1: ended 3 min ago (logout)")), qPrintable(states));
        QVERIFY2(states.contains(QStringLiteral("Token 1 (access token): valid, expires in 5 min")),
                 qPrintable(states));

        // A request after the logout does not revive the session.
        click(pane, "timelineActivity");
        QCOMPARE(pane.sessions()[0].activity.size(), 1);
        // Clear marks keeps the session and drops its events.
        click(pane, "timelineClearMarks");
        QCOMPARE(pane.sessions().size(), 1);
        QVERIFY(pane.sessions()[0].activity.isEmpty());
        QVERIFY(!pane.sessions()[0].endedAt);
        QVERIFY(view->lanes()[1].shades.empty());
        pane.selectLane(0);
        click(pane, "timelineRemoveSession");
        QVERIFY(pane.sessions().isEmpty());
        QCOMPARE(view->lanes().size(), std::size_t(1));
    }

    // A label ends before the next marker's glyph (elided when it would run into it), markers at one place
    // share one label, and no label is drawn over any glyph.
    void markerLabelsStopBeforeTheNextMarker()
    {
        TimelineView view;
        view.resize(1000, 300);
        ui::TimelineLane lane;
        lane.title = QStringLiteral("Token");
        lane.markers = {{100, QStringLiteral("rotation"), QStringLiteral("rotated → Token 2 (a long label)")},
                        {200, QStringLiteral("logout"), QStringLiteral("session 1 ended")},
                        {900, QStringLiteral("exp"), QString()},
                        {901, QStringLiteral("issue"), QStringLiteral("iat")}};
        view.setLanes({lane});
        view.setTimeRange(0, 1000);
        view.setViewRange(0, 1000);

        const std::vector<TimelineView::MarkerLabel> labels = view.markerLabels(0, view.width());
        QCOMPARE(labels.size(), std::size_t(3));
        QCOMPARE(labels[0].marker, 0);
        QVERIFY2(labels[0].text.endsWith(QChar(0x2026)), qPrintable(labels[0].text));
        QVERIFY(QStringLiteral("rotated → Token 2 (a long label)").startsWith(labels[0].text.chopped(1)));
        QCOMPARE(labels[0].rect.left(), view.xForTime(100) + 5 + 3);
        QVERIFY(labels[0].rect.right() - 2 <= view.xForTime(200) - 5 - 3);
        QCOMPARE(labels[1].marker, 1);
        QCOMPARE(labels[1].text, QStringLiteral("session 1 ended"));
        QCOMPARE(labels[2].marker, 2); // the kind names an unlabelled marker; the marker beside it adds none
        QCOMPARE(labels[2].text, QStringLiteral("exp"));
        for (const TimelineView::MarkerLabel& label : labels) {
            for (const ui::TimelineMarker& mk : lane.markers) {
                const double x = view.xForTime(mk.at);
                QVERIFY(!(label.rect.left() < x + 5 && label.rect.right() - 2 > x - 5));
            }
        }

        // Too little room for a few characters: no label (the tooltip still has it).
        lane.markers = {{100, QStringLiteral("rotation"), QStringLiteral("rotated")},
                        {110, QStringLiteral("logout"), QStringLiteral("logout")}};
        view.setLanes({lane});
        const std::vector<TimelineView::MarkerLabel> tight = view.markerLabels(0, view.width());
        QCOMPARE(tight.size(), std::size_t(1));
        QCOMPARE(tight[0].marker, 1);
        QCOMPARE(tight[0].text, QStringLiteral("logout"));
    }

    // A marker line crossing a bar does not cut through the bar's label: the label sits on the bar's colour.
    void barLabelsStayReadableOverMarkerLines()
    {
        TimelineView view;
        view.resize(1000, 200);
        ui::TimelineLane lane;
        lane.title = QStringLiteral("Token");
        lane.bars = {{0, 1000, QStringLiteral("refresh token valid 8.0 h, a long label"), QString(),
                      QColor(0x00, 0x89, 0x7b), ui::TimelineBar::Solid}};
        view.setLanes({lane});
        view.setTimeRange(0, 1000);
        view.setViewRange(0, 1000);
        view.setNowVisible(false);
        const QRectF bar = *view.barRect(0, 0);
        const int y = int(bar.top()) + 3; // above the text, inside the label's background
        // A marker 40 px into the label, and one far past its end for comparison.
        const double t = (bar.left() + 40 - view.plotLeft()) * 1000 / (view.plotRight() - view.plotLeft());
        lane.markers = {{t, QStringLiteral("revocation"), QString()}, {900, QStringLiteral("revocation"), QString()}};
        view.setLanes({lane});
        const QImage image = view.renderImage();
        const int x = int(std::round(view.xForTime(t)));
        const int farX = int(std::round(view.xForTime(900)));
        QCOMPARE(QColor(image.pixel(x, y)), QColor(0x00, 0x89, 0x7b));
        QCOMPARE(QColor(image.pixel(x - 6, y)), QColor(0x00, 0x89, 0x7b));
        QVERIFY(QColor(image.pixel(farX, y)) != QColor(0x00, 0x89, 0x7b)); // away from a label the line shows
    }

    void refreshAndAccessTokensDrawnDistinctly()
    {
        ui::Workspace ws;
        ws.setNowOverride(kIat + 400);
        const QByteArray user = "\"iss\":\"https://idp\",\"sub\":\"u\"";
        const QByteArray rt1 = token(user + ",\"typ\":\"Refresh\"" + times(kIat, kIat + 3600));
        const QByteArray at1 = token(user + ",\"typ\":\"Bearer\"" + times(kIat, kIat + 300));
        const QByteArray rt2 = token(user + ",\"typ\":\"Refresh\"" + times(kIat + 300, kIat + 3600));
        const QByteArray at2 = token(user + ",\"typ\":\"Bearer\"" + times(kIat + 300, kIat + 600));
        const QByteArray other = token("\"sub\":\"someone-else\"" + times(kIat + 100, kIat + 400));
        for (const QByteArray& t : {rt1, at1, rt2, at2, other}) {
            ws.setCurrentToken(t);
        }
        // Workspace order (most recent first): Token 1 other, 2 at2, 3 rt2, 4 at1, 5 rt1.
        TimelinePane pane(&ws);
        TimelineView* view = pane.timelineView();
        view->resize(1200, 500);
        QCOMPARE(pane.roleOf(2), inspect::TokenRole::Refresh);
        QCOMPARE(pane.roleOf(1), inspect::TokenRole::Access);
        QCOMPARE(pane.roleOf(0), inspect::TokenRole::Unknown);
        // Each refresh token with the access token issued with it right under it.
        QList<int> order;
        for (const Item& item : pane.laneItems()) {
            QCOMPARE(item.kind, Item::Token);
            order << item.index;
        }
        QCOMPARE(order, (QList<int>{0, 2, 1, 4, 3}));
        const auto& lanes = view->lanes();
        QCOMPARE(lanes[1].title, QStringLiteral("Token 3 · HS256"));
        QCOMPARE(lanes[1].bars[0].color, QColor(0x00, 0x89, 0x7b)); // refresh tokens in teal
        QCOMPARE(lanes[1].bars[0].label, QStringLiteral("refresh token valid 55 min"));
        QCOMPARE(lanes[2].title, QStringLiteral("↳ Token 2 · HS256"));
        QVERIFY(lanes[2].subtitle.startsWith(QStringLiteral("issued with Token 3 · access token")));
        QVERIFY(!lanes[2].bars[0].color.isValid()); // access tokens in the default blue
        QCOMPARE(lanes[0].title, QStringLiteral("Token 1 · HS256"));
        // The first refresh token was rotated to the second at the refresh (+300 s).
        QVERIFY(hasMarker(lanes[3], QStringLiteral("rotation"), kIat + 300, QStringLiteral("rotated → Token 3")));
        QCOMPARE(lanes[3].bars.back().start, kIat + 300); // refused from the rotation on (hatched)
        QCOMPARE(lanes[3].bars.back().end, kIat + 3600);
        QCOMPARE(lanes[3].bars.back().style, ui::TimelineBar::Band);
        QVERIFY(child<QLabel>(pane, "timelineStates")
                    ->text()
                    .contains(QStringLiteral("Token 5 (refresh token): valid, expires in 53 min; rotated to Token 3 "
                                             "100 s ago: refused since")));

        // Revoking refresh token 3 (clicked in its lane) stops it at once; its access token lives to exp + leeway.
        const TimelineView::Metrics m = view->metrics();
        QTest::mouseClick(view, Qt::LeftButton, {}, QPoint(50, int(TimelineView::laneTop(1, m) + 10)));
        QCOMPARE(pane.selectedLane(), 1);
        QCOMPARE(child<QLabel>(pane, "timelineSelected")->text(), QStringLiteral("Selected: Token 3 (refresh token)"));
        click(pane, "timelineRevoke");
        QVERIFY(view->lanes()[1].shades.empty());
        QVERIFY(hasMarker(view->lanes()[1], QStringLiteral("revocation"), kIat + 400,
                          QStringLiteral("revoked: refused from now on")));
        QCOMPARE(view->lanes()[2].shades.size(), std::size_t(1));
        QCOMPARE(view->lanes()[2].shades[0].start, kIat + 400);
        QCOMPARE(view->lanes()[2].shades[0].end, kIat + 660);
        QCOMPARE(view->lanes()[2].shades[0].label, QStringLiteral("outlives its refresh token 4 min"));

        // The user says the unmarked token is a refresh token: it turns teal; back to the guess, blue again.
        QTest::mouseClick(view, Qt::LeftButton, {}, QPoint(50, int(TimelineView::laneTop(0, m) + 10)));
        auto* role = child<QComboBox>(pane, "timelineRole");
        QVERIFY(role->isEnabled());
        QCOMPARE(role->currentIndex(), 0);
        const int refresh = role->findData(int(inspect::TokenRole::Refresh));
        role->setCurrentIndex(refresh);
        emit role->activated(refresh);
        QCOMPARE(pane.roleOf(0), inspect::TokenRole::Refresh);
        QCOMPARE(pane.selectedLane(), 0);
        QCOMPARE(view->lanes()[0].bars[0].color, QColor(0x00, 0x89, 0x7b));
        role->setCurrentIndex(0);
        emit role->activated(0);
        QCOMPARE(pane.roleOf(0), inspect::TokenRole::Unknown);
        QVERIFY(!view->lanes()[0].bars[0].color.isValid());
        // Session actions need a session lane.
        QVERIFY(!child<QToolButton>(pane, "timelineLogout")->isEnabled());
    }

    void screenshotShowsASessionWithItsTokens()
    {
        ui::MainWindow window;
        window.loadSampleData();
        auto* pane = window.findChild<TimelinePane*>(QStringLiteral("timelinePane"));
        QVERIFY(pane);
        const QByteArray current = window.workspace()->currentToken();
        pane->prepareScreenshot();
        // The sample token stays current; three tokens and a session joined it.
        QCOMPARE(window.workspace()->currentToken(), current);
        QCOMPARE(pane->tokens().size(), 4);
        QCOMPARE(pane->sessions().size(), 1);
        const auto& lanes = pane->timelineView()->lanes();
        QCOMPARE(lanes.size(), std::size_t(5));
        QVERIFY(lanes[0].title.startsWith(QStringLiteral("Session 1")));
        // The current token was issued with the revoked refresh token: shaded until its exp + leeway.
        for (int lane = 0; lane < pane->laneItems().size(); ++lane) {
            const Item& item = pane->laneItems()[lane];
            if (item.kind == Item::Token && pane->tokens()[item.index] == current) {
                QCOMPARE(lanes[std::size_t(lane)].shades.size(), std::size_t(1));
                QVERIFY(lanes[std::size_t(lane)].title.startsWith(QStringLiteral("↳ ")));
            }
        }
    }

    void marksSurviveSaveAndOpen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("timeline.tbws"));
        const QByteArray user = "\"iss\":\"https://idp\",\"sub\":\"u\",\"sid\":\"s1\"";
        const QByteArray rt = token(user + ",\"typ\":\"Refresh\"" + times(kIat, kIat + 3600));
        const QByteArray at = token(user + ",\"typ\":\"Bearer\"" + times(kIat + 10, kIat + 900));
        const QByteArray other = token("\"sub\":\"someone-else\"" + times(kIat + 100, kIat + 700));
        QStringList before;
        {
            ui::MainWindow w;
            ui::MessageBox::resetHooks();
            w.workspace()->setNowOverride(kIat + 400);
            for (const QByteArray& t : {rt, at, other}) {
                w.workspace()->setCurrentToken(t);
            }
            auto* pane = w.findChild<TimelinePane*>(QStringLiteral("timelinePane"));
            QVERIFY(pane);
            pane->timelineView()->resize(1200, 500);
            pane->refresh();
            w.workspace()->setModified(false);
            // A session with a request, logged out at +450 s.
            inspect::SessionSpec s;
            s.label = QStringLiteral("Web");
            s.sid = QStringLiteral("s1");
            s.created = kIat;
            s.idleTimeout = 600;
            s.absoluteTimeout = 3600;
            s.activity = {kIat + 200};
            pane->addSession(s);
            QVERIFY(w.workspace()->isModified()); // a timeline mark is an unsaved change
            QCOMPARE(pane->laneItems()[0].kind, Item::Session);
            pane->timelineView()->setNow(kIat + 450);
            pane->selectLane(0);
            click(*pane, "timelineLogout");
            // Workspace order: Token 1 other, 2 at, 3 rt. The user says Token 1 is an ID token...
            const int otherLane = laneOf(*pane, 0);
            pane->selectLane(otherLane);
            auto* role = child<QComboBox>(*pane, "timelineRole");
            const int id = role->findData(int(inspect::TokenRole::Id));
            role->setCurrentIndex(id);
            emit role->activated(id);
            QCOMPARE(pane->roleOf(0), inspect::TokenRole::Id);
            // ...and revokes the refresh token (Token 3) at +400 s.
            pane->timelineView()->setNow(kIat + 400);
            click(*pane, "timelineResetNow");
            pane->selectLane(laneOf(*pane, 2));
            click(*pane, "timelineRevoke");
            before = describe(pane->timelineView()->lanes());

            ui::FileDialog::setNextFileName(path);
            QAction* saveAs = menuAction(w, QStringLiteral("Save Workspace &As…"));
            QVERIFY(saveAs);
            saveAs->trigger();
            QVERIFY(QFile::exists(path));
            QVERIFY(!w.workspace()->isModified());
        }
        // The exact picture the trainer left: session (logout at +450, request at +200), its refresh token
        // revoked at +400 with the access token outliving it, Token 1 drawn as an ID token.
        const QStringList expected = texts({
            "Session 1 · Web | sid s1 · idle 10 min · max 60 min",
            "  bar 1000000000..1000000450 session 8 min #2e7d32 0",
            "  marker 1000000000 issue created",
            "  marker 1000000200 activity request",
            "  marker 1000000450 logout logout",
            "  marker 1000003600 expiry absolute limit",
            "Token 3 · HS256 | refresh token · Refresh · sub u",
            "  bar 1000000000..1000003600 refresh token valid 60 min #00897b 0",
            "  bar 1000003600..1000003660  #ff8f00 1",
            "  marker 1000000000 issue iat",
            "  marker 1000003600 expiry exp",
            "  marker 1000000400 revocation revoked: refused from now on",
            "  marker 1000000010 refresh refresh → Token 2",
            "  marker 1000000450 logout session 1 ended",
            "↳ Token 2 · HS256 | issued with Token 3 · access token · Bearer · sub u",
            "  bar 1000000010..1000000900 valid 15 min #000000 0",
            "  bar 1000000900..1000000960  #ff8f00 1",
            "  marker 1000000010 issue iat",
            "  marker 1000000900 expiry exp",
            "  shade 1000000400..1000000960 outlives its refresh token 9 min",
            "  shade 1000000450..1000000960 verifies after logout 9 min",
            "Token 1 · HS256 | ID token · JWT · sub someone-else",
            "  bar 1000000100..1000000700 ID token valid 10 min #5e35b1 0",
            "  bar 1000000700..1000000760  #ff8f00 1",
            "  marker 1000000100 issue iat",
            "  marker 1000000700 expiry exp",
        });
        QCOMPARE(before, expected);

        ui::MainWindow w2;
        auto* pane2 = w2.findChild<TimelinePane*>(QStringLiteral("timelinePane"));
        pane2->timelineView()->resize(1200, 500);
        QVERIFY(pane2->sessions().isEmpty());
        QVERIFY(w2.loadWorkspaceFrom(path));
        QCOMPARE(ui::MessageBox::lastText(), QString()); // nothing was left out
        QCOMPARE(pane2->sessions().size(), 1);
        QCOMPARE(pane2->sessions()[0].endedAt, std::optional<double>(kIat + 450));
        QCOMPARE(pane2->roleOf(0), inspect::TokenRole::Id);
        QCOMPARE(describe(pane2->timelineView()->lanes()), expected);
        QVERIFY(!w2.workspace()->isModified());

        // A damaged session in the file costs that session only, named in the note shown on opening.
        QByteArray text = tb::test::readFileBytes(path);
        QVERIFY(text.contains("\"created\": 1000000000"));
        text.replace("\"created\": 1000000000", "\"created\": \"yesterday\"");
        QVERIFY(overwrite(path, text));
        ui::MainWindow w3;
        ui::MessageBox::setNextAnswer(QMessageBox::Ok);
        QVERIFY(w3.loadWorkspaceFrom(path));
        QCOMPARE(ui::MessageBox::lastText(), QStringLiteral("Timeline session 1 was skipped: its created time is "
                                                            "missing or not a time (seconds since 1970, up to year "
                                                            "9999)."));
        auto* pane3 = w3.findChild<TimelinePane*>(QStringLiteral("timelinePane"));
        QVERIFY(pane3->sessions().isEmpty());
        QCOMPARE(pane3->roleOf(0), inspect::TokenRole::Id);
    }

    // The view goes with the marks: leeway, visible range and "now" come back exactly in a fresh window, also once
    // the pane is shown (its deferred refresh must not fit the view again); a damaged part is named and skipped.
    void viewSurvivesSaveAndOpen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("view.tbws"));
        const QByteArray first = token("\"sub\":\"a\"" + times(kIat, kIat + 900));
        const QByteArray second = token("\"sub\":\"b\"" + times(kIat + 100, kIat + 3600));
        {
            ui::MainWindow w;
            ui::MessageBox::resetHooks();
            w.workspace()->setNowOverride(kIat + 400);
            w.workspace()->setCurrentToken(first);
            w.workspace()->setCurrentToken(second);
            auto* pane = w.findChild<TimelinePane*>(QStringLiteral("timelinePane"));
            pane->timelineView()->resize(1200, 500);
            pane->refresh();
            w.workspace()->setModified(false);
            child<QDoubleSpinBox>(*pane, "timelineLeeway")->setValue(300);
            QVERIFY(w.workspace()->isModified()); // the leeway changes what the lanes say
            w.workspace()->setModified(false);
            pane->timelineView()->setViewRange(kIat + 100, kIat + 1300);
            pane->timelineView()->setNow(kIat + 777);
            QVERIFY(!w.workspace()->isModified()); // zoom and "now" alone are no change worth a prompt
            ui::FileDialog::setNextFileName(path);
            menuAction(w, QStringLiteral("Save Workspace &As…"))->trigger();
            QCOMPARE(w.statusBar()->currentMessage(), QStringLiteral("Saved the workspace (no secrets)."));
        }
        QByteArray text = tb::test::readFileBytes(path);
        const QJsonObject view = QJsonDocument::fromJson(text)
                                     .object()
                                     .value(QStringLiteral("timeline"))
                                     .toObject()
                                     .value(QStringLiteral("view"))
                                     .toObject();
        QCOMPARE(QJsonDocument(view).toJson(QJsonDocument::Compact),
                 QByteArray("{\"end\":1000001300,\"leeway\":300,\"now\":1000000777,\"start\":1000000100}"));

        ui::MainWindow w2;
        auto* pane2 = w2.findChild<TimelinePane*>(QStringLiteral("timelinePane"));
        pane2->timelineView()->resize(1200, 500);
        QVERIFY(w2.loadWorkspaceFrom(path));
        QCOMPARE(ui::MessageBox::lastText(), QString());
        // Leeway, visible start and end, "now".
        const auto viewOf = [](const TimelinePane& pane) {
            return QList<double>{child<QDoubleSpinBox>(pane, "timelineLeeway")->value(),
                                 pane.timelineView()->viewStart(), pane.timelineView()->viewEnd(),
                                 pane.timelineView()->now()};
        };
        const QList<double> saved{300, kIat + 100, kIat + 1300, kIat + 777};
        QCOMPARE(viewOf(*pane2), saved);
        // Token 2 (sub a, exp +900) has a 300 s leeway band after exp.
        QVERIFY(describe(pane2->timelineView()->lanes())
                    .contains(QStringLiteral("  bar 1000000900..1000001200  #ff8f00 1")));
        QVERIFY(!w2.workspace()->isModified());
        w2.show();
        w2.showPane(ui::MainWindow::TimelineIndex);
        QVERIFY(QTest::qWaitForWindowExposed(&w2));
        QTRY_VERIFY(pane2->isVisible());
        QCOMPARE(viewOf(*pane2), saved);

        // A leeway out of range costs the leeway only (back to the default 60 s), named on opening.
        text.replace("\"leeway\": 300", "\"leeway\": -3");
        QVERIFY(overwrite(path, text));
        ui::MainWindow w3;
        ui::MessageBox::setNextAnswer(QMessageBox::Ok);
        QVERIFY(w3.loadWorkspaceFrom(path));
        QCOMPARE(ui::MessageBox::lastText(),
                 QStringLiteral("The timeline's leeway was not restored: it is not a number "
                                "of seconds from 0 to 86400."));
        QCOMPARE(viewOf(*w3.findChild<TimelinePane*>(QStringLiteral("timelinePane"))),
                 (QList<double>{60, kIat + 100, kIat + 1300, kIat + 777}));
    }

    // Marks of a token that left the workspace (it keeps the 50 most recent) cannot be saved: the status says how
    // many were dropped and why; a save that drops nothing says nothing about marks.
    void saveNamesDroppedMarks()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("dropped.tbws"));
        ui::MainWindow w;
        ui::MessageBox::resetHooks();
        w.workspace()->setNowOverride(kIat + 400);
        const QByteArray old = token("\"sub\":\"old\"" + times(kIat, kIat + 900));
        w.workspace()->setCurrentToken(old);
        auto* pane = w.findChild<TimelinePane*>(QStringLiteral("timelinePane"));
        pane->timelineView()->resize(1200, 500);
        pane->refresh();
        pane->selectLane(laneOf(*pane, 0));
        pane->timelineView()->setNow(kIat + 100);
        click(*pane, "timelineRevoke");
        pane->timelineView()->setNow(kIat + 200);
        click(*pane, "timelineRevoke");
        pane->setRole(0, inspect::TokenRole::Refresh);
        ui::FileDialog::setNextFileName(path);
        menuAction(w, QStringLiteral("Save Workspace &As…"))->trigger();
        QCOMPARE(w.statusBar()->currentMessage(), QStringLiteral("Saved the workspace (no secrets)."));

        for (int i = 0; i < int(ui::Workspace::maxTokens); ++i) {
            w.workspace()->setCurrentToken(
                token("\"sub\":\"n" + QByteArray::number(i) + "\"" + times(kIat, kIat + 60)));
        }
        QVERIFY(!w.workspace()->tokens().contains(old));
        ui::FileDialog::setNextFileName(path);
        menuAction(w, QStringLiteral("Save Workspace &As…"))->trigger();
        QCOMPARE(
            w.statusBar()->currentMessage(),
            QStringLiteral("Saved the workspace (no secrets). 3 timeline marks were not saved: their tokens are no "
                           "longer among the workspace's 50 most recent tokens."));
        ui::MainWindow w2;
        QVERIFY(w2.loadWorkspaceFrom(path));
        QVERIFY(w2.workspace()->timeline().roles.isEmpty());
        QVERIFY(w2.workspace()->timeline().revoked.isEmpty());
    }
};

QTEST_MAIN(TestTimelineUi)
#include "tst_ui_timeline.moc"
