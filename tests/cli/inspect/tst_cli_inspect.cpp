#include <QTest>

class TstCliInspect : public QObject
{
    Q_OBJECT
private slots:
    void placeholder() { QVERIFY(true); }
};

QTEST_GUILESS_MAIN(TstCliInspect)
#include "tst_cli_inspect.moc"
