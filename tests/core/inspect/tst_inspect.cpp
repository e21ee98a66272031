#include <QTest>

class TstInspect : public QObject
{
    Q_OBJECT
private slots:
    void placeholder() { QVERIFY(true); }
};

QTEST_GUILESS_MAIN(TstInspect)
#include "tst_inspect.moc"
