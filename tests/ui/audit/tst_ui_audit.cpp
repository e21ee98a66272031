// The Audit pane driven through its widgets: lint table, attack copy buttons, the weak-secret search (found,
// cancel, resume, key store), the malleability table, and the crack refusal for tokens it does not apply to.
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

#include "TestSupport.h"
#include "Workspace.h"
#include "audit/lint/Lint.h"
#include "inspect/Malleate.h"
#include "jose/Base64Url.h"
#include "jose/Jws.h"
#include "keys/KeyIo.h"
#include "panes/audit/AttackSection.h"
#include "panes/audit/AuditPane.h"
#include "panes/audit/CrackSection.h"
#include "panes/audit/LintModel.h"
#include "panes/audit/LintSection.h"
#include "panes/audit/MalleateSection.h"
#include "support/Async.h"
#include "support/FileDialog.h"
#include "validate/Verifier.h"

using namespace tb;
using tb::ui::AuditPane;
using tb::ui::CrackSection;
using tb::ui::LintModel;

namespace {

constexpr double kNow = 1700000000;
const QByteArray kHeader = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
// iat..exp is one hour: over the default 15-minute maximum, under 120 minutes.
const QByteArray kPayload = "{\"sub\":\"user-42\",\"iat\":1700000000,\"exp\":1700003600}";

QByteArray hsToken(const QByteArray& secret, const QByteArray& payload = kPayload)
{
    return *jose::signCompact(jose::Alg::HS256, keys::secretKey(secret).get(), kHeader, payload);
}

QStringList modelIds(const LintModel* model)
{
    QStringList ids;
    for (int r = 0; r < model->rowCount(); ++r) {
        ids << model->index(r, LintModel::RuleColumn).data().toString();
    }
    return ids;
}

QStringList coreIds(const QByteArray& token, double maxLifetime, keys::KeyPtr key = {})
{
    audit::LintOptions o;
    o.now = kNow;
    o.maxLifetime = maxLifetime;
    o.key = std::move(key);
    QStringList ids;
    const auto findings = audit::lintToken(token, o);
    for (const auto& f : findings.value()) {
        ids << f.id;
    }
    return ids;
}

bool rejected(const QByteArray& token, const keys::KeyPtr& key)
{
    validate::KeyInput in;
    in.key = key;
    validate::Policy policy;
    policy.now = kNow;
    const auto report = validate::verifyToken(token, in, policy);
    return !report || !report->valid;
}

} // namespace

class TestAuditUi final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        Q_INIT_RESOURCE(tokenbench_ui);
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void init()
    {
        ui::FileDialog::resetHooks();
        m_ws = std::make_unique<ui::Workspace>();
        m_ws->setNowOverride(kNow);
        m_pane = std::make_unique<AuditPane>(m_ws.get());
        m_pane->resize(1100, 800);
        m_pane->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    }

    void cleanup()
    {
        m_pane.reset();
        m_ws.reset();
    }

    void followsTheWorkspaceTokenAndIdentifiesIt()
    {
        const QByteArray token = hsToken("k");
        m_ws->setCurrentToken(token);
        QCOMPARE(m_pane->token(), token);
        const auto* identity = m_pane->findChild<QLabel*>(QStringLiteral("auditIdentity"));
        QVERIFY(identity->text().startsWith(QStringLiteral("<b>jws</b>")));
    }

    void lintTableShowsExactRuleIds()
    {
        const QByteArray token = hsToken("secret");
        m_pane->setToken(token);
        const auto* table = m_pane->findChild<QTableView*>(QStringLiteral("lintTable"));
        QVERIFY(table);
        auto* model = qobject_cast<LintModel*>(table->model());
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QStringList expected = {QStringLiteral("JWT-LIFETIME-LONG"), QStringLiteral("JWT-ISS-MISSING"),
                                      QStringLiteral("JWT-AUD-MISSING"), QStringLiteral("JWT-TYP-GENERIC")};
        QCOMPARE(modelIds(model), expected);
        QCOMPARE(modelIds(model), coreIds(token, 900));
        QCOMPARE(model->index(0, LintModel::SeverityColumn).data().toString(), QStringLiteral("medium"));
        QVERIFY(!model->index(0, LintModel::SeverityColumn).data(Qt::DecorationRole).value<QIcon>().isNull());
        QCOMPARE(model->index(1, LintModel::ReferenceColumn).data().toString(), QStringLiteral("RFC 8725 §3.8"));
        QCOMPARE(model->index(1, LintModel::ReferenceColumn).data(LintModel::UrlRole).toString(),
                 QStringLiteral("https://www.rfc-editor.org/rfc/rfc8725#section-3.8"));
        const auto* summary = m_pane->findChild<QLabel*>(QStringLiteral("lintSummary"));
        QVERIFY(summary->text().startsWith(QStringLiteral("4 findings: 1 medium, 2 low, 1 info.")));

        // The maximum lifetime is the user's: at 120 minutes the one-hour token is fine.
        m_pane->findChild<QSpinBox*>(QStringLiteral("lintMaxLifetime"))->setValue(120);
        QCOMPARE(modelIds(model), coreIds(token, 7200));
        QVERIFY(!modelIds(model).contains(QStringLiteral("JWT-LIFETIME-LONG")));

        // A known secret runs the secret rules: "secret" is short and in the built-in list.
        m_pane->findChild<QLineEdit*>(QStringLiteral("lintSecret"))->setText(QStringLiteral("secret"));
        QCOMPARE(modelIds(model),
                 (QStringList{QStringLiteral("JWT-HMAC-WEAK-SECRET"), QStringLiteral("JWT-HMAC-SHORT-SECRET"),
                              QStringLiteral("JWT-ISS-MISSING"), QStringLiteral("JWT-AUD-MISSING"),
                              QStringLiteral("JWT-TYP-GENERIC")}));
        // Or a key from the store.
        m_pane->findChild<QLineEdit*>(QStringLiteral("lintSecret"))->clear();
        m_ws->addKey(keys::secretKey(QByteArrayLiteral("secret")), QStringLiteral("weak"));
        auto* keyBox = m_pane->findChild<QComboBox*>(QStringLiteral("lintKey"));
        keyBox->setCurrentIndex(1);
        QCOMPARE(modelIds(model), coreIds(token, 7200, keys::secretKey(QByteArrayLiteral("secret"))));

        m_pane->setToken("not a token");
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(summary->text().startsWith(QStringLiteral("Not linted: ")));
    }

    void attackCopyButtonCopiesTheExactToken()
    {
        const auto key = keys::secretKey(QByteArrayLiteral("a-long-enough-secret-for-hs256-tokens"));
        const QByteArray token = hsToken("a-long-enough-secret-for-hs256-tokens");
        m_pane->setToken(token);
        auto* section = m_pane->attacks();
        section->selectKind(QStringLiteral("none"));
        const auto* explanation = section->findChild<QLabel*>(QStringLiteral("attackExplanation"));
        QVERIFY(explanation->text().startsWith(QStringLiteral("The header is rewritten to alg \"none\"")));
        QSignalSpy generated(section, &ui::AttackSection::generated);
        QTest::mouseClick(section->findChild<QPushButton*>(QStringLiteral("attackRun")), Qt::LeftButton);
        QVERIFY(generated.wait(10000));
        QCOMPARE(generated.first().first().toBool(), true);
        const QByteArray payloadSegment = token.split('.').at(1);
        for (const QByteArray& alg : {QByteArray("none"), QByteArray("None"), QByteArray("NONE"), QByteArray("nOnE")}) {
            auto* copy = section->findChild<QToolButton*>(QStringLiteral("copy_alg-") + QString::fromLatin1(alg));
            QVERIFY2(copy, alg.constData());
            QApplication::clipboard()->clear();
            QTest::mouseClick(copy, Qt::LeftButton);
            const QByteArray expected =
                jose::base64UrlEncode("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + '.' + payloadSegment + '.';
            QCOMPARE(QApplication::clipboard()->text().toLatin1(), expected);
            QVERIFY(rejected(expected, key));
        }
        // The signature-kept variant: original signature after the rewritten header.
        auto* withSig = section->findChild<QToolButton*>(QStringLiteral("copy_alg-none-with-signature"));
        QVERIFY(withSig);
        QTest::mouseClick(withSig, Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text().toLatin1(),
                 jose::base64UrlEncode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + '.' + payloadSegment + '.' +
                     token.split('.').at(2));
        QVERIFY(rejected(QApplication::clipboard()->text().toLatin1(), key));

        // A kind that needs a URL says so instead of crafting.
        section->selectKind(QStringLiteral("jku"));
        QTest::mouseClick(section->findChild<QPushButton*>(QStringLiteral("attackRun")), Qt::LeftButton);
        QVERIFY(generated.wait(10000));
        QCOMPARE(generated.last().first().toBool(), false);
        QVERIFY(section->findChild<QLabel*>(QStringLiteral("attackStatus"))->text().contains(QStringLiteral("--url")));
    }

    void attackCorpusExport()
    {
        m_pane->setToken(hsToken("a-long-enough-secret-for-hs256-tokens"));
        const QString path = m_dir.filePath(QStringLiteral("corpus.json"));
        ui::FileDialog::setNextFileName(path);
        QSignalSpy status(m_pane.get(), &ui::PaneBase::statusMessage);
        QTest::mouseClick(m_pane->attacks()->findChild<QPushButton*>(QStringLiteral("attackExportCorpus")),
                          Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!status.isEmpty(), 30000);
        const QJsonObject corpus = QJsonDocument::fromJson(test::readFileBytes(path)).object();
        QCOMPARE(corpus.value(QStringLiteral("kind")).toString(), QStringLiteral("corpus"));
        QVERIFY(corpus.value(QStringLiteral("tokens")).toArray().size() >= 10);
        QCOMPARE(status.last().first().toString(), QStringLiteral("Wrote %1 attack tokens to %2.")
                                                       .arg(corpus.value(QStringLiteral("tokens")).toArray().size())
                                                       .arg(path));
        QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
    }

    void crackFindsSecretFromWordlistAndAddsKey()
    {
        const QByteArray secret("summer 2024\xe9", 12); // a space and a non-UTF-8 byte
        QByteArray words;
        for (int i = 0; i < 5000; ++i) {
            words += "word" + QByteArray::number(i) + '\n';
        }
        words += secret + "\r\nlast\n";
        const QString list = m_dir.filePath(QStringLiteral("words.txt"));
        QVERIFY(test::writeFileBytes(list, words));
        m_pane->setToken(hsToken(secret));
        auto* crack = m_pane->crack();
        m_pane->showCrackTab();
        QVERIFY(crack->isAvailable());
        ui::FileDialog::setNextFileName(list);
        QTest::mouseClick(crack->findChild<QPushButton*>(QStringLiteral("crackBrowse")), Qt::LeftButton);
        QCOMPARE(crack->findChild<QLineEdit*>(QStringLiteral("crackWordlist"))->text(), list);
        QCOMPARE(crack->findChild<QComboBox*>(QStringLiteral("crackSource"))->currentIndex(),
                 int(CrackSection::WordlistFile));
        crack->findChild<QSpinBox*>(QStringLiteral("crackThreads"))->setValue(1);
        QSignalSpy finished(crack, &CrackSection::finished);
        const qsizetype keysBefore = m_ws->keys().size();
        QTest::mouseClick(crack->findChild<QPushButton*>(QStringLiteral("crackRun")), Qt::LeftButton);
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().first().toBool(), true);
        const QString result = crack->findChild<QLabel*>(QStringLiteral("crackResult"))->text();
        QVERIFY2(result.contains(QStringLiteral("$HEX[%1]").arg(QString::fromLatin1(secret.toHex()))),
                 qPrintable(result));
        QVERIFY(result.contains(QStringLiteral("after 5,001 candidates")));
        QCOMPARE(m_ws->keys().size(), keysBefore + 1);
        const auto& added = m_ws->keys().last();
        QCOMPARE(added.name, QStringLiteral("Cracked HS256 secret"));
        QCOMPARE(added.key->type(), keys::KeyType::Oct);
        QCOMPARE(added.key->secret().reveal(), secret);
        QVERIFY(!crack->findChild<QPushButton*>(QStringLiteral("crackAddKey"))->isEnabled()); // added once
        QCOMPARE(crack->findChild<QLabel*>(QStringLiteral("crackEta"))->text(), QStringLiteral("done"));
    }

    void crackOneClickAddWhenNotAutomatic()
    {
        const QString list = m_dir.filePath(QStringLiteral("short.txt"));
        QVERIFY(test::writeFileBytes(list, "a\nb\nhunter2\n"));
        m_pane->setToken(hsToken("hunter2"));
        auto* crack = m_pane->crack();
        m_pane->showCrackTab();
        crack->findChild<QCheckBox*>(QStringLiteral("crackAutoAdd"))->setChecked(false);
        crack->findChild<QComboBox*>(QStringLiteral("crackSource"))->setCurrentIndex(CrackSection::WordlistFile);
        crack->findChild<QLineEdit*>(QStringLiteral("crackWordlist"))->setText(list);
        QSignalSpy finished(crack, &CrackSection::finished);
        QTest::mouseClick(crack->findChild<QPushButton*>(QStringLiteral("crackRun")), Qt::LeftButton);
        QVERIFY(finished.wait(30000));
        QVERIFY(m_ws->keys().isEmpty());
        auto* add = crack->findChild<QPushButton*>(QStringLiteral("crackAddKey"));
        QVERIFY(add->isEnabled());
        QTest::mouseClick(add, Qt::LeftButton);
        QCOMPARE(m_ws->keys().size(), 1);
        QCOMPARE(m_ws->keys().first().key->secret().reveal(), QByteArray("hunter2"));
    }

    void crackCancelAndResume()
    {
        m_pane->setToken(hsToken("not-in-any-mask"));
        auto* crack = m_pane->crack();
        m_pane->showCrackTab();
        crack->findChild<QComboBox*>(QStringLiteral("crackSource"))->setCurrentIndex(CrackSection::MaskSource);
        crack->findChild<QLineEdit*>(QStringLiteral("crackMask"))->setText(QStringLiteral("?a?a?a?a?a?a?a"));
        auto* run = crack->findChild<QPushButton*>(QStringLiteral("crackRun"));
        auto* cancel = crack->findChild<QPushButton*>(QStringLiteral("crackCancel"));
        auto* resume = crack->findChild<QPushButton*>(QStringLiteral("crackResume"));
        auto* rate = crack->findChild<QLabel*>(QStringLiteral("crackRate"));
        QVERIFY(!cancel->isEnabled());
        QSignalSpy finished(crack, &CrackSection::finished);
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(crack->isRunning());
        QVERIFY(cancel->isEnabled());
        QVERIFY(!run->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(rate->text().endsWith(QStringLiteral("candidates/s")), 20000);
        QVERIFY(
            crack->findChild<QLabel*>(QStringLiteral("crackKeyspace"))->text().startsWith(QStringLiteral("69.83 T")));
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(!crack->isRunning());
        const QString stopped = crack->findChild<QLabel*>(QStringLiteral("crackResult"))->text();
        QVERIFY2(stopped.startsWith(QStringLiteral("Cancelled at position ")), qPrintable(stopped));
        QVERIFY(resume->isEnabled());
        QVERIFY(m_ws->keys().isEmpty());

        QTest::mouseClick(resume, Qt::LeftButton);
        QVERIFY(crack->isRunning());
        QVERIFY(crack->findChild<QLabel*>(QStringLiteral("crackResult"))
                    ->text()
                    .startsWith(QStringLiteral("Resuming at "
                                               "position")));
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(finished.wait(20000));
        // Another mask is another search: nothing to resume.
        crack->findChild<QLineEdit*>(QStringLiteral("crackMask"))->setText(QStringLiteral("?d"));
        crack->findChild<QComboBox*>(QStringLiteral("crackSource"))->setCurrentIndex(CrackSection::MaskSource);
        QTest::mouseClick(run, Qt::LeftButton); // ?d: 10 candidates, not found
        QVERIFY(finished.wait(20000));
        QVERIFY(
            crack->findChild<QLabel*>(QStringLiteral("crackResult"))->text().startsWith(QStringLiteral("Not found")));
        QVERIFY(!resume->isEnabled());
    }

    void crackIsOnlyOfferedForHsTokens()
    {
        auto* crack = m_pane->crack();
        m_pane->showCrackTab();
        const auto* why = crack->findChild<QLabel*>(QStringLiteral("crackUnavailable"));
        m_pane->setToken("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.AAAA.AAAA.AAAA.AAAA");
        QVERIFY(!crack->isAvailable());
        QVERIFY(why->isVisible() || !m_pane->isVisible());
        QVERIFY(why->text().contains(QStringLiteral("identified as <b>jwe</b>")));
        QVERIFY(why->text().contains(QStringLiteral("an HMAC cracker on a JWE finds nothing")));
        const auto es = keys::generateKey(jose::Alg::ES256).value();
        m_pane->setToken(*jose::signCompact(jose::Alg::ES256, es.get(), "{\"alg\":\"ES256\"}", kPayload));
        QVERIFY(!crack->isAvailable());
        QVERIFY(why->text().contains(QStringLiteral("alg is &quot;ES256&quot;")));
        QVERIFY(!crack->findChild<QPushButton*>(QStringLiteral("crackRun"))->isEnabled());
        m_pane->setToken(hsToken("x"));
        QVERIFY(crack->isAvailable());
        QVERIFY(crack->findChild<QPushButton*>(QStringLiteral("crackRun"))->isEnabled());
    }

    void malleateRowsMatchCore()
    {
        const auto es = keys::generateKey(jose::Alg::ES256).value();
        const QByteArray token =
            *jose::signCompact(jose::Alg::ES256, es.get(), "{\"alg\":\"ES256\",\"typ\":\"JWT\"}",
                               "{\"iss\":\"https://i.example\",\"jti\":\"j-1\",\"exp\":1700003600}");
        m_ws->addKey(es, QStringLiteral("signer"));
        m_pane->setToken(token);
        auto* section = m_pane->malleate();
        QSignalSpy explored(section, &ui::MalleateSection::explored);
        section->findChild<QComboBox*>(QStringLiteral("malleateKey"))->setCurrentIndex(1);
        QVERIFY(section->isBusy());
        // The run for "no key" was superseded by the one with the key: only that one's result is shown.
        QTRY_COMPARE(explored.count(), 1);
        QVERIFY(!section->isBusy());
        validate::KeyInput in;
        in.key = es;
        validate::Policy policy;
        policy.now = kNow;
        const auto core = inspect::malleate(token, &in, policy).value();
        const auto* table = section->findChild<QTableWidget*>(QStringLiteral("malleateTable"));
        QCOMPARE(table->rowCount(), int(core.variants.size()));
        QVERIFY(table->rowCount() >= 4);
        bool sawHighS = false;
        for (int r = 0; r < table->rowCount(); ++r) {
            const inspect::Variant& v = core.variants.at(r);
            QCOMPARE(table->item(r, ui::MalleateSection::VariantColumn)->text(), v.name);
            QCOMPARE(table->item(r, ui::MalleateSection::ChangeColumn)->text(), v.description);
            QCOMPARE(table->item(r, ui::MalleateSection::VerifiesColumn)->data(Qt::UserRole).toBool(), v.valid.value());
            QCOMPARE(table->item(r, ui::MalleateSection::TokenHashColumn)->data(Qt::UserRole).toBool(),
                     v.defeats.tokenHash);
            QCOMPARE(table->item(r, ui::MalleateSection::SignatureHashColumn)->data(Qt::UserRole).toBool(),
                     v.defeats.signatureHash);
            QCOMPARE(table->item(r, ui::MalleateSection::JtiColumn)->data(Qt::UserRole).toBool(), v.defeats.jti);
            QCOMPARE(table->item(r, ui::MalleateSection::IssJtiColumn)->data(Qt::UserRole).toBool(), v.defeats.issJti);
            auto* copy = section->findChild<QToolButton*>(QStringLiteral("copyVariant_") + v.name);
            QVERIFY(copy);
            QTest::mouseClick(copy, Qt::LeftButton);
            QCOMPARE(QApplication::clipboard()->text().toLatin1(), v.token);
            if (v.name == QStringLiteral("high-s")) {
                sawHighS = true;
                QCOMPARE(table->item(r, ui::MalleateSection::VerifiesColumn)->text(), QStringLiteral("valid"));
                QVERIFY(v.defeats.tokenHash);
                QVERIFY(!v.defeats.jti);
            }
        }
        QVERIFY(sawHighS);
    }

    // A 1.4 MB token's variants (~0.14 s) are built off the GUI thread: the section shows its busy state at once,
    // a timer queued after the request fires before the result arrives, and the rows are exactly core's.
    void malleateKeepsTheWindowResponsive()
    {
        ui::MalleateSection section(m_ws.get());
        section.show();
        QSignalSpy explored(&section, &ui::MalleateSection::explored);
        const QByteArray token = bigEs256Token();
        QVERIFY(token.size() > 1400000);
        section.setToken(token);
        QVERIFY(section.isBusy());
        const auto* table = section.findChild<QTableWidget*>(QStringLiteral("malleateTable"));
        const auto* summary = section.findChild<QLabel*>(QStringLiteral("malleateSummary"));
        QCOMPARE(table->rowCount(), 0);
        QCOMPARE(
            summary->text(),
            QStringLiteral("Building the variants of this %1 token…").arg(QLocale().formattedDataSize(token.size())));
        bool timerFired = false;
        bool timerFiredFirst = false;
        QTimer::singleShot(0, &section, [&timerFired] { timerFired = true; });
        connect(&section, &ui::MalleateSection::explored, &section,
                [&timerFired, &timerFiredFirst] { timerFiredFirst = timerFired; });
        QTRY_COMPARE(explored.count(), 1);
        QVERIFY(timerFiredFirst);
        QVERIFY(!section.isBusy());
        validate::Policy policy;
        policy.now = kNow;
        const auto core = inspect::malleate(token, nullptr, policy).value();
        QCOMPARE(variantNames(table), variantNames(core));
    }

    // A newer token supersedes the run in flight: the large token's later result never reaches the table.
    void malleateNewerTokenWins()
    {
        ui::MalleateSection section(m_ws.get());
        QSignalSpy explored(&section, &ui::MalleateSection::explored);
        section.setToken(bigEs256Token());
        const QByteArray small = hsToken("k");
        section.setToken(small);
        ui::workPool()->waitForDone();
        QTRY_COMPARE(explored.count(), 1);
        QCoreApplication::processEvents();
        QCOMPARE(explored.count(), 1);
        validate::Policy policy;
        policy.now = kNow;
        const auto core = inspect::malleate(small, nullptr, policy).value();
        const auto* table = section.findChild<QTableWidget*>(QStringLiteral("malleateTable"));
        QCOMPARE(variantNames(table), variantNames(core));
        QCOMPARE(section.report().alg, QStringLiteral("HS256"));
        QCOMPARE(table->item(0, ui::MalleateSection::VariantColumn)->data(Qt::UserRole).toByteArray(),
                 core.variants.first().token);
        // The summary says each thing once: core's note on a missing jti, not a second sentence of the pane's own.
        QVERIFY(!core.hasJti);
        const QString summary = section.findChild<QLabel*>(QStringLiteral("malleateSummary"))->text();
        QCOMPARE(summary.count(QStringLiteral("has no jti")), 1);
        QVERIFY(summary.endsWith(
            QStringLiteral("The token has no jti: a jti or (iss, jti) denylist cannot name it at all.")));
    }

private:
    static QByteArray bigEs256Token()
    {
        const auto es = keys::generateKey(jose::Alg::ES256).value();
        const QByteArray payload = "{\"jti\":\"big\",\"pad\":\"" + QByteArray(1050000, 'a') + "\"}";
        return *jose::signCompact(jose::Alg::ES256, es.get(), "{\"alg\":\"ES256\"}", payload);
    }

    static QStringList variantNames(const QTableWidget* table)
    {
        QStringList names;
        for (int r = 0; r < table->rowCount(); ++r) {
            names << table->item(r, ui::MalleateSection::VariantColumn)->text();
        }
        return names;
    }

    static QStringList variantNames(const inspect::MalleabilityReport& report)
    {
        QStringList names;
        for (const inspect::Variant& v : report.variants) {
            names << v.name;
        }
        return names;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<ui::Workspace> m_ws;
    std::unique_ptr<AuditPane> m_pane;
};

QTEST_MAIN(TestAuditUi)
#include "tst_ui_audit.moc"
