#include <functional>
#include <memory>

#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "session/LocalRedis.h"
#include "session/MemoryStore.h"
#include "session/RedisStore.h"
#include "session/SqliteStore.h"
#include "session/StoreBench.h"
#include "tst_session.h"

using namespace tb::session;

namespace {

constexpr qint64 t0 = 1795000000000;       // injected clock, epoch ms
const TimeoutPolicy policy{60000, 300000}; // idle 1 min, absolute 5 min

// A loopback socket that listens but never accepts or answers: connect succeeds (backlog), replies never come.
struct MuteServer
{
    int fd = -1;
    int port = 0;
    MuteServer()
    {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof(addr);
        if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 && ::listen(fd, 4) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
            port = ntohs(addr.sin_port);
        }
    }
    ~MuteServer() { ::close(fd); }
    MuteServer(const MuteServer&) = delete;
    MuteServer& operator=(const MuteServer&) = delete;
};

} // namespace

class TestStore : public QObject
{
    Q_OBJECT

    std::unique_ptr<LocalRedisServer> m_redis;
    QTemporaryDir m_dir;

    using Factory = std::function<std::unique_ptr<SessionStore>()>;

    Factory factory(const QString& kind)
    {
        if (kind == QStringLiteral("memory")) {
            return [] { return std::make_unique<MemoryStore>(policy); };
        }
        if (kind == QStringLiteral("sqlite")) {
            return [this] {
                static int n = 0;
                auto s = SqliteStore::open(m_dir.filePath(QStringLiteral("s%1/sessions.sqlite").arg(++n)), policy);
                return s ? std::unique_ptr<SessionStore>(std::move(*s)) : nullptr;
            };
        }
        return [this]() -> std::unique_ptr<SessionStore> {
            if (!m_redis) {
                return nullptr;
            }
            auto s = RedisStore::connect(m_redis->host(), m_redis->port(), 1000, policy);
            return s ? std::unique_ptr<SessionStore>(std::move(*s)) : nullptr;
        };
    }

    std::unique_ptr<SessionStore> make()
    {
        QFETCH(QString, kind);
        if (kind == QStringLiteral("redis") && !m_redis) {
            return nullptr;
        }
        auto store = factory(kind)();
        if (!store) {
            qWarning("could not open the %s store", qPrintable(kind));
        }
        return store;
    }

    static void kinds()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("memory") << QStringLiteral("memory");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("redis") << QStringLiteral("redis");
    }

#define TB_STORE_OR_SKIP(var)                                                                                          \
    auto var = make();                                                                                                 \
    if (!(var)) {                                                                                                      \
        QFETCH(QString, kind);                                                                                         \
        if (kind == QStringLiteral("redis") && LocalRedisServer::executable().isEmpty()) {                             \
            QSKIP("redis-server is not installed: the Redis store tests need it (apt install redis-server).");         \
        }                                                                                                              \
        QFAIL("the store did not open");                                                                               \
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        if (LocalRedisServer::executable().isEmpty()) {
            return; // the Redis rows skip with a message
        }
        auto server = LocalRedisServer::start();
        QVERIFY2(server.has_value(),
                 qPrintable(server ? QString() : server.error().message + u' ' + server.error().detail));
        m_redis = std::move(*server);
    }

    void cleanupTestCase()
    {
        m_redis.reset(); // stops redis-server
    }

    void createAndLookup_data()
    {
        kinds();
    }
    void createAndLookup()
    {
        TB_STORE_OR_SKIP(store);
        auto s = store->create(QStringLiteral("alice"), t0, "cart=3");
        QVERIFY(s.has_value());
        QCOMPARE(s->id.size(), 22); // 128-bit base64url
        auto found = store->lookup(s->id, t0 + 1000);
        QVERIFY(found.has_value() && found->has_value());
        QCOMPARE((*found)->userId, QStringLiteral("alice"));
        QCOMPARE((*found)->createdMs, t0);
        QCOMPARE((*found)->lastSeenMs, t0);
        QCOMPARE((*found)->data, QByteArray("cart=3"));
        auto missing = store->lookup("no-such-id", t0);
        QVERIFY(missing.has_value() && !missing->has_value());
    }

    void idleTimeout_data()
    {
        kinds();
    }
    void idleTimeout()
    {
        TB_STORE_OR_SKIP(store);
        const qsizetype before = *store->count(); // the Redis rows share one server
        auto s = store->create(QStringLiteral("alice"), t0);
        QCOMPARE(*store->count(), before + 1);
        QVERIFY(*store->touch(s->id, t0 + 50000));                // activity slides the idle window
        QVERIFY(store->lookup(s->id, t0 + 109999)->has_value());  // 59.999 s after the touch
        QVERIFY(!store->lookup(s->id, t0 + 110000)->has_value()); // exactly 60 s idle: expired
        QVERIFY(!*store->touch(s->id, t0 + 110001));
        QCOMPARE(*store->count(), before); // purged when met
    }

    void absoluteTimeout_data()
    {
        kinds();
    }
    void absoluteTimeout()
    {
        TB_STORE_OR_SKIP(store);
        auto s = store->create(QStringLiteral("bob"), t0);
        for (qint64 t = t0 + 50000; t < t0 + 300000; t += 50000) {
            QVERIFY(*store->touch(s->id, t)); // never idle for a minute
        }
        QVERIFY(!store->lookup(s->id, t0 + 300000)->has_value()); // 5 minutes after creation
    }

    void rotation_data()
    {
        kinds();
    }
    void rotation()
    {
        TB_STORE_OR_SKIP(store);
        auto s = store->create(QStringLiteral("carol"), t0, "d");
        auto next = store->rotate(s->id, t0 + 1000);
        QVERIFY(next.has_value());
        QVERIFY(next->id != s->id);
        QCOMPARE(next->userId, QStringLiteral("carol"));
        QCOMPARE(next->createdMs, t0); // the absolute timeout still counts from the first login
        QCOMPARE(next->data, QByteArray("d"));
        QVERIFY(!store->lookup(s->id, t0 + 2000)->has_value()); // the old ID is dead
        QVERIFY(store->lookup(next->id, t0 + 2000)->has_value());
        auto again = store->rotate(s->id, t0 + 3000);
        QVERIFY(!again.has_value());
        QCOMPARE(again.error().code, tb::ErrorCode::NotFound);
    }

    void deleteAndDeleteAll_data()
    {
        kinds();
    }
    void deleteAndDeleteAll()
    {
        TB_STORE_OR_SKIP(store);
        const qsizetype before = *store->count();
        auto a1 = store->create(QStringLiteral("dave"), t0);
        auto a2 = store->create(QStringLiteral("dave"), t0);
        auto a3 = store->create(QStringLiteral("dave"), t0);
        auto b1 = store->create(QStringLiteral("erin"), t0);
        QVERIFY(*store->remove(a3->id));
        QVERIFY(!*store->remove(a3->id));
        QCOMPARE(*store->removeAllOfUser(QStringLiteral("dave")), 2);
        QCOMPARE(*store->removeAllOfUser(QStringLiteral("dave")), 0);
        QVERIFY(!store->lookup(a1->id, t0)->has_value());
        QVERIFY(!store->lookup(a2->id, t0)->has_value());
        QVERIFY(store->lookup(b1->id, t0)->has_value());
        QCOMPARE(*store->count(), before + 1);
    }

    void latencyMeasurement_data()
    {
        kinds();
    }
    void latencyMeasurement()
    {
        TB_STORE_OR_SKIP(store);
        auto r = measureLookupLatency(*store, 50, 200, t0);
        QVERIFY(r.has_value());
        QCOMPARE(r->samples, 200);
        QVERIFY(r->p50Us > 0 && r->p99Us >= r->p50Us);
    }

    void jwtVerifyMeasurement_data()
    {
        QTest::addColumn<int>("alg");
        QTest::newRow("HS256") << int(tb::jose::Alg::HS256);
        QTest::newRow("ES256") << int(tb::jose::Alg::ES256);
        QTest::newRow("EdDSA") << int(tb::jose::Alg::EdDSA);
    }
    void jwtVerifyMeasurement()
    {
        QFETCH(int, alg);
        int lastProgress = -1;
        auto r = measureJwtVerifyLatency(tb::jose::Alg(alg), 100, [&](int p) { lastProgress = p; });
        QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->samples, 100);
        QCOMPARE(lastProgress, 100);
        QVERIFY(r->p50Us > 0 && r->p99Us >= r->p50Us);
    }
    void jwtVerifyMeasurementErrors()
    {
        QCOMPARE(measureJwtVerifyLatency(tb::jose::Alg::None, 10).error().code, tb::ErrorCode::InvalidArgument);
        QCOMPARE(measureJwtVerifyLatency(tb::jose::Alg::HS256, 0).error().code, tb::ErrorCode::InvalidArgument);
        const std::atomic<bool> stop{true};
        const auto cancelled = measureJwtVerifyLatency(tb::jose::Alg::HS256, 10, {}, &stop);
        QCOMPARE(cancelled.error().code, tb::ErrorCode::Cancelled);
        QCOMPARE(cancelled.error().message, QStringLiteral("The verification benchmark was cancelled."));
    }

    void percentileByNearestRank()
    {
        std::vector<double> v{5, 1, 4, 2, 3, 6, 7, 8, 9, 10};
        QCOMPARE(percentile(v, 50), 5.0);
        QCOMPARE(percentile(v, 99), 10.0);
        QCOMPARE(percentile(v, 10), 1.0);
    }

    void sqliteStoresNoRawIds()
    {
        const QString path = m_dir.filePath(QStringLiteral("raw/sessions.sqlite"));
        QByteArray id;
        {
            auto store = SqliteStore::open(path, policy);
            QVERIFY(store.has_value());
            id = (*store)->create(QStringLiteral("frank"), t0)->id;
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(id));
        auto reopened = SqliteStore::open(path, policy); // persistent across opens
        QVERIFY((*reopened)->lookup(id, t0)->has_value());
    }

    void sqliteBadFileIsAClearError()
    {
        const QString path = m_dir.filePath(QStringLiteral("not-a-db.sqlite"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, 'x'));
        file.close();
        auto store = SqliteStore::open(path, policy);
        QVERIFY(!store.has_value());
        QCOMPARE(store.error().code, tb::ErrorCode::StoreUnavailable);
        QVERIFY(store.error().message.contains(QStringLiteral("not a usable SQLite session store")));
    }

    void redisRefusedIsImmediate()
    {
        const int port = freeLoopbackPort(); // nothing listens there
        auto store = RedisStore::connect(QStringLiteral("127.0.0.1"), port, 1000);
        QVERIFY(!store.has_value());
        QCOMPARE(store.error().code, tb::ErrorCode::StoreUnavailable);
        QCOMPARE(store.error().message, QStringLiteral("Cannot reach Redis at 127.0.0.1:%1.").arg(port));
    }

    void redisMuteServerTimesOut()
    {
        MuteServer mute;
        QVERIFY(mute.port > 0);
        // A server that accepts and never answers: the client's own timeout must end the wait (the
        // sentence names it); a hang would stop this test at CTest's limit.
        auto store = RedisStore::connect(QStringLiteral("127.0.0.1"), mute.port, 300);
        QVERIFY(!store.has_value());
        QCOMPARE(store.error().code, tb::ErrorCode::Timeout);
        QCOMPARE(store.error().message,
                 QStringLiteral("Redis at 127.0.0.1:%1 did not answer within 300 ms.").arg(mute.port));
    }

    void redisStoppedServerGivesErrorNotHang()
    {
        if (LocalRedisServer::executable().isEmpty()) {
            QSKIP("redis-server is not installed: this test needs it (apt install redis-server).");
        }
        auto server = LocalRedisServer::start();
        QVERIFY(server.has_value());
        auto store = RedisStore::connect((*server)->host(), (*server)->port(), 500, policy);
        QVERIFY(store.has_value());
        auto s = (*store)->create(QStringLiteral("gina"), t0);
        QVERIFY(s.has_value());
        server->reset(); // the server goes away under the client
        auto found = (*store)->lookup(s->id, t0);
        QVERIFY(!found.has_value());
        QVERIFY(found.error().code == tb::ErrorCode::StoreUnavailable || found.error().code == tb::ErrorCode::Timeout);
    }

    void localRedisUsesLoopback()
    {
        if (!m_redis) {
            QSKIP("redis-server is not installed: this test needs it (apt install redis-server).");
        }
        QCOMPARE(m_redis->host(), QStringLiteral("127.0.0.1"));
        QVERIFY(m_redis->port() > 0);
        auto store = RedisStore::connect(m_redis->host(), m_redis->port(), 1000);
        QVERIFY(store.has_value());
        QVERIFY((*store)->ping().has_value());
    }
};

int runStoreTests(int argc, char** argv)
{
    TestStore t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_store.moc"
