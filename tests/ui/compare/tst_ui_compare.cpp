// The Compare pane (issue 9): difference rows, the byte view's marks, the same-key verdict, swap, JWE.
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QTextBlock>
#include <QTextEdit>

#include "MainWindow.h"
#include "Workspace.h"
#include "jose/Jws.h"
#include "jose/jwe/Jwe.h"
#include "keys/KeyIo.h"
#include "panes/compare/ComparePane.h"
#include "panes/compare/DiffTableModel.h"
#include "support/Theme.h"

using namespace tb;
using tb::ui::ComparePane;
using tb::ui::DiffTableModel;

namespace {

const QByteArray kHeader = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

keys::KeyPtr secret(const char* text)
{
    return keys::secretKey(QByteArray(text));
}

QByteArray sign(const keys::KeyPtr& key, const QByteArray& header, const QByteArray& payload,
                jose::Alg alg = jose::Alg::HS256)
{
    const auto token = jose::signCompact(alg, key.get(), header, payload);
    return token ? *token : QByteArray();
}

// Every row of the changes table as "part|member|change|A|B".
QStringList rows(const ComparePane& pane)
{
    const auto* view = pane.findChild<QTableView*>(QStringLiteral("compareChanges"));
    QStringList out;
    const QAbstractItemModel* m = view->model();
    for (int r = 0; r < m->rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < m->columnCount(); ++c) {
            cells << m->index(r, c).data().toString();
        }
        out << cells.join(QLatin1Char('|'));
    }
    return out;
}

// The marked text of the byte view, per "segment/side", read back from the document's formats.
QMap<QString, QString> marks(const ComparePane& pane)
{
    const auto* view = pane.findChild<QTextEdit*>(QStringLiteral("compareBytes"));
    QMap<QString, QString> out;
    for (QTextBlock block = view->document()->begin(); block.isValid(); block = block.next()) {
        const QString segment = block.blockFormat().property(QTextFormat::UserProperty + 2).toString();
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment f = it.fragment();
            const QString side = f.charFormat().property(QTextFormat::UserProperty + 1).toString();
            if (!side.isEmpty()) {
                out[segment + QLatin1Char('/') + side] += f.text();
            }
        }
    }
    return out;
}

QString labelText(const ComparePane& pane, const char* name)
{
    const auto* l = pane.findChild<QLabel*>(QLatin1String(name));
    return l ? l->text() : QStringLiteral("<missing>");
}

// Types the tokens into the two inputs as a user pastes them, then waits for the comparison.
bool paste(ComparePane& pane, const QByteArray& a, const QByteArray& b)
{
    QSignalSpy spy(&pane, &ComparePane::compared);
    pane.findChild<QPlainTextEdit*>(QStringLiteral("compareInputA"))->setPlainText(QString::fromUtf8(a));
    pane.findChild<QPlainTextEdit*>(QStringLiteral("compareInputB"))->setPlainText(QString::fromUtf8(b));
    return spy.wait(10000);
}

} // namespace

class TestCompareUi final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        Q_INIT_RESOURCE(tokenbench_ui);
        QStandardPaths::setTestModeEnabled(true);
    }

    void oneClaimChanged()
    {
        ui::Workspace ws;
        const auto key = secret("compare-test-secret-of-thirty-two-bytes");
        ws.addKey(key, QStringLiteral("Team secret"));
        ComparePane pane(&ws);
        const QByteArray a = sign(key, kHeader, "{\"sub\":\"alice\",\"role\":\"user\",\"iat\":1000000000}");
        const QByteArray b = sign(key, kHeader, "{\"sub\":\"alice\",\"role\":\"admin\",\"iat\":1000000000}");
        QVERIFY(paste(pane, a, b));
        QCOMPARE(rows(pane), QStringList{QStringLiteral("payload|/role|changed|\"user\"|\"admin\"")});
        // Changed rows are tinted amber.
        const QAbstractItemModel* model = pane.findChild<QTableView*>(QStringLiteral("compareChanges"))->model();
        QColor amber = ui::theme::warnColor(QApplication::palette());
        amber.setAlpha(40);
        QCOMPARE(model->index(0, DiffTableModel::PathColumn).data(Qt::BackgroundRole).value<QColor>(), amber);
        QCOMPARE(model->index(0, DiffTableModel::OpColumn).data(Qt::ForegroundRole).value<QColor>(),
                 ui::theme::warnColor(QApplication::palette()));

        // The byte view marks exactly the changed value in the payload and the whole signature.
        QMap<QString, QString> m = marks(pane);
        QCOMPARE(m.value(QStringLiteral("payload/a")), QStringLiteral("user"));
        QCOMPARE(m.value(QStringLiteral("payload/b")), QStringLiteral("admin"));
        QVERIFY(!m.contains(QStringLiteral("header/a")));
        QVERIFY(!m.contains(QStringLiteral("header/b")));
        QVERIFY(m.contains(QStringLiteral("signature/a")));
        QCOMPARE(pane.segments().size(), 3);
        QVERIFY(pane.segments()[0].marks.equal());
        QVERIFY(pane.segments()[2].binary);

        // The times table: iat equal in both.
        const auto* times = pane.findChild<QTableWidget*>(QStringLiteral("compareTimes"));
        QCOMPARE(times->rowCount(), 1);
        QCOMPARE(times->item(0, 0)->text(), QStringLiteral("iat"));
        QCOMPARE(times->item(0, 1)->text(), QStringLiteral("1000000000  2001-09-09T01:46:40Z"));
        QCOMPARE(times->item(0, 3)->text(), QStringLiteral("0 s"));

        QCOMPARE(labelText(pane, "compareSameAlg"), QStringLiteral("Same alg: yes — HS256"));
        QCOMPARE(labelText(pane, "compareSameKid"), QStringLiteral("Same kid: yes — neither has a kid"));
        QCOMPARE(labelText(pane, "compareSameKey"),
                 QStringLiteral("Same key: yes — both verify with workspace key “Team secret” (thumbprint %1)")
                     .arg(key->thumbprint()));
    }

    void oneHeaderFieldChanged()
    {
        ui::Workspace ws;
        const auto key = secret("compare-test-secret-of-thirty-two-bytes");
        ws.addKey(key, QStringLiteral("Team secret"));
        ComparePane pane(&ws);
        const QByteArray payload = "{\"sub\":\"alice\"}";
        const QByteArray a = sign(key, "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}", payload);
        const QByteArray b = sign(key, "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"k2\"}", payload);
        QVERIFY(paste(pane, a, b));
        QCOMPARE(rows(pane), QStringList{QStringLiteral("header|/kid|changed|\"k1\"|\"k2\"")});
        QMap<QString, QString> m = marks(pane);
        QCOMPARE(m.value(QStringLiteral("header/a")), QStringLiteral("1"));
        QCOMPARE(m.value(QStringLiteral("header/b")), QStringLiteral("2"));
        QVERIFY(!m.contains(QStringLiteral("payload/a")));
        QVERIFY(!m.contains(QStringLiteral("payload/b")));
        QVERIFY(m.contains(QStringLiteral("signature/b")));
        QCOMPARE(labelText(pane, "compareSameKid"), QStringLiteral("Same kid: no — A “k1”, B “k2”"));
        QVERIFY(labelText(pane, "compareSameKey").startsWith(QStringLiteral("Same key: yes — both verify")));
        // No time claims: no rows.
        QCOMPARE(pane.findChild<QTableWidget*>(QStringLiteral("compareTimes"))->rowCount(), 0);
    }

    void addedAndRemovedClaims()
    {
        ui::Workspace ws;
        const auto key = secret("compare-test-secret-of-thirty-two-bytes");
        ComparePane pane(&ws);
        const QByteArray a =
            sign(key, kHeader, "{\"sub\":\"a\",\"name\":\"Ada\",\"iat\":1000000000,\"exp\":1000000900}");
        const QByteArray b =
            sign(key, kHeader, "{\"sub\":\"a\",\"iat\":1000000300,\"exp\":1000004500,\"scope\":\"read\"}");
        QVERIFY(paste(pane, a, b));
        QCOMPARE(rows(pane), (QStringList{
                                 QStringLiteral("payload|/name|removed|\"Ada\"|(absent)"),
                                 QStringLiteral("payload|/iat|changed|1000000000|1000000300"),
                                 QStringLiteral("payload|/exp|changed|1000000900|1000004500"),
                                 QStringLiteral("payload|/scope|added|(absent)|\"read\""),
                             }));
        const QAbstractItemModel* model = pane.findChild<QTableView*>(QStringLiteral("compareChanges"))->model();
        QColor red = ui::theme::failColor(QApplication::palette());
        red.setAlpha(40);
        QColor green = ui::theme::okColor(QApplication::palette());
        green.setAlpha(40);
        QCOMPARE(model->index(0, 0).data(Qt::BackgroundRole).value<QColor>(), red);
        QCOMPARE(model->index(3, 0).data(Qt::BackgroundRole).value<QColor>(), green);

        // iat +5 min, exp +1 h, lifetime 15 min -> 70 min.
        const auto* times = pane.findChild<QTableWidget*>(QStringLiteral("compareTimes"));
        QCOMPARE(times->rowCount(), 3);
        QCOMPARE(times->item(0, 0)->text(), QStringLiteral("iat"));
        QCOMPARE(times->item(0, 3)->text(), QStringLiteral("+5 min"));
        QCOMPARE(times->item(1, 0)->text(), QStringLiteral("exp"));
        QCOMPARE(times->item(1, 3)->text(), QStringLiteral("+1 h"));
        QCOMPARE(times->item(2, 0)->text(), QStringLiteral("lifetime"));
        QCOMPARE(times->item(2, 1)->text(), QStringLiteral("15 min"));
        QCOMPARE(times->item(2, 2)->text(), QStringLiteral("1 h 10 min"));
        QCOMPARE(times->item(2, 3)->text(), QStringLiteral("+55 min"));
        // Without the key in the workspace, the key stays unknown.
        QCOMPARE(labelText(pane, "compareSameKey"),
                 QStringLiteral("Same key: unknown — no workspace key verifies A or B (import the keys in the Keys "
                                "pane)."));

        // Swap: A and B trade places, so removed and added trade too.
        QSignalSpy spy(&pane, &ComparePane::compared);
        QTest::mouseClick(pane.findChild<QPushButton*>(QStringLiteral("compareSwap")), Qt::LeftButton);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(pane.tokenA(), b);
        QCOMPARE(pane.tokenB(), a);
        QCOMPARE(rows(pane), (QStringList{
                                 QStringLiteral("payload|/iat|changed|1000000300|1000000000"),
                                 QStringLiteral("payload|/exp|changed|1000004500|1000000900"),
                                 QStringLiteral("payload|/scope|removed|\"read\"|(absent)"),
                                 QStringLiteral("payload|/name|added|(absent)|\"Ada\""),
                             }));
        QCOMPARE(times->item(0, 3)->text(), QStringLiteral("−5 min"));
    }

    void sameKeyVerdictFollowsTheKeyStore()
    {
        ui::Workspace ws;
        const auto one = secret("first-secret-of-at-least-thirty-two-bytes");
        const auto two = secret("second-secret-of-at-least-thirty-two-byte");
        ws.addKey(one, QStringLiteral("Key one"));
        ws.addKey(two, QStringLiteral("Key two"));
        ComparePane pane(&ws);
        const QByteArray payload = "{\"sub\":\"alice\"}";
        const QByteArray a = sign(one, kHeader, payload);
        const QByteArray b = sign(two, kHeader, payload);
        QVERIFY(paste(pane, a, b));
        QCOMPARE(labelText(pane, "compareSameKey"),
                 QStringLiteral("Same key: no — A verifies with “Key one”, B with “Key two”; thumbprints %1 and %2")
                     .arg(one->thumbprint(), two->thumbprint()));
        // Same claims, same header: only the signature differs, and only it is marked.
        QVERIFY(rows(pane).isEmpty());
        QStringList marked = marks(pane).keys();
        QCOMPARE(marked, (QStringList{QStringLiteral("signature/a"), QStringLiteral("signature/b")}));
        QVERIFY(pane.diff()->notes.contains(QStringLiteral("Only the signature differs.")));

        // Two ES256 tokens from one workspace key (ECDSA signatures differ each time): the same key.
        const auto ec = keys::generateKey(jose::Alg::ES256);
        QVERIFY(ec.has_value());
        ws.addKey(*ec, QStringLiteral("Signing key"));
        const QByteArray esHeader = "{\"alg\":\"ES256\",\"kid\":\"sig-1\"}";
        const QByteArray c = sign(*ec, esHeader, payload, jose::Alg::ES256);
        const QByteArray d = sign(*ec, esHeader, payload, jose::Alg::ES256);
        QVERIFY(c != d);
        QVERIFY(paste(pane, c, d));
        QCOMPARE(labelText(pane, "compareSameKey"),
                 QStringLiteral("Same key: yes — both verify with workspace key “Signing key” (thumbprint %1)")
                     .arg((*ec)->thumbprint()));
        QCOMPARE(labelText(pane, "compareSameKid"), QStringLiteral("Same kid: yes — “sig-1”"));

        // ES256 against HS256: different alg, different key.
        QVERIFY(paste(pane, c, a));
        QCOMPARE(labelText(pane, "compareSameAlg"), QStringLiteral("Same alg: no — A ES256, B HS256"));
        QVERIFY(labelText(pane, "compareSameKey")
                    .startsWith(QStringLiteral("Same key: no — A verifies with “Signing "
                                               "key”, B with “Key one”")));
        // The key store changes: removing key one leaves B unverified.
        QSignalSpy spy(&pane, &ComparePane::compared);
        ws.removeKey(0);
        QVERIFY(spy.count() >= 1);
        QCOMPARE(labelText(pane, "compareSameKey"),
                 QStringLiteral("Same key: unknown — no workspace key verifies B (import the keys in the Keys "
                                "pane)."));
    }

    void jweHeadersAreCompared()
    {
        ui::Workspace ws;
        ComparePane pane(&ws);
        const auto aes = keys::secretKey(QByteArray(32, 'k'));
        using namespace jose::jwe;
        const auto a = encryptCompact(*aes, KeyAlg::Dir, EncAlg::A256Gcm, "{\"sub\":\"alice\"}", "{\"kid\":\"enc-1\"}");
        const auto b = encryptCompact(*aes, KeyAlg::Dir, EncAlg::A256Gcm, "{\"sub\":\"alice\"}", "{\"kid\":\"enc-2\"}");
        QVERIFY(a && b);
        QVERIFY(paste(pane, *a, *b));
        QCOMPARE(rows(pane), QStringList{QStringLiteral("header|/kid|changed|\"enc-1\"|\"enc-2\"")});
        QStringList names;
        for (const ComparePane::SegmentBytes& s : pane.segments()) {
            names << s.name;
        }
        QCOMPARE(names, (QStringList{QStringLiteral("header"), QStringLiteral("encrypted_key"), QStringLiteral("iv"),
                                     QStringLiteral("ciphertext"), QStringLiteral("tag")}));
        QCOMPARE(marks(pane).value(QStringLiteral("header/a")), QStringLiteral("1"));
        QVERIFY(pane.segments()[1].marks.equal()); // dir: empty encrypted key in both
        QCOMPARE(labelText(pane, "compareSameKey"),
                 QStringLiteral("Same key: unknown — a JWE carries no signature to check against the key store."));
        QVERIFY(labelText(pane, "compareSummary").contains(QStringLiteral("Both are JWEs")));
    }

    void base64UrlModeMarksTheReceivedText()
    {
        ui::Workspace ws;
        const auto key = secret("compare-test-secret-of-thirty-two-bytes");
        ComparePane pane(&ws);
        const QByteArray a = sign(key, kHeader, "{\"n\":1}");
        const QByteArray b = sign(key, kHeader, "{\"n\":2}");
        QVERIFY(paste(pane, a, b));
        pane.setByteMode(ComparePane::ByteMode::Base64Url);
        // eyJuIjoxfQ vs eyJuIjoyfQ: one base64url character differs.
        QCOMPARE(pane.segments()[1].a, QByteArray("eyJuIjoxfQ"));
        QCOMPARE(marks(pane).value(QStringLiteral("payload/a")), QStringLiteral("x"));
        QCOMPARE(marks(pane).value(QStringLiteral("payload/b")), QStringLiteral("y"));
        pane.setByteMode(ComparePane::ByteMode::Decoded);
        QCOMPARE(marks(pane).value(QStringLiteral("payload/a")), QStringLiteral("1"));
    }

    void pickFromTheWorkspaceAndBadInput()
    {
        ui::Workspace ws;
        const auto key = secret("compare-test-secret-of-thirty-two-bytes");
        const QByteArray first = sign(key, kHeader, "{\"sub\":\"first\"}");
        const QByteArray second = sign(key, kHeader, "{\"sub\":\"second\"}");
        ws.setCurrentToken(first);
        ws.setCurrentToken(second); // most recent first: second is item 1
        ComparePane pane(&ws);
        auto* pickA = pane.findChild<QComboBox*>(QStringLiteral("comparePickA"));
        auto* pickB = pane.findChild<QComboBox*>(QStringLiteral("comparePickB"));
        QCOMPARE(pickA->count(), 3);
        QCOMPARE(pickA->itemText(1), QStringLiteral("Token 1 · JWS · HS256 · sub second"));
        QSignalSpy spy(&pane, &ComparePane::compared);
        emit pickA->activated(2);
        emit pickB->activated(1);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(pane.tokenA(), first);
        QCOMPARE(pane.tokenB(), second);
        QCOMPARE(pickA->currentIndex(), 2);
        QCOMPARE(pickB->currentIndex(), 1);
        QCOMPARE(rows(pane), QStringList{QStringLiteral("payload|/sub|changed|\"first\"|\"second\"")});

        // Bad input: a sentence, nothing shown, no crash.
        QVERIFY(paste(pane, "not-a-token", second));
        QVERIFY(labelText(pane, "compareSummary").startsWith(QStringLiteral("Token A: ")));
        QCOMPARE(pickA->currentIndex(), 0); // a pasted token that is not in the workspace
        QCOMPARE(pickB->currentIndex(), 1);
        QVERIFY(rows(pane).isEmpty());
        QVERIFY(!pane.diff().has_value());
        QVERIFY(paste(pane, first, {}));
        QCOMPARE(labelText(pane, "compareSummary"), QStringLiteral("Now paste or pick token B."));
    }

    void largeTokensCompareOffTheGuiThread()
    {
        ui::Workspace ws;
        const auto key = secret("compare-test-secret-of-thirty-two-bytes");
        ComparePane pane(&ws);
        const QByteArray blob(200 * 1024, 'x');
        const QByteArray a = sign(key, kHeader, "{\"blob\":\"" + blob + "\",\"v\":1}");
        const QByteArray b = sign(key, kHeader, "{\"blob\":\"" + blob + "\",\"v\":2}");
        QSignalSpy spy(&pane, &ComparePane::compared);
        pane.setTokens(a, b);
        QVERIFY(pane.isComparing());
        QVERIFY(spy.wait(30000));
        QVERIFY(!pane.isComparing());
        QCOMPARE(rows(pane), QStringList{QStringLiteral("payload|/v|changed|1|2")});
        // The byte view starts just before the difference and says how much it skipped.
        const QString text = pane.findChild<QTextEdit*>(QStringLiteral("compareBytes"))->toPlainText();
        QVERIFY(text.contains(QStringLiteral("…%1 bytes…").arg(blob.size() + 15 - 48)));
        QCOMPARE(marks(pane).value(QStringLiteral("payload/a")), QStringLiteral("1"));
    }

    void theWindowHasTheComparePane()
    {
        ui::MainWindow window;
        auto* nav = window.findChild<QListWidget*>(QStringLiteral("navigation"));
        QVERIFY(nav);
        QCOMPARE(nav->item(ui::MainWindow::CompareIndex)->text(), QStringLiteral("Compare"));
        QVERIFY(window.findChild<ComparePane*>(QStringLiteral("comparePane")));
        QVERIFY(!ComparePane::navIcon().isNull());
        window.loadSampleData();
        auto* pane = window.findChild<ComparePane*>(QStringLiteral("comparePane"));
        pane->prepareScreenshot();
        QVERIFY(pane->diff().has_value());
        QVERIFY(!pane->diff()->identical);
        // The re-signed copy verifies with the same workspace key as the sample.
        QVERIFY(pane->findChild<QLabel*>(QStringLiteral("compareSameKey"))
                    ->text()
                    .startsWith(QStringLiteral("Same key: yes — both verify with workspace key")));
    }
};

QTEST_MAIN(TestCompareUi)
#include "tst_ui_compare.moc"
