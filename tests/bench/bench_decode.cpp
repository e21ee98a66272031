// Decode throughput: tokenbench's decodeToken (what `decode` runs: split, base64url, one strict RFC 8259 scan
// of header and payload with duplicate keys found, member views of both) beside a "Qt floor" measured in the
// same run (split on '.', QByteArray::fromBase64 with Base64UrlEncoding, QJsonDocument::fromJson of header and
// payload), printed as a ratio; also the path to QJsonObjects (parseCompact + parseObject: strict scan, then
// Qt's parser), for callers that need a Qt tree (lint, key import). Goals: >= 300k tokens/s on a ~300-byte
// HS256 token; a 1 MB token decoded in under 20 ms. Asserts nothing.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <tuple>
#include <utility>
#include <vector>

#include <time.h>

#include <QBuffer>
#include <QByteArray>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

#include "Command.h"
#include "jose/Base64Url.h"
#include "jose/Compact.h"
#include "jose/Decode.h"
#include "jose/JsonText.h"

namespace {

volatile qsizetype g_sink = 0; // keeps the optimiser from dropping the work

QByteArray smallToken()
{
    const QByteArray header = R"({"alg":"HS256","typ":"JWT"})";
    const QByteArray payload = R"({"sub":"1234567890","name":"John Doe","iss":"https://auth.example.com",)"
                               R"("aud":"api.example.com","iat":1516239022,"nbf":1516239022,"exp":1516242622,)"
                               R"("scope":"read write","jti":"a1b2c3d4"})";
    QByteArray signature(32, '\0');
    for (int i = 0; i < 32; ++i) {
        signature[i] = char(i * 37 + 11);
    }
    return tb::jose::base64UrlEncode(header) + '.' + tb::jose::base64UrlEncode(payload) + '.' +
           tb::jose::base64UrlEncode(signature);
}

QByteArray largeToken(qsizetype targetBytes)
{
    QByteArray payload = R"({"sub":"bulk","exp":1516242622,"items":[)";
    // base64url grows 4/3, so stop the JSON at 3/4 of the target.
    for (int i = 0; payload.size() < targetBytes * 3 / 4 - 64; ++i) {
        payload += (i ? "," : "") + QByteArray(R"({"id":)") + QByteArray::number(i) + R"(,"name":"user )" +
                   QByteArray::number(i) + R"(","roles":["reader","writer"],"score":)" + QByteArray::number(i * 0.25) +
                   "}";
    }
    payload += "]}";
    return tb::jose::base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})") + '.' + tb::jose::base64UrlEncode(payload) +
           '.' + tb::jose::base64UrlEncode(QByteArray(32, 'x'));
}

bool decodeTokenbench(const QByteArray& token)
{
    const auto decoded = tb::jose::decodeToken(token);
    if (!decoded) {
        return false;
    }
    const tb::jose::JsonObjectView header = decoded->header();
    const tb::jose::JsonObjectView payload = decoded->payload();
    if (!payload.isObject()) {
        return false;
    }
    g_sink = g_sink + header.memberCount() + payload.memberCount();
    return true;
}

bool decodeToQJsonObjects(const QByteArray& token)
{
    auto compact = tb::jose::parseCompact(token);
    if (!compact) {
        return false;
    }
    auto header = tb::jose::parseObject(compact->header);
    auto payload = tb::jose::parseObject(compact->payload);
    if (!header || !payload) {
        return false;
    }
    g_sink = g_sink + header->size() + payload->size();
    return true;
}

bool decodeQtFloor(const QByteArray& token)
{
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3) {
        return false;
    }
    const auto options = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
    const QJsonDocument header = QJsonDocument::fromJson(QByteArray::fromBase64(parts[0], options));
    const QJsonDocument payload = QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], options));
    if (!header.isObject() || !payload.isObject()) {
        return false;
    }
    g_sink = g_sink + header.object().size() + payload.object().size();
    return true;
}

// Thread CPU time: other processes on a shared machine do not count against either side.
double cpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

// Operations per CPU-second of `a` and `b`, measured in alternating slices so both see the same conditions.
std::pair<double, double> rates(const std::function<bool()>& a, const std::function<bool()>& b, double seconds)
{
    double timeA = 0;
    double timeB = 0;
    qint64 opsA = 0;
    qint64 opsB = 0;
    constexpr int batch = 2000;
    while (timeA + timeB < seconds) {
        double start = cpuSeconds();
        for (int i = 0; i < batch; ++i) {
            a();
        }
        timeA += cpuSeconds() - start;
        opsA += batch;
        start = cpuSeconds();
        for (int i = 0; i < batch; ++i) {
            b();
        }
        timeB += cpuSeconds() - start;
        opsB += batch;
    }
    return {double(opsA) / timeA, double(opsB) / timeB};
}

struct Timing
{
    double bestMs;
    double medianMs;
};

// Best and median CPU time in milliseconds of `runs` calls.
Timing timeMs(const std::function<bool()>& fn, int runs)
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        const double start = cpuSeconds();
        fn();
        times.push_back((cpuSeconds() - start) * 1000);
    }
    std::sort(times.begin(), times.end());
    return {times.front(), times[times.size() / 2]};
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QByteArray small = smallToken();
    const QByteArray large = largeToken(1024 * 1024);
    if (!decodeTokenbench(small) || !decodeToQJsonObjects(small) || !decodeQtFloor(small) || !decodeTokenbench(large) ||
        !decodeToQJsonObjects(large) || !decodeQtFloor(large)) {
        std::fprintf(stderr, "bench_decode: a sample token does not decode\n");
        return 1;
    }

    const auto [ours, floor] =
        rates([&] { return decodeTokenbench(small); }, [&] { return decodeQtFloor(small); }, 3.0);
    const auto [objects, floor2] =
        rates([&] { return decodeToQJsonObjects(small); }, [&] { return decodeQtFloor(small); }, 2.0);
    // The full `decode --json` subcommand in-process (argument parsing, report building, output).
    const QStringList cliArgs{QStringLiteral("decode"), QString::fromLatin1(small), QStringLiteral("--json")};
    const double cli = rates(
                           [&] {
                               QBuffer in;
                               QBuffer out;
                               QBuffer err;
                               in.open(QIODevice::ReadOnly);
                               out.open(QIODevice::WriteOnly);
                               err.open(QIODevice::WriteOnly);
                               return tb::cli::dispatch(cliArgs, tb::cli::Io{&in, &out, &err, false}) == 0;
                           },
                           [] { return true; }, 1.0)
                           .first;
    const Timing oursLarge = timeMs([&] { return decodeTokenbench(large); }, 15);
    const Timing floorLarge = timeMs([&] { return decodeQtFloor(large); }, 15);
    const Timing objectsLarge = timeMs([&] { return decodeToQJsonObjects(large); }, 15);
    const Timing prettyLarge = timeMs(
        [&] {
            auto t = tb::jose::parseCompact(large);
            auto p = t ? tb::jose::prettyJson(t->payload) : tb::Result<QByteArray>();
            return p.has_value();
        },
        15);

    std::printf("decode of header and payload, one thread, rates per CPU-second\n");
    std::printf("%-52s %14s %14s %8s %10s\n", "case", "tokenbench", "Qt floor", "ratio", "goal");
    const QString smallLabel = QStringLiteral("%1-byte HS256 token").arg(small.size());
    std::printf("%-52s %10.0f t/s %10.0f t/s %7.2fx %10s\n", qPrintable(smallLabel + QStringLiteral(", decodeToken")),
                ours, floor, ours / floor, ours >= 300000 ? ">=300k ok" : ">=300k MISS");
    std::printf("%-52s %10.0f t/s %10.0f t/s %7.2fx\n", "  the same to QJsonObjects (scan, then Qt's parser)", objects,
                floor2, objects / floor2);
    std::printf("%-52s %10.0f t/s\n", "  the same through `decode --json` (in-process)", cli);
    for (const auto& [label, oursMs, floorMs] : {std::tuple{"best of 15", oursLarge.bestMs, floorLarge.bestMs},
                                                 std::tuple{"median of 15", oursLarge.medianMs, floorLarge.medianMs}}) {
        std::printf(
            "%-52s %11.2f ms %11.2f ms %7.2fx %10s\n",
            qPrintable(QStringLiteral("%1-byte token, decodeToken, %2").arg(large.size()).arg(QLatin1String(label))),
            oursMs, floorMs, floorMs / oursMs, oursMs < 20 ? "<20ms ok" : "<20ms MISS");
    }
    std::printf("%-52s %11.2f ms (median %.2f ms)\n", "  the same to QJsonObjects", objectsLarge.bestMs,
                objectsLarge.medianMs);
    std::printf("%-52s %11.2f ms (median %.2f ms)\n", "  parseCompact + prettyJson of the payload", prettyLarge.bestMs,
                prettyLarge.medianMs);
    std::printf("(ratio > 1 means tokenbench is faster; tokenbench also validates RFC 8259 strictly, finds duplicate "
                "keys and keeps the segments; decodeToken's values are read from the bytes on demand)\n");
    return 0;
}
