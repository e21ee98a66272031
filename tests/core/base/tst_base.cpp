#include <QDateTime>
#include <QTest>

#include "base/Bytes.h"
#include "base/SecretBytes.h"

class TestBase : public QObject
{
    Q_OBJECT

private slots:
    void secretBytesMoveLeavesSourceEmpty()
    {
        const QByteArray raw("s3cr3t");
        tb::SecretBytes a = tb::SecretBytes::fromByteArray(raw);
        tb::SecretBytes b = std::move(a);
        QCOMPARE(b.reveal(), raw);
        QCOMPARE(a.size(), std::size_t(0)); // NOLINT(bugprone-use-after-move): moved-from state is specified
        QVERIFY(a.data() != nullptr);
    }

    void emptySecretHasNonNullData()
    {
        const tb::SecretBytes s;
        QVERIFY(s.data() != nullptr);
        QVERIFY(s.empty());
    }

    void trimmedRemovesOnlyAsciiWhitespace()
    {
        QCOMPARE(tb::bytes::trimmed(" \t\r\nab c\n").toByteArray(), QByteArray("ab c"));
        QCOMPARE(tb::bytes::trimmed("\v x \f").toByteArray(), QByteArray("\v x \f"));
        QCOMPARE(tb::bytes::trimmed("   ").toByteArray(), QByteArray());
    }

    void utcStringTruncatesAndBounds()
    {
        QCOMPARE(tb::bytes::utcString(1300819380), QStringLiteral("2011-03-22T18:43:00Z"));
        QCOMPARE(tb::bytes::utcString(1300819380.999), QStringLiteral("2011-03-22T18:43:00Z"));
        QCOMPARE(tb::bytes::utcString(-0.5), QStringLiteral("1969-12-31T23:59:59Z"));
        QCOMPARE(tb::bytes::utcString(1e300), QString());
        QCOMPARE(tb::bytes::utcString(253402300799.0), QStringLiteral("9999-12-31T23:59:59Z"));
        QCOMPARE(tb::bytes::utcString(-62135596800.0), QStringLiteral("0001-01-01T00:00:00Z"));
    }

    void utcStringAgreesWithQDateTime()
    {
        // Every 7,777,777 s (about 90 days, drifting through hours and leap years) from year 1 to 9999.
        for (qint64 t = -62135596800; t <= 253402300799; t += 7777777) {
            const QString expected =
                QDateTime::fromSecsSinceEpoch(t, Qt::UTC).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
            QCOMPARE(tb::bytes::utcString(double(t)), expected);
        }
    }
};

QTEST_GUILESS_MAIN(TestBase)
#include "tst_base.moc"
