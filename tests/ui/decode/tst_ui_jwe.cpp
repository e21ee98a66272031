// Decode & Edit with JWEs and look-alikes (issues 9 and 10), driven through the real widgets: the identification
// banner, a JWE's header explained with its dangerous members flagged, decryption with a workspace key or a
// password (RFC 7520 vectors, exact plaintexts), the nested JWS opened in the editors and sent to Verify,
// encryption that core decrypts back, and re-sign/verify disabled with a reason for what is not a JWS.
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include "MainWindow.h"
#include "TestSupport.h"
#include "Workspace.h"
#include "jose/Base64Url.h"
#include "jose/Compact.h"
#include "jose/Jws.h"
#include "jose/jwe/Jwe.h"
#include "keys/KeyIo.h"
#include "panes/decode/DecodePane.h"
#include "panes/decode/JweDecryptPanel.h"
#include "panes/decode/JweHeaderModel.h"
#include "panes/verify/VerifyPane.h"
#include "validate/Verifier.h"
#include "widgets/TokenEdit.h"

using namespace tb;
using tb::ui::DecodePane;
using tb::ui::JweHeaderModel;
using tb::ui::MainWindow;

namespace {

using tb::test::child;

QJsonObject vector(const QString& file)
{
    return test::loadVectorFile(QStringLiteral("jose-cookbook/") + file);
}

QByteArray compactOf(const QJsonObject& v)
{
    return v.value(QStringLiteral("output")).toObject().value(QStringLiteral("compact")).toString().toUtf8();
}

keys::KeyPtr jwkKey(const QJsonValue& jwk)
{
    auto key = keys::importJwk(jwk.toObject());
    return key ? *key : keys::KeyPtr();
}

// A compact JWE with the given header; the other segments only need to be base64url.
QByteArray fakeJwe(const QByteArray& header)
{
    return jose::base64UrlEncode(header) + ".ZWs.aXY.Y3Q.dGFn";
}

// The header table's rows as member -> (meaning, danger).
QHash<QString, QPair<QString, QString>> headerRows(QAbstractItemModel* model)
{
    QHash<QString, QPair<QString, QString>> rows;
    for (int r = 0; r < model->rowCount(); ++r) {
        rows.insert(model->index(r, JweHeaderModel::Member).data(Qt::UserRole).toString(),
                    {model->index(r, JweHeaderModel::Meaning).data().toString(),
                     model->index(r, JweHeaderModel::Danger).data().toString()});
    }
    return rows;
}

void paste(QWidget* pane, const QByteArray& text)
{
    child<QPlainTextEdit>(pane, "tokenInput")->setPlainText(QString::fromUtf8(text));
}

void saveShot(QWidget* w, const QString& name)
{
    const QString dir = qEnvironmentVariable("TB_UI_SHOT_DIR");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        w->grab().save(QDir(dir).filePath(name));
    }
}

} // namespace

class TestUiJwe final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        Q_INIT_RESOURCE(tokenbench_ui);
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setOrganizationName(QStringLiteral("tokenbench-tests"));
    }

    // RFC 7520 §5.1 (RSA1_5 + A128CBC-HS256): the header explained with RSA1_5 flagged, then the exact plaintext.
    void rsa15CookbookDecrypts()
    {
        const QJsonObject v = vector(QStringLiteral("jwe/5_1.key_encryption_using_rsa_v15_and_aes-hmac-sha2.json"));
        ui::Workspace ws;
        ws.addKey(jwkKey(v.value(QStringLiteral("input")).toObject().value(QStringLiteral("key"))),
                  QStringLiteral("Frodo (RSA)"));
        ws.addKey(*keys::generateKey(jose::Alg::ES256), QStringLiteral("some EC key"));
        DecodePane pane(&ws);
        pane.resize(1360, 860);
        pane.show();
        paste(&pane, compactOf(v));

        QCOMPARE(child<QLabel>(&pane, "identifyTitle")->text(), QStringLiteral("JWE: an encrypted token"));
        QVERIFY(child<QLabel>(&pane, "identifyReason")->text().contains(QStringLiteral("RFC 7516")));
        QCOMPARE(child<QTabWidget>(&pane, "decodeActions")->currentIndex(), int(DecodePane::DecryptTab));
        QCOMPARE(child<QPlainTextEdit>(&pane, "headerEditor")->toPlainText(),
                 QStringLiteral("{\"alg\":\"RSA1_5\",\"kid\":\"frodo.baggins@hobbiton.example\",\"enc\":\"A128CBC-"
                                "HS256\"}"));

        auto* table = child<QTableView>(&pane, "jweHeaderTable");
        QAbstractItemModelTester tester(table->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(table->model()->rowCount(), 3);
        QCOMPARE(table->model()->index(0, JweHeaderModel::Member).data().toString(), QStringLiteral("\u26a0 alg"));
        QCOMPARE(table->model()->index(0, JweHeaderModel::Value).data().toString(), QStringLiteral("\"RSA1_5\""));
        const auto rows = headerRows(table->model());
        QCOMPARE(rows.value(QStringLiteral("alg")).first,
                 QStringLiteral("Key management algorithm: how the content key is encrypted or agreed."));
        QCOMPARE(rows.value(QStringLiteral("alg")).second,
                 QStringLiteral("RSA1_5 is open to Bleichenbacher padding-oracle attacks (RFC 8725 §3.2)."));
        QCOMPARE(rows.value(QStringLiteral("kid")).second, QString());
        QCOMPARE(rows.value(QStringLiteral("enc")).second, QString());
        QCOMPARE(child<QLabel>(&pane, "jweDangerSummary")->text(),
                 QStringLiteral("1 of 3 header members need attention: alg."));

        // Only the key that fits RSA1_5 is offered.
        auto* key = child<QComboBox>(&pane, "jweKey");
        QCOMPARE(key->count(), 1);
        QCOMPARE(key->currentText(), QStringLiteral("Frodo (RSA)"));

        // Signing does not apply to a JWE: disabled, with the reason.
        auto* resign = child<QRadioButton>(&pane, "resign");
        QVERIFY(!resign->isEnabled());
        QVERIFY(resign->toolTip().startsWith(QStringLiteral("A JWE is encrypted, not signed")));
        QVERIFY(!child<QPushButton>(&pane, "verifyResult")->isEnabled());

        QTest::mouseClick(child<QPushButton>(&pane, "jweDecrypt"), Qt::LeftButton);
        const QString plaintext =
            v.value(QStringLiteral("input")).toObject().value(QStringLiteral("plaintext")).toString();
        QTRY_COMPARE(child<QPlainTextEdit>(&pane, "jwePlaintext")->toPlainText(), plaintext);
        QCOMPARE(child<ui::JweDecryptPanel>(&pane, "jweDecryptPanel")->plaintext(), plaintext.toUtf8());
        QCOMPARE(child<QLabel>(&pane, "jweStatus")->text(),
                 QStringLiteral("Decrypted with Frodo (RSA): %1 bytes of plaintext (RSA1_5, A128CBC-HS256).\n"
                                "RSA1_5 is exposed to padding-oracle attacks (RFC 8725 §3.2); prefer RSA-OAEP-256.")
                     .arg(plaintext.toUtf8().size()));
        // The plaintext is no JSON: it stays in the Decrypt tab, and the payload box says so.
        QVERIFY(child<QPlainTextEdit>(&pane, "payloadEditor")->toPlainText().isEmpty());
        QVERIFY(child<QPlainTextEdit>(&pane, "payloadEditor")->isReadOnly());
        QCOMPARE(child<QLabel>(&pane, "payloadState")->text(),
                 QStringLiteral("The decrypted plaintext is not JSON: it is shown in the Decrypt tab."));
        QVERIFY(!resign->isEnabled());
    }

    // RFC 7520 §5.3 (PBES2-HS512+A256KW): the password field appears, and the typed password decrypts.
    void pbes2PasswordDecrypts()
    {
        const QJsonObject v =
            vector(QStringLiteral("jwe/5_3.key_wrap_using_pbes2-aes-keywrap_with-aes-cbc-hmac-sha2.json"));
        const QJsonObject input = v.value(QStringLiteral("input")).toObject();
        ui::Workspace ws;
        DecodePane pane(&ws);
        pane.show();
        paste(&pane, compactOf(v));
        auto* password = child<QLineEdit>(&pane, "jwePassword");
        QVERIFY(!password->isHidden());
        QCOMPARE(child<QComboBox>(&pane, "jweKey")->currentData().toInt(), -1); // no key in the store
        QVERIFY(!child<QPushButton>(&pane, "jweDecrypt")->isEnabled());
        password->setText(input.value(QStringLiteral("pwd")).toString()); // en dashes: not typeable offscreen
        QVERIFY(child<QPushButton>(&pane, "jweDecrypt")->isEnabled());
        QCOMPARE(child<QLabel>(&pane, "jweDangerSummary")->text(),
                 QStringLiteral("No header member is dangerous with this key."));
        QTest::mouseClick(child<QPushButton>(&pane, "jweDecrypt"), Qt::LeftButton);
        QTRY_COMPARE(child<ui::JweDecryptPanel>(&pane, "jweDecryptPanel")->plaintext(),
                     input.value(QStringLiteral("plaintext")).toString().toUtf8());

        // A wrong password: the one uniform failure sentence, nothing decrypted.
        password->setText(QStringLiteral("not the password"));
        QTest::mouseClick(child<QPushButton>(&pane, "jweDecrypt"), Qt::LeftButton);
        QTRY_COMPARE(child<QLabel>(&pane, "jweStatus")->text(), jose::jwe::decryptionFailedMessage());
        QVERIFY(child<QPlainTextEdit>(&pane, "jwePlaintext")->toPlainText().isEmpty());
    }

    // RFC 7520 §5.13, general JSON serialisation with three recipients: every store key is offered, and the
    // third recipient's AES-GCM key (A256GCMKW) decrypts it.
    void jsonSerialisationDecrypts()
    {
        const QJsonObject v = vector(QStringLiteral("jwe/5_13.encrypting_to_multiple_recipients.json"));
        const QJsonObject input = v.value(QStringLiteral("input")).toObject();
        const QJsonArray keysJson = input.value(QStringLiteral("key")).toArray();
        ui::Workspace ws;
        ws.addKey(*keys::generateKey(jose::Alg::ES256), QStringLiteral("unrelated EC key"));
        ws.addKey(jwkKey(keysJson.at(2)), QStringLiteral("Merry's AES key"));
        DecodePane pane(&ws);
        pane.show();
        paste(&pane,
              QJsonDocument(v.value(QStringLiteral("output")).toObject().value(QStringLiteral("json")).toObject())
                  .toJson(QJsonDocument::Compact));
        QCOMPARE(child<QLabel>(&pane, "identifyTitle")->text(), QStringLiteral("JWE: an encrypted token"));
        QCOMPARE(child<QLabel>(&pane, "jweIntro")->text(),
                 QStringLiteral("JWE in JSON serialisation, 3 recipient(s); the header below joins the protected, "
                                "shared and first recipient's members."));
        auto* key = child<QComboBox>(&pane, "jweKey");
        QCOMPARE(key->count(), 2);
        key->setCurrentIndex(key->findText(QStringLiteral("Merry's AES key")));
        QTest::mouseClick(child<QPushButton>(&pane, "jweDecrypt"), Qt::LeftButton);
        QTRY_COMPARE(child<ui::JweDecryptPanel>(&pane, "jweDecryptPanel")->plaintext(),
                     input.value(QStringLiteral("plaintext")).toString().toUtf8());
        QVERIFY(child<QLabel>(&pane, "jweStatus")->text().contains(QStringLiteral("Not integrity-protected")));
    }

    // Every dangerous member is flagged in the table; decryption refuses p2c above the cap with the cap named.
    void dangerousMembersFlagged()
    {
        ui::Workspace ws;
        DecodePane pane(&ws);
        pane.show();
        paste(&pane, fakeJwe("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\",\"zip\":\"DEF\",\"p2s\":\"AAAA\","
                             "\"p2c\":5000000,\"jku\":\"https://attacker.example/keys\",\"x-custom\":1}"));
        auto* table = child<QTableView>(&pane, "jweHeaderTable");
        const auto rows = headerRows(table->model());
        QCOMPARE(rows.size(), 7);
        QCOMPARE(
            rows.value(QStringLiteral("p2c")).second,
            QStringLiteral("5000000 iterations is above the cap of 1000000: a denial-of-service vector, refused."));
        QCOMPARE(rows.value(QStringLiteral("p2s")).second,
                 QStringLiteral("Shorter than the 8 bytes RFC 7518 §4.8.1.1 asks for."));
        QVERIFY(rows.value(QStringLiteral("zip")).second.startsWith(QStringLiteral("Compressing before encrypting")));
        QCOMPARE(rows.value(QStringLiteral("jku")).second,
                 QStringLiteral("Never choose the decryption key from the token: an attacker controls it."));
        QCOMPARE(rows.value(QStringLiteral("x-custom")).first,
                 QStringLiteral("Not a registered JWE header parameter."));
        QCOMPARE(child<QLabel>(&pane, "jweDangerSummary")->text(),
                 QStringLiteral("4 of 7 header members need attention: zip, p2s, p2c, jku."));
        // Dangerous rows are marked and coloured.
        for (int r = 0; r < table->model()->rowCount(); ++r) {
            const bool danger = !table->model()->index(r, JweHeaderModel::Danger).data().toString().isEmpty();
            QCOMPARE(table->model()->index(r, JweHeaderModel::Member).data().toString().startsWith(u'\u26a0'), danger);
            QCOMPARE(table->model()->index(r, JweHeaderModel::Danger).data(Qt::ForegroundRole).isValid(), danger);
        }
        pane.resize(1100, 760);
        saveShot(&pane, QStringLiteral("decode-jwe-dangers.png"));
        child<QLineEdit>(&pane, "jwePassword")->setText(QStringLiteral("long enough password"));
        QTest::mouseClick(child<QPushButton>(&pane, "jweDecrypt"), Qt::LeftButton);
        QTRY_COMPARE(
            child<QLabel>(&pane, "jweStatus")->text(),
            QStringLiteral("\"p2c\" is 5000000 PBES2 iterations, above the cap of 1000000 (a denial-of-service "
                           "vector)."));
    }

    // The chosen key is judged too: dir with text as the key, ECDH-ES with an epk on another curve.
    void chosenKeyFlagged()
    {
        ui::Workspace ws;
        ws.addKey(keys::secretKey("correct horse ba"), QStringLiteral("typed text"));
        DecodePane pane(&ws);
        pane.show();
        paste(&pane, fakeJwe("{\"alg\":\"dir\",\"enc\":\"A128GCM\"}"));
        QCOMPARE(headerRows(child<QTableView>(&pane, "jweHeaderTable")->model()).value(QStringLiteral("alg")).second,
                 QStringLiteral("The chosen key is printable text, not random bytes: a password used directly as an "
                                "AES key is far weaker than its length suggests; passwords belong with PBES2 (RFC "
                                "7518 §8.9)."));

        const auto p256 = keys::generateKey(jose::Alg::ES256);
        ws.addKey(*keys::generateKey(jose::Alg::ES384), QStringLiteral("P-384 key"));
        const QByteArray epk = *keys::exportJwk(**p256, keys::KeyPart::Public);
        paste(&pane, fakeJwe("{\"alg\":\"ECDH-ES\",\"enc\":\"A128GCM\",\"epk\":" + epk + "}"));
        QCOMPARE(child<QComboBox>(&pane, "jweKey")->currentText(), QStringLiteral("P-384 key"));
        QCOMPARE(headerRows(child<QTableView>(&pane, "jweHeaderTable")->model()).value(QStringLiteral("epk")).second,
                 QStringLiteral("The ephemeral key is on P-256 but the chosen key is on P-384: a curve mismatch is "
                                "refused (invalid-curve attack)."));
    }

    // RFC 7520 §6: the nested JWS opens in the usual editors, can be re-signed, and goes to the Verify pane.
    void nestedJwsToVerifyPane()
    {
        const QJsonObject v = vector(QStringLiteral("6.nesting_signatures_and_encryption.json"));
        const QJsonObject enc = v.value(QStringLiteral("encrypt")).toObject();
        const QJsonObject sign = v.value(QStringLiteral("sign")).toObject();
        const QByteArray inner = compactOf(sign);
        MainWindow w;
        w.resize(1360, 860);
        w.show();
        w.workspace()->addKey(jwkKey(enc.value(QStringLiteral("input")).toObject().value(QStringLiteral("key"))),
                              QStringLiteral("Samwise (RSA)"));
        const keys::KeyPtr signer = jwkKey(sign.value(QStringLiteral("input")).toObject().value(QStringLiteral("key")));
        QVERIFY(w.routeInput(compactOf(enc)));
        auto* pane = child<DecodePane>(&w, "decodePane");
        QVERIFY(headerRows(child<QTableView>(pane, "jweHeaderTable")->model()).contains(QStringLiteral("cty")));
        QTest::mouseClick(child<QPushButton>(pane, "jweDecrypt"), Qt::LeftButton);
        QTRY_COMPARE(pane->resultToken(), inner);
        const auto parsed = jose::parseCompact(inner);
        QCOMPARE(child<QPlainTextEdit>(pane, "headerEditor")->toPlainText().toUtf8(), parsed->header);
        QCOMPARE(child<QPlainTextEdit>(pane, "payloadEditor")->toPlainText().toUtf8(), parsed->payload);
        QVERIFY(!child<QPlainTextEdit>(pane, "payloadEditor")->isReadOnly());
        QVERIFY(child<QRadioButton>(pane, "resign")->isEnabled());
        QVERIFY(child<QLabel>(pane, "jweStatus")->text().contains(QStringLiteral("nested JWS")));
        saveShot(&w, QStringLiteral("decode-jwe-nested.png"));

        child<QTabWidget>(pane, "decodeActions")->setCurrentIndex(DecodePane::SignTab);
        auto* verify = child<QPushButton>(pane, "verifyResult");
        QVERIFY(verify->isEnabled());
        QTest::mouseClick(verify, Qt::LeftButton);
        QCOMPARE(w.currentPane(), MainWindow::VerifyIndex);
        QCOMPARE(child<ui::VerifyPane>(&w, "verifyPane")->token(), inner);
        // The one verify path accepts it with the signer's key.
        validate::KeyInput in;
        in.key = signer;
        validate::Policy policy;
        policy.now = 1300819000;
        const auto report = validate::verifyToken(inner, in, policy);
        QVERIFY(report);
        QVERIFY(report->valid);
    }

    // Encrypt the payload text, then the JWS (nested), then with a password: core decrypts each back.
    void encryptRoundTrips()
    {
        ui::Workspace ws;
        const keys::KeyPtr kek = keys::secretKey(QByteArray::fromHex("8d1e6bc3a45f0297e13bd84c6a2f5e90"));
        ws.addKey(kek, QStringLiteral("AES-128 KEK"));
        const auto rsa = keys::generateKey(jose::Alg::RS256, 2048);
        ws.addKey(*rsa, QStringLiteral("RSA recipient"));
        DecodePane pane(&ws);
        pane.show();
        const QByteArray header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
        const QByteArray payload = "{\"sub\":\"alice\",\"scope\":\"read\"}";
        const QByteArray jws =
            *jose::signCompact(jose::Alg::HS256, keys::secretKey(QByteArray(32, 's')).get(), header, payload);
        paste(&pane, jws);
        QCOMPARE(child<QLabel>(&pane, "identifyTitle")->text(), QStringLiteral("JWS: a signed JWT"));
        auto* tabs = child<QTabWidget>(&pane, "decodeActions");
        QCOMPARE(tabs->currentIndex(), int(DecodePane::SignTab));
        tabs->setCurrentIndex(DecodePane::EncryptTab);
        child<QComboBox>(&pane, "encryptAlg")->setCurrentText(QStringLiteral("A128KW"));
        child<QComboBox>(&pane, "encryptEnc")->setCurrentText(QStringLiteral("A128GCM"));
        auto* key = child<QComboBox>(&pane, "encryptKey");
        QCOMPARE(key->count(), 1); // only the oct key fits A128KW
        QCOMPARE(key->currentText(), QStringLiteral("AES-128 KEK"));
        auto* output = child<ui::TokenEdit>(&pane, "encryptOutput");
        QTest::mouseClick(child<QPushButton>(&pane, "encryptButton"), Qt::LeftButton);
        QTRY_VERIFY(!output->token().isEmpty());
        auto back = jose::jwe::decrypt(output->token(), *kek);
        QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
        QCOMPARE(back->plaintext, payload);
        QCOMPARE(back->protectedHeader, QByteArray("{\"alg\":\"A128KW\",\"enc\":\"A128GCM\"}"));

        // The current JWS, nested, to the RSA key: cty JWT, the JWS bytes exactly.
        child<QRadioButton>(&pane, "encryptFromJws")->click();
        child<QComboBox>(&pane, "encryptAlg")->setCurrentText(QStringLiteral("RSA-OAEP-256"));
        QCOMPARE(key->currentText(), QStringLiteral("RSA recipient"));
        const QByteArray before = output->token();
        QTest::mouseClick(child<QPushButton>(&pane, "encryptButton"), Qt::LeftButton);
        QTRY_VERIFY(output->token() != before);
        back = jose::jwe::decrypt(output->token(), **rsa);
        QVERIFY(back);
        QCOMPARE(back->plaintext, jws);
        QVERIFY(back->isNested());
        QCOMPARE(back->protectedHeader, QByteArray("{\"cty\":\"JWT\",\"alg\":\"RSA-OAEP-256\",\"enc\":\"A128GCM\"}"));

        // PBES2 with a typed password.
        child<QRadioButton>(&pane, "encryptFromPayload")->click();
        child<QComboBox>(&pane, "encryptAlg")->setCurrentText(QStringLiteral("PBES2-HS256+A128KW"));
        auto* password = child<QLineEdit>(&pane, "encryptPassword");
        QVERIFY(!password->isHidden());
        password->setText(QStringLiteral("correct horse battery staple"));
        const QByteArray previous = output->token();
        QTest::mouseClick(child<QPushButton>(&pane, "encryptButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(output->token() != previous, 30000);
        back = jose::jwe::decrypt(output->token(), *keys::secretKey("correct horse battery staple"));
        QVERIFY(back);
        QCOMPARE(back->plaintext, payload);
        QCOMPARE(child<QLabel>(&pane, "encryptStatus")->text(),
                 QStringLiteral("Encrypted %1 bytes of payload text for the typed password with PBES2-HS256+A128KW "
                                "and A128GCM: a %2-byte compact JWE.")
                     .arg(payload.size())
                     .arg(output->token().size()));

        pane.resize(1100, 760);
        saveShot(&pane, QStringLiteral("decode-jwe-encrypt.png"));
        // "Open in the editor" pastes the JWE: its header is explained in the Decrypt tab.
        QTest::mouseClick(child<QPushButton>(&pane, "openJwe"), Qt::LeftButton);
        QCOMPARE(child<ui::TokenEdit>(&pane, "tokenInput")->token(), output->token());
        QCOMPARE(tabs->currentIndex(), int(DecodePane::DecryptTab));
        QCOMPARE(child<QTableView>(&pane, "jweHeaderTable")->model()->rowCount(), 4); // alg enc p2s p2c
    }

    // Look-alikes: the banner names them, their decoded parts show read-only, signing and verify are disabled.
    void lookAlikesIdentified_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("detail");
        // Real samples made with Debian 12's python3-cryptography and python3-itsdangerous (as in tst_inspect).
        QTest::newRow("fernet") << QByteArray("gAAAAABrCP6UXFtnon8OmOC3u3X7lmxYjA56BhM3f7zhn8K6K-J3UbV464Q-zNwRqJYc4v"
                                              "Xax58X2isb69POz7ujA-hrtqOGfQ==")
                                << QStringLiteral("Fernet token") << QStringLiteral("\"iv_hex\"");
        QTest::newRow("itsdangerous") << QByteArray(
                                             "eyJ1c2VyIjoiYWxpY2UiLCJjc3JmIjoieCJ9.awj-lA.rUh0kNpUKOMFmGQsSbbAmGNEtyU")
                                      << QStringLiteral("Flask / itsdangerous signed value")
                                      << QStringLiteral("\"alice\"");
        QTest::newRow("django") << QByteArray(
                                       "eyJ1c2VyIjoiYWxpY2UifQ:1xWn12:duy1Cm088e_mOPDhu-h3hKvquWe4x90F6WqpoBKhFjI")
                                << QStringLiteral("Django signed value") << QStringLiteral("\"alice\"");
        QTest::newRow("paseto") << "v4.public." + jose::base64UrlEncode("{\"sub\":\"carol\"}" + QByteArray(64, '\x07'))
                                << QStringLiteral("PASETO token") << QStringLiteral("\"carol\"");
    }

    void lookAlikesIdentified()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, title);
        QFETCH(QString, detail);
        ui::Workspace ws;
        ws.addKey(keys::secretKey(QByteArray(32, 'k')), QStringLiteral("an HMAC secret"));
        DecodePane pane(&ws);
        pane.show();
        paste(&pane, sampleJws());
        QVERIFY(child<QRadioButton>(&pane, "resign")->isEnabled()); // a JWS first: signing applies
        paste(&pane, text);
        QCOMPARE(child<QLabel>(&pane, "identifyTitle")->text(), title);
        QVERIFY(!child<QLabel>(&pane, "identifyCannot")->text().isEmpty());
        auto* resign = child<QRadioButton>(&pane, "resign");
        QVERIFY(!resign->isEnabled());
        QVERIFY2(resign->toolTip().startsWith(QStringLiteral("This is a ") + title.toLower() +
                                              QStringLiteral(", not a JWS: ")),
                 qPrintable(resign->toolTip()));
        QVERIFY(!child<QRadioButton>(&pane, "keepSignature")->isEnabled());
        auto* verify = child<QPushButton>(&pane, "verifyResult");
        QVERIFY(!verify->isEnabled());
        QCOMPARE(verify->toolTip(), resign->toolTip());
        QVERIFY(pane.resultToken().isEmpty());
        auto* payload = child<QPlainTextEdit>(&pane, "payloadEditor");
        QVERIFY(payload->isReadOnly());
        QVERIFY2(payload->toPlainText().contains(detail), qPrintable(payload->toPlainText()));
        QCOMPARE(child<QLabel>(&pane, "payloadState")->text(),
                 QStringLiteral("What tokenbench could decode of it (read-only): no JWT claims."));
        QCOMPARE(child<QTableView>(&pane, "claimsTable")->model()->rowCount(), 0); // decoded parts are no claims
        QVERIFY(!child<QTableView>(&pane, "jweHeaderTable")->isEnabled());
        pane.resize(1100, 760);
        saveShot(&pane, QStringLiteral("decode-%1.png").arg(QString::fromLatin1(QTest::currentDataTag())));
    }

    // The screenshot with a JWE loaded and its header explained (written only when TB_UI_SHOT_DIR is set).
    void jweScreenshot()
    {
        const QJsonObject v = vector(QStringLiteral("jwe/5_1.key_encryption_using_rsa_v15_and_aes-hmac-sha2.json"));
        MainWindow w;
        w.resize(1360, 860);
        w.show();
        w.workspace()->addKey(jwkKey(v.value(QStringLiteral("input")).toObject().value(QStringLiteral("key"))),
                              QStringLiteral("Frodo (RSA)"));
        QVERIFY(w.routeInput(compactOf(v)));
        auto* pane = child<DecodePane>(&w, "decodePane");
        QTest::mouseClick(child<QPushButton>(pane, "jweDecrypt"), Qt::LeftButton);
        QTRY_VERIFY(!child<ui::JweDecryptPanel>(pane, "jweDecryptPanel")->plaintext().isEmpty());
        QCOMPARE(pane->resultToken(), compactOf(v)); // a JWE stays as given
        saveShot(&w, QStringLiteral("decode-jwe.png"));
    }

private:
    static QByteArray sampleJws()
    {
        return *jose::signCompact(jose::Alg::HS256, keys::secretKey(QByteArray(32, 'k')).get(),
                                  "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"x\"}");
    }
};

QTEST_MAIN(TestUiJwe)
#include "tst_ui_jwe.moc"
