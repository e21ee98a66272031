#include <QTest>

#include "session/Cookie.h"
#include "session/CookieLint.h"
#include "session/PublicSuffix.h"
#include "tst_session.h"

using namespace tb::session;

namespace {

// A small list in the publicsuffix.org format, so the algorithm is checked independently of the list's version.
const QByteArray kList = "// comment line\n"
                         "com\n"
                         "uk\n"
                         "co.uk\n"
                         "*.ck\n"
                         "!www.ck\n"
                         "jp\n"
                         "*.kawasaki.jp\n"
                         "!city.kawasaki.jp\n"
                         "\xe5\x85\xac\xe5\x8f\xb8.cn\n" // 公司.cn (IDN rule, UTF-8 in the file)
                         "cn\n"
                         "net  trailing text is ignored\n"
                         "// ===BEGIN PRIVATE DOMAINS===\n"
                         "github.io\n"
                         "io\n";

const PublicSuffixList& list()
{
    static const PublicSuffixList parsed = PublicSuffixList::parse(kList).value();
    return parsed;
}

std::vector<CookieFinding> lintWith(const QByteArray& header, const char* url, const PublicSuffixSource* source)
{
    CookieLintOptions options;
    options.url = QUrl(QString::fromLatin1(url));
    options.now = 1795000000;
    options.publicSuffixes = source;
    return lintCookies(parseCookieInput(header).value(), options);
}

const CookieFinding* findId(const std::vector<CookieFinding>& findings, const QString& id)
{
    for (const CookieFinding& f : findings) {
        if (f.id == id) {
            return &f;
        }
    }
    return nullptr;
}

} // namespace

class TestPublicSuffix : public QObject
{
    Q_OBJECT

private slots:
    void algorithm_data()
    {
        QTest::addColumn<QByteArray>("domain");
        QTest::addColumn<QByteArray>("suffix");
        QTest::addColumn<QByteArray>("rule");
        QTest::addColumn<bool>("isSuffix");
        QTest::addColumn<int>("section");
        const int icann = int(PublicSuffixList::Section::Icann);
        const int priv = int(PublicSuffixList::Section::Private);
        const int none = int(PublicSuffixList::Section::None);
        QTest::newRow("co.uk") << QByteArray("co.uk") << QByteArray("co.uk") << QByteArray("co.uk") << true << icann;
        QTest::newRow("under co.uk") << QByteArray("www.example.co.uk") << QByteArray("co.uk") << QByteArray("co.uk")
                                     << false << icann;
        QTest::newRow("case and dot") << QByteArray("WWW.Example.CO.UK.") << QByteArray("co.uk") << QByteArray("co.uk")
                                      << false << icann;
        QTest::newRow("wildcard") << QByteArray("foo.ck") << QByteArray("foo.ck") << QByteArray("*.ck") << true
                                  << icann;
        QTest::newRow("under wildcard") << QByteArray("a.foo.ck") << QByteArray("foo.ck") << QByteArray("*.ck") << false
                                        << icann;
        QTest::newRow("exception") << QByteArray("www.ck") << QByteArray("ck") << QByteArray("!www.ck") << false
                                   << icann;
        QTest::newRow("under exception") << QByteArray("a.www.ck") << QByteArray("ck") << QByteArray("!www.ck") << false
                                         << icann;
        QTest::newRow("bare ck") << QByteArray("ck") << QByteArray("ck") << QByteArray("*") << true << none;
        QTest::newRow("city exception") << QByteArray("city.kawasaki.jp") << QByteArray("kawasaki.jp")
                                        << QByteArray("!city.kawasaki.jp") << false << icann;
        QTest::newRow("kawasaki wildcard") << QByteArray("x.kawasaki.jp") << QByteArray("x.kawasaki.jp")
                                           << QByteArray("*.kawasaki.jp") << true << icann;
        QTest::newRow("private") << QByteArray("github.io") << QByteArray("github.io") << QByteArray("github.io")
                                 << true << priv;
        QTest::newRow("under private") << QByteArray("alice.github.io") << QByteArray("github.io")
                                       << QByteArray("github.io") << false << priv;
        QTest::newRow("idn punycode") << QByteArray("shop.xn--55qx5d.cn") << QByteArray("xn--55qx5d.cn")
                                      << QByteArray("xn--55qx5d.cn") << false << icann;
        QTest::newRow("idn unicode") << QByteArray("shop.\xe5\x85\xac\xe5\x8f\xb8.cn") << QByteArray("xn--55qx5d.cn")
                                     << QByteArray("xn--55qx5d.cn") << false << icann;
        QTest::newRow("trailing text") << QByteArray("example.net") << QByteArray("net") << QByteArray("net") << false
                                       << icann;
        QTest::newRow("unlisted tld") << QByteArray("intranet.corp") << QByteArray("corp") << QByteArray("*") << false
                                      << none;
        QTest::newRow("empty label") << QByteArray("a..co.uk") << QByteArray() << QByteArray() << false << none;
    }
    void algorithm()
    {
        QFETCH(QByteArray, domain);
        QFETCH(QByteArray, suffix);
        QFETCH(QByteArray, rule);
        QFETCH(bool, isSuffix);
        QFETCH(int, section);
        const PublicSuffixList::Match m = list().match(domain);
        QCOMPARE(m.suffix, suffix);
        QCOMPARE(m.rule, rule);
        QCOMPARE(int(m.section), section);
        QCOMPARE(list().isPublicSuffix(domain), isSuffix);
    }

    void parseErrors()
    {
        const auto empty = PublicSuffixList::parse("// only a comment\n\n");
        QVERIFY(!empty);
        QCOMPARE(empty.error().code, tb::ErrorCode::InvalidData);
        QCOMPARE(empty.error().message, QStringLiteral("The Public Suffix List holds no rules."));
        const auto missing = PublicSuffixList::load(QStringLiteral("/nonexistent/public_suffix_list.dat"));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, tb::ErrorCode::NotFound);
        QVERIFY(missing.error().message.startsWith(
            QStringLiteral("The Public Suffix List /nonexistent/public_suffix_list.dat could not be read")));
        QVERIFY(missing.error().message.endsWith(QStringLiteral("install Debian's publicsuffix package.")));
    }

    // Debian's copy (packaging/install-deps.sh installs "publicsuffix").
    void systemList()
    {
        const PublicSuffixSource& system = PublicSuffixList::system();
        QVERIFY2(system.has_value(), system ? "" : qPrintable(system.error().message));
        const PublicSuffixList& psl = **system;
        QVERIFY(psl.ruleCount() > 5000);
        QVERIFY(psl.isPublicSuffix("co.uk"));
        QVERIFY(!psl.isPublicSuffix("example.co.uk"));
        QVERIFY(psl.isPublicSuffix("anything.ck"));
        QVERIFY(!psl.isPublicSuffix("www.ck"));
        QCOMPARE(psl.match("www.ck").rule, QByteArray("!www.ck"));
        QVERIFY(psl.isPublicSuffix("github.io"));
        QCOMPARE(int(psl.match("alice.github.io").section), int(PublicSuffixList::Section::Private));
        QCOMPARE(psl.match("a.b.example.com").suffix, QByteArray("com"));
    }

    void cookieRuleUsesTheList()
    {
        const PublicSuffixSource source = std::make_shared<const PublicSuffixList>(list());
        const auto github = lintWith("Set-Cookie: __Secure-a=1; Domain=github.io; Secure; SameSite=Lax",
                                     "https://alice.github.io/", &source);
        const CookieFinding* f = findId(github, QStringLiteral("CK-15"));
        QVERIFY(f != nullptr);
        QCOMPARE(f->severity, tb::Severity::High);
        QCOMPARE(f->message, QStringLiteral("Cookie '__Secure-a' sets Domain=github.io, a public suffix: browsers "
                                            "reject it."));
        QVERIFY(!findId(lintWith("Set-Cookie: __Secure-a=1; Domain=alice.github.io; Secure; SameSite=Lax",
                                 "https://www.alice.github.io/", &source),
                        QStringLiteral("CK-15")));
        QVERIFY(findId(
            lintWith("Set-Cookie: __Secure-a=1; Domain=foo.ck; Secure; SameSite=Lax", "https://shop.foo.ck/", &source),
            QStringLiteral("CK-15")));
        QVERIFY(!findId(
            lintWith("Set-Cookie: __Secure-a=1; Domain=www.ck; Secure; SameSite=Lax", "https://a.www.ck/", &source),
            QStringLiteral("CK-15")));
        // A host that is itself a public suffix may set a host-only cookie with its own name as Domain.
        QVERIFY(!findId(
            lintWith("Set-Cookie: __Secure-a=1; Domain=github.io; Secure; SameSite=Lax", "https://github.io/", &source),
            QStringLiteral("CK-15")));
    }

    void missingListFallsBack()
    {
        const auto loaded = PublicSuffixList::load(QStringLiteral("/nonexistent/psl.dat"));
        QVERIFY(!loaded);
        const PublicSuffixSource missing = std::unexpected(loaded.error());
        QVERIFY(!missing);
        const auto findings = lintWith("Set-Cookie: __Secure-a=1; Domain=co.uk; Secure; SameSite=Lax",
                                       "https://www.example.co.uk/", &missing);
        const CookieFinding* f = findId(findings, QStringLiteral("CK-15"));
        QVERIFY(f != nullptr);
        QCOMPARE(f->severity, tb::Severity::Info);
        QVERIFY(f->message.startsWith(QStringLiteral(
            "Cookie '__Secure-a' sets Domain=co.uk, which was not checked against the Public Suffix List: The "
            "Public Suffix List /nonexistent/psl.dat could not be read")));
        // The list's implicit "*" rule still holds without the file: a single label is a public suffix.
        const auto tld = lintWith("Set-Cookie: __Secure-a=1; Domain=uk; Secure; SameSite=Lax",
                                  "https://www.example.co.uk/", &missing);
        QCOMPARE(findId(tld, QStringLiteral("CK-15"))->severity, tb::Severity::High);
    }
};

int runPublicSuffixTests(int argc, char** argv)
{
    TestPublicSuffix t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_psl.moc"
