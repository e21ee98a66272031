#include <algorithm>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include "MainWindow.h"
#include "TestSupport.h"
#include "panes/decode/DecodePane.h"
#include "panes/session/CookieFindingsModel.h"
#include "panes/session/CookieLab.h"
#include "panes/session/IdLab.h"
#include "panes/session/SessionCharts.h"
#include "panes/session/SessionPane.h"
#include "panes/session/StoreLab.h"
#include "support/FileDialog.h"
#include "support/MessageBox.h"

using tb::ui::BitHeatMap;
using tb::ui::CookieFindingsModel;
using tb::ui::CookieLab;
using tb::ui::EntropyChart;
using tb::ui::IdLab;
using tb::ui::MainWindow;
using tb::ui::PhaseSpacePlot;
using tb::ui::SessionPane;
using tb::ui::StoreLab;

namespace {

using tb::test::child;

// Picks a demo generator and a sample size in the form, presses "Analyse demo" and waits for the result.
bool analyseDemo(IdLab& lab, const char* kind, int count)
{
    auto* demo = child<QComboBox>(lab, "demoGenerator");
    demo->setCurrentIndex(demo->findData(QString::fromLatin1(kind)));
    child<QSpinBox>(lab, "demoCount")->setValue(count);
    QSignalSpy spy(&lab, &IdLab::analysisFinished);
    QTest::mouseClick(child<QPushButton>(lab, "analyseDemo"), Qt::LeftButton);
    return spy.wait(60000) && spy.first().first().toBool();
}

QStringList structureKinds(const IdLab& lab)
{
    QStringList kinds;
    const auto* list = child<QListWidget>(lab, "structureList");
    for (int i = 0; i < list->count(); ++i) {
        const QString kind = list->item(i)->data(Qt::UserRole).toString();
        if (!kind.isEmpty()) {
            kinds << kind;
        }
    }
    return kinds;
}

QStringList ruleIds(const CookieFindingsModel& model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row) {
        ids << model.index(row, CookieFindingsModel::RuleColumn).data().toString();
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

QStringList tableColumn(const QTableWidget& table, int column)
{
    QStringList out;
    for (int row = 0; row < table.rowCount(); ++row) {
        out << table.item(row, column)->text();
    }
    return out;
}

} // namespace

class TestSessionUi final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        Q_INIT_RESOURCE(tokenbench_ui);
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("tokenbench-tests"));
        QApplication::setApplicationName(QStringLiteral("tst_ui_session"));
    }
    void init()
    {
        tb::ui::MessageBox::resetHooks();
        tb::ui::FileDialog::resetHooks();
    }

    void counterDemoFailsAndNamesTheCounter()
    {
        IdLab lab;
        QVERIFY(analyseDemo(lab, "counter", 1000));
        const QString verdict = child<QLabel>(lab, "verdictLabel")->text();
        QVERIFY2(verdict.contains(QStringLiteral(">FAIL<")), qPrintable(verdict));
        QVERIFY(verdict.contains(QStringLiteral("predictable structure: counter")));
        QVERIFY(structureKinds(lab).contains(QStringLiteral("counter")));
        const auto* list = child<QListWidget>(lab, "structureList");
        const auto counter =
            list->findItems(QStringLiteral("counter — The ID is a decimal counter"), Qt::MatchStartsWith);
        QCOMPARE(counter.size(), 1);
        QCOMPARE(child<QLabel>(lab, "entropyAt_1")->text(), QStringLiteral("0 bits"));
        QVERIFY(child<QLabel>(lab, "reliabilityLabel")
                    ->text()
                    .endsWith(QStringLiteral("1000 samples: indicative only; about 5,000 are needed for a reliable "
                                             "result.")));
        QVERIFY(child<QLabel>(lab, "caveatLabel")->text().startsWith(QStringLiteral("Caveat: Statistics cannot")));
        // The charts hold the analysis: one bar per character, one heat-map cell per bit and test, n-1 points.
        const auto* entropy = child<EntropyChart>(lab, "entropyChart");
        QCOMPARE(int(entropy->positions().size()), int(lab.analysis()->chars.size()));
        const auto* heat = child<BitHeatMap>(lab, "bitHeatMap");
        QCOMPARE(int(heat->rows().size()), 8);
        QCOMPARE(int(heat->rows().front().cells.size()), lab.analysis()->maxBits);
        QCOMPARE(heat->rows().back().test, QStringLiteral("all tests"));
        QVERIFY(std::none_of(heat->rows().back().cells.begin(), heat->rows().back().cells.end(),
                             [](BitHeatMap::Cell c) { return c == BitHeatMap::Pass; }));
        QCOMPARE(child<PhaseSpacePlot>(lab, "phaseSpace")->pointCount(), qsizetype(999));
    }

    void csprngDemoPasses()
    {
        IdLab lab;
        QVERIFY(analyseDemo(lab, "csprng", 5000));
        const QString verdict = child<QLabel>(lab, "verdictLabel")->text();
        QVERIFY2(verdict.contains(QStringLiteral(">PASS<")), qPrintable(verdict));
        QVERIFY(verdict.contains(QStringLiteral("bits behave randomly at α = 1 %; no predictable structure found.")));
        QVERIFY(structureKinds(lab).isEmpty());
        QCOMPARE(lab.analysis()->verdict, tb::session::Verdict::Pass);
        QCOMPARE(child<QLabel>(lab, "entropyAt_1")->text(),
                 QStringLiteral("%1 bits").arg(tb::session::effectiveBitsAt(*lab.analysis(), 1.0)));
        // The level combo redraws the charts at another α: fewer bits pass at 10 % than at 0.001 %.
        auto effective = [&] {
            int n = 0;
            for (const auto& p : child<EntropyChart>(lab, "entropyChart")->positions()) {
                n += p.effective;
            }
            return n;
        };
        lab.setLevel(0.001);
        const int strict = effective();
        QCOMPARE(strict, tb::session::effectiveBitsAt(*lab.analysis(), 0.001));
        lab.setLevel(10.0);
        QCOMPARE(effective(), tb::session::effectiveBitsAt(*lab.analysis(), 10.0));
        QVERIFY(effective() <= strict);
    }

    void pastedSampleTooSmallOrBad()
    {
        IdLab lab;
        QByteArray fifty;
        for (int i = 0; i < 50; ++i) {
            fifty += "id" + QByteArray::number(i) + '\n';
        }
        child<QPlainTextEdit>(lab, "sampleInput")->setPlainText(QString::fromLatin1(fifty));
        QSignalSpy spy(&lab, &IdLab::analysisFinished);
        QTest::mouseClick(child<QPushButton>(lab, "analysePasted"), Qt::LeftButton);
        QVERIFY(spy.wait(30000));
        QVERIFY(spy.takeFirst().first().toBool());
        QVERIFY(child<QLabel>(lab, "verdictLabel")->text().contains(QStringLiteral(">NOT ENOUGH IDS<")));
        QCOMPARE(child<QLabel>(lab, "entropyAt_1")->text(), QStringLiteral("–"));

        child<QPlainTextEdit>(lab, "sampleInput")->setPlainText(QString(2000, u'x'));
        QTest::mouseClick(child<QPushButton>(lab, "analysePasted"), Qt::LeftButton);
        QVERIFY(spy.wait(30000));
        QVERIFY(!spy.takeFirst().first().toBool());
        // The earlier result stays; the error is reported, nothing crashes.
        QVERIFY(child<QLabel>(lab, "verdictLabel")->text().contains(QStringLiteral(">NOT ENOUGH IDS<")));
    }

    void fileSample()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("ids.txt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < 300; ++i) {
            file.write("1700000000" + QByteArray::number(i).rightJustified(3, '0') + "-static\n");
        }
        file.close();
        IdLab lab;
        QSignalSpy spy(&lab, &IdLab::analysisFinished);
        tb::ui::FileDialog::setNextFileName(path);
        QTest::mouseClick(child<QPushButton>(lab, "analyseFile"), Qt::LeftButton);
        QVERIFY(spy.wait(30000));
        QVERIFY(spy.takeFirst().first().toBool());
        QCOMPARE(lab.analysis()->samples, qsizetype(300));
        QVERIFY(child<QLabel>(lab, "reliabilityLabel")->text().startsWith(QStringLiteral("Sample: file ids.txt. ")));
        QVERIFY(child<QLabel>(lab, "verdictLabel")->text().contains(QStringLiteral(">FAIL<")));
        QVERIFY(structureKinds(lab).contains(QStringLiteral("static")));

        // A missing file is an error message; the last result stays.
        QSignalSpy status(&lab, &IdLab::statusMessage);
        lab.analyseFile(dir.filePath(QStringLiteral("missing.txt")));
        QVERIFY(spy.wait(30000));
        QVERIFY(!spy.takeFirst().first().toBool());
        QVERIFY(status.last().first().toString().startsWith(QStringLiteral("Could not open ")));
        QCOMPARE(lab.analysis()->samples, qsizetype(300));
    }

    void cancelStopsTheAnalysis()
    {
        IdLab lab;
        QSignalSpy spy(&lab, &IdLab::analysisFinished);
        QSignalSpy status(&lab, &IdLab::statusMessage);
        lab.analyseDemo(tb::session::DemoKind::Csprng, 200000);
        QVERIFY(lab.isRunning());
        QTest::mouseClick(child<QPushButton>(lab, "cancelAnalysis"), Qt::LeftButton);
        QVERIFY(spy.wait(60000));
        QCOMPARE(spy.first().first().toBool(), false);
        QCOMPARE(status.last().first().toString(), QStringLiteral("The analysis was cancelled."));
        QVERIFY(!lab.isRunning());
        QVERIFY(!lab.analysis().has_value());
    }

    void generatorAndTimeToGuess()
    {
        IdLab lab;
        child<QComboBox>(lab, "idEncoding")->setCurrentIndex(1); // hex
        child<QSpinBox>(lab, "idBits")->setValue(64);
        child<QSpinBox>(lab, "idCount")->setValue(3);
        QTest::mouseClick(child<QPushButton>(lab, "generateIds"), Qt::LeftButton);
        const QStringList ids = child<QPlainTextEdit>(lab, "generatedIds")->toPlainText().split(u'\n');
        QCOMPARE(ids.size(), 3);
        for (const QString& id : ids) {
            QVERIFY2(QRegularExpression(QStringLiteral("^[0-9a-f]{16}$")).match(id).hasMatch(), qPrintable(id));
        }
        QCOMPARE(child<QLabel>(lab, "idEntropy")->text(), QStringLiteral("64 bits of entropy per ID, 16 characters."));
        // B follows the generator; OWASP's example: 64 bits, 10,000 guesses/s, 100,000 sessions.
        QCOMPARE(child<QDoubleSpinBox>(lab, "guessBits")->value(), 64.0);
        const QString guess = child<QLabel>(lab, "guessResult")->text();
        QVERIFY2(guess.startsWith(QStringLiteral("<b>292.3 years</b> on average")), qPrintable(guess));
        QVERIFY(guess.endsWith(QStringLiteral("OWASP's figure, 2<sup>B</sup> / (A·S): 584.5 years.")));
        child<QDoubleSpinBox>(lab, "liveSessions")->setValue(1);
        QVERIFY(child<QLabel>(lab, "guessResult")->text().endsWith(QStringLiteral("(A·S): 5.85e+07 years.")));

        child<QComboBox>(lab, "idEncoding")->setCurrentIndex(2); // custom alphabet
        child<QLineEdit>(lab, "idAlphabet")->setText(QStringLiteral("a"));
        QVERIFY(!child<QLabel>(lab, "idEntropy")->text().contains(QStringLiteral("bits of entropy")));
    }

    void cookieHeaderShowsRulesAndRecommendation()
    {
        CookieLab lab;
        QAbstractItemModelTester tester(lab.findingsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        child<QPlainTextEdit>(lab, "cookieInput")
            ->setPlainText(QStringLiteral("Set-Cookie: PHPSESSID=abc123; Path=/; SameSite=None"));
        QTest::mouseClick(child<QPushButton>(lab, "analyseCookies"), Qt::LeftButton);
        QCOMPARE(ruleIds(*lab.findingsModel()),
                 QStringList({QStringLiteral("CK-01"), QStringLiteral("CK-02"), QStringLiteral("CK-04"),
                              QStringLiteral("CK-05"), QStringLiteral("CK-07"), QStringLiteral("CK-26"),
                              QStringLiteral("CK-28")}));
        // The table shows the most severe first, with its icon and source.
        const auto* table = child<QTableView>(lab, "cookieFindings");
        QCOMPARE(table->model()->index(0, CookieFindingsModel::RuleColumn).data().toString(), QStringLiteral("CK-28"));
        QCOMPARE(table->model()->index(0, CookieFindingsModel::SeverityColumn).data().toString(),
                 QStringLiteral("critical"));
        QVERIFY(!table->model()->index(0, CookieFindingsModel::SeverityColumn).data(Qt::DecorationRole).isNull());
        QCOMPARE(table->model()->index(0, CookieFindingsModel::SourceColumn).data().toString(),
                 QStringLiteral("OWASP Session Management CS \"Session ID Entropy\"; ASVS 4.0.3 3.2.2"));
        QCOMPARE(child<QLabel>(lab, "cookieSummary")->text(),
                 QStringLiteral("1 Set-Cookie and 0 Cookie header(s): 7 finding(s) (1 critical, 3 high, 2 medium, 1 "
                                "info)."));
        // PHPSESSID gives the stack away (CK-26): the builder's own name replaces it.
        const QString recommended = child<QLineEdit>(lab, "recommendedHeader")->text();
        QVERIFY2(QRegularExpression(QStringLiteral("^Set-Cookie: __Host-session=[A-Za-z0-9_-]{22}; Path=/; Secure; "
                                                   "HttpOnly; SameSite=Strict$"))
                     .match(recommended)
                     .hasMatch(),
                 qPrintable(recommended));
        QTest::mouseClick(child<QPushButton>(lab, "copyRecommended"), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), recommended);

        // A named session cookie keeps its name; a secure one triggers nothing.
        lab.setSessionCookie(QStringLiteral("__Secure-sid"));
        lab.setHeaders("Set-Cookie: __Host-sid=3q2-7wEAAAA_x9PzXk1vQa8Ld0Gm2Rt4; Path=/; Secure; HttpOnly; "
                       "SameSite=Strict\nSet-Cookie: __Secure-sid=Zk3q9Xw1LmP4vB8nR2tY6u; Secure; HttpOnly; "
                       "SameSite=Lax; Path=/");
        QVERIFY(QRegularExpression(QStringLiteral("^Set-Cookie: __Host-sid=[A-Za-z0-9_-]{22}; Path=/; Secure; "
                                                  "HttpOnly; SameSite=Strict$"))
                    .match(child<QLineEdit>(lab, "recommendedHeader")->text())
                    .hasMatch());
        QCOMPARE(ruleIds(*lab.findingsModel()), QStringList{QStringLiteral("CK-07")});
    }

    void cookieUrlRulesAndFlow()
    {
        CookieLab lab;
        lab.setUrl(QStringLiteral("https://alice.github.io/"));
        lab.setHeaders("Set-Cookie: __Secure-a=1; Domain=github.io; Secure; SameSite=Lax");
        QCOMPARE(ruleIds(*lab.findingsModel()), QStringList{QStringLiteral("CK-15")});
        lab.setUrl(QStringLiteral("not a url"));
        lab.analyse();
        QVERIFY(ruleIds(*lab.findingsModel()).isEmpty());
        QVERIFY(child<QLabel>(lab, "cookieSummary")
                    ->text()
                    .endsWith(QStringLiteral("origin and Domain rules were skipped.")));

        lab.loadExamples();
        QCOMPARE(ruleIds(*lab.flowModel()), QStringList({QStringLiteral("CK-31"), QStringLiteral("FL-01"),
                                                         QStringLiteral("FL-03"), QStringLiteral("FL-04")}));
        QVERIFY(ruleIds(*lab.findingsModel()).contains(QStringLiteral("CK-14")));
        child<QPlainTextEdit>(lab, "flowInput")->setPlainText(QStringLiteral("{\"exchanges\": 5}"));
        QTest::mouseClick(child<QPushButton>(lab, "checkFlow"), Qt::LeftButton);
        QCOMPARE(lab.flowModel()->rowCount(), 0);
        QVERIFY(child<QLabel>(lab, "flowSummary")->text().startsWith(QStringLiteral("Flow: ")));
    }

    void storeBenchmarkFillsTheTable()
    {
        StoreLab lab;
        StoreLab::Plan plan;
        plan.memory = true;
        plan.sqlite = false;
        plan.redis = false;
        plan.algs = {tb::jose::Alg::HS256};
        plan.sessions = 100;
        plan.lookups = 500;
        plan.verifications = 200;
        lab.setPlan(plan);
        QSignalSpy spy(&lab, &StoreLab::benchmarkFinished);
        QTest::mouseClick(child<QPushButton>(lab, "runBenchmark"), Qt::LeftButton);
        QVERIFY(spy.wait(60000));
        QVERIFY(spy.first().first().toBool());
        const auto* table = child<QTableWidget>(lab, "benchTable");
        QCOMPARE(tableColumn(*table, 0),
                 QStringList({QStringLiteral("HS256 JWT verification"), QStringLiteral("Memory store lookup")}));
        QCOMPARE(tableColumn(*table, 4), QStringList({QStringLiteral("200"), QStringLiteral("500")}));
        QCOMPARE(table->item(0, 5)->text(), QStringLiteral("1×"));
        for (int row = 0; row < 2; ++row) {
            QVERIFY(table->item(row, 1)->text().endsWith(QStringLiteral("s"))); // "… µs" or "… ms"
        }
        QCOMPARE(int(child<tb::ui::LatencyChart>(lab, "latencyChart")->bars().size()), 2);
        QVERIFY(child<QLabel>(lab, "claimSummary")->text().startsWith(QStringLiteral("Redis was not measured.")));
    }

    void storeBenchmarkWithRealRedis()
    {
        if (!StoreLab::redisAvailable()) {
            QSKIP("redis-server is not installed (packaging/install-deps.sh installs it)");
        }
        StoreLab lab;
        StoreLab::Plan plan;
        plan.memory = false;
        plan.sqlite = true;
        plan.redis = true;
        plan.sessions = 50;
        plan.lookups = 200;
        lab.setPlan(plan);
        QSignalSpy spy(&lab, &StoreLab::benchmarkFinished);
        lab.run();
        QVERIFY(spy.wait(60000));
        QCOMPARE(tableColumn(*child<QTableWidget>(lab, "benchTable"), 0),
                 QStringList({QStringLiteral("SQLite store lookup (file)"), QStringLiteral("Redis store lookup "
                                                                                           "(loopback)")}));
        QVERIFY(child<QLabel>(lab, "claimSummary")->text().startsWith(QStringLiteral("A Redis lookup took <b>")));
    }

    void setCookiePasteOpensTheCookieSection()
    {
        MainWindow w;
        w.showPane(MainWindow::DecodeIndex);
        const QByteArray header = "Set-Cookie: sid=abc123; Path=/; HttpOnly";
        QVERIFY(w.routeInput("  " + header + "\r\n"));
        QCOMPARE(w.currentPane(), MainWindow::SessionIndex);
        auto* pane = w.findChild<SessionPane*>(QStringLiteral("sessionPane"));
        QVERIFY(pane != nullptr);
        QCOMPARE(pane->currentSection(), SessionPane::CookiesSection);
        QCOMPARE(child<QPlainTextEdit>(*pane, "cookieInput")->toPlainText(), QString::fromLatin1(header));
        QVERIFY(ruleIds(*pane->cookieLab()->findingsModel()).contains(QStringLiteral("CK-01")));

        // A Cookie request header goes there too; a token inside a cookie still opens as a token.
        pane->showSection(SessionPane::IdsSection);
        QVERIFY(w.routeInput("Cookie: sid=abc123; theme=dark"));
        QCOMPARE(pane->currentSection(), SessionPane::CookiesSection);
        QCOMPARE(child<QPlainTextEdit>(*pane, "cookieInput")->toPlainText(),
                 QStringLiteral("Cookie: sid=abc123; theme=dark"));
        QVERIFY(w.routeInput("Set-Cookie: jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl; Secure"));
        QCOMPARE(w.currentPane(), MainWindow::DecodeIndex);
    }
};

QTEST_MAIN(TestSessionUi)
#include "tst_ui_session.moc"
