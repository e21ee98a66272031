// Weak-secret search speed: candidates per second on a 201-byte HS256 token (157-byte signing input, 6 SHA-256
// compressions per candidate) over a generated wordlist whose last line is the secret, for the raw OpenSSL
// primitives, each tokenbench kernel (one thread and all threads) and hashcat -m 16500 on the CPU (PoCL) in the
// same run when it is installed, for the wordlist (-a 0) and a ?l x8 mask (-a 3). Prints figures and ratios;
// asserts nothing.
// Rates are given per wall-clock second and per CPU-second (process CPU time; for hashcat the user + system time
// of its run minus its start-up): on a shared, busy machine only the latter compare across rows.
//   TB_BENCH_CRACK_LINES (default 5000000), TB_BENCH_CRACK_HASHCAT=0 to skip hashcat.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <random>
#include <thread>

#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "audit/crack/Crack.h"
#include "jose/Base64Url.h"

namespace crack = tb::audit::crack;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The token of ../shared/bench/peers-crack/gen_crack.py (same header, payload and secret); HS512 for the SHA-512 rows.
QByteArray benchToken(const QByteArray& secret, bool hs512 = false)
{
    const QByteArray header = hs512 ? R"({"alg":"HS512","typ":"JWT"})" : R"({"alg":"HS256","typ":"JWT"})";
    const QByteArray si = tb::jose::base64UrlEncode(header) + '.' +
                          tb::jose::base64UrlEncode(R"({"sub":"user-4711","name":"Ada Lovelace","role":"admin",)"
                                                    R"("iat":1767225600,"exp":1767229200})");
    const auto alg = hs512 ? crack::HmacAlg::HS512 : crack::HmacAlg::HS256;
    return si + '.' + tb::jose::base64UrlEncode(crack::referenceHmac(alg, secret, si).value());
}

// Random [a-z0-9]{6,12} lines (like gen_crack.py), the secret last, so every tool makes a full pass.
QByteArray wordlist(int lines, const QByteArray& secret)
{
    std::mt19937 rng(42);
    const char* alpha = "abcdefghijklmnopqrstuvwxyz0123456789";
    QByteArray out;
    out.reserve(qsizetype(lines) * 10);
    for (int i = 0; i + 1 < lines; ++i) {
        const int len = 6 + int(rng() % 7);
        for (int j = 0; j < len; ++j) {
            out.append(alpha[rng() % 36]);
        }
        out.append('\n');
    }
    return out + secret + '\n';
}

// Process CPU time: on a shared machine candidates per CPU-second stay comparable when wall-clock rates do not.
double cpuNow()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

struct Rates
{
    double wall = 0; // candidates per second
    double cpu = 0;  // candidates per CPU-second
};

Rates rates(double candidates, Clock::time_point t0, double c0)
{
    const double cpu = cpuNow() - c0;
    return {candidates / secondsSince(t0), cpu > 0 ? candidates / cpu : 0};
}

struct Row
{
    QString what;
    int threads = 1;
    Rates rate;
    QString note;
    int attack = 0; // the hashcat attack it compares with: 0 wordlist, 1 mask, 2 none
};

// Raw OpenSSL: one EVP_Q_mac per candidate (fetch and context every time).
Rates oneShotRate(const QByteArray& si, const QList<QByteArray>& words)
{
    unsigned char out[32];
    std::size_t len = 0;
    const auto t0 = Clock::now();
    const double c0 = cpuNow();
    for (const QByteArray& w : words) {
        EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, w.constData(), std::size_t(w.size()),
                  reinterpret_cast<const unsigned char*>(si.constData()), std::size_t(si.size()), out, sizeof out,
                  &len);
    }
    return rates(double(words.size()), t0, c0);
}

// Raw OpenSSL: one EVP_MAC context re-keyed per candidate.
Rates reusedMacRate(const QByteArray& si, const QList<QByteArray>& words)
{
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    EVP_MAC_CTX_set_params(ctx, params);
    unsigned char out[32];
    std::size_t len = 0;
    const auto t0 = Clock::now();
    const double c0 = cpuNow();
    for (const QByteArray& w : words) {
        EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(w.constData()), std::size_t(w.size()), nullptr);
        EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(si.constData()), std::size_t(si.size()));
        EVP_MAC_final(ctx, out, &len, sizeof out);
    }
    const Rates rate = rates(double(words.size()), t0, c0);
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    return rate;
}

// A kernel alone on fixed keys (no candidate generation): the ceiling for the search on one thread.
Rates kernelOnlyRate(const crack::Target& target, crack::KernelKind kind)
{
    const crack::Sha256Kernel k = crack::sha256Kernel(kind);
    const crack::Sha256Plan plan = crack::makeSha256Plan(target.signingInput);
    std::vector<std::uint32_t> keys(16 * std::size_t(k.lanes), 0x61626364u);
    std::vector<std::uint32_t> out(8 * std::size_t(k.lanes));
    std::uint64_t done = 0;
    const auto t0 = Clock::now();
    const double c0 = cpuNow();
    while (secondsSince(t0) < 1.0) {
        for (int i = 0; i < 256; ++i) {
            keys[0] += 1;
            k.fn(plan.wk.data(), plan.blocks, keys.data(), out.data());
        }
        done += 256 * std::uint64_t(k.lanes);
    }
    return rates(double(done), t0, c0);
}

// The whole tokenbench search (wordlist read from the file, candidates batched into the kernel).
std::optional<Rates> engineRate(const crack::Target& target, const QString& path, crack::KernelKind kind, int threads,
                                std::uint64_t maxUnits, bool* found)
{
    auto source = crack::WordlistSource::open(path, {});
    if (!source) {
        return std::nullopt;
    }
    crack::SearchOptions o;
    o.kernel = kind;
    o.threads = threads;
    o.maxUnits = maxUnits;
    const auto t0 = Clock::now();
    const double c0 = cpuNow();
    auto r = crack::search(target, **source, o);
    if (!r) {
        return std::nullopt;
    }
    *found = r->found;
    return rates(double(r->candidates), t0, c0);
}

Rates maskRate(const crack::Target& target, int threads, std::uint64_t maxUnits)
{
    auto mask = crack::MaskSource::create("?l?l?l?l?l?l?l?l", {});
    crack::SearchOptions o;
    o.threads = threads;
    o.maxUnits = maxUnits;
    const auto t0 = Clock::now();
    const double c0 = cpuNow();
    auto r = crack::search(target, **mask, o);
    return r ? rates(double(r->candidates), t0, c0) : Rates{};
}

// hashcat's reported speed (median of its running-state status samples, summed over devices) and whole-run rate.
struct HashcatRun
{
    double speed = 0;
    double wholeRun = 0;
    double cpuSeconds = 0; // user + system of the whole run (/usr/bin/time), 0 when unknown
    bool cracked = false;
};

std::optional<HashcatRun> runHashcat(const QString& dir, const QString& hashFile, const QStringList& attack,
                                     int threads, int lines)
{
    const QString hashcat = QStandardPaths::findExecutable(QStringLiteral("hashcat"));
    const QString taskset = QStandardPaths::findExecutable(QStringLiteral("taskset"));
    if (hashcat.isEmpty()) {
        return std::nullopt;
    }
    QStringList args = {QStringLiteral("-m"),
                        QStringLiteral("16500"),
                        QStringLiteral("-D"),
                        QStringLiteral("1"),
                        QStringLiteral("--force"),
                        QStringLiteral("-w"),
                        QStringLiteral("3"),
                        QStringLiteral("--potfile-disable"),
                        QStringLiteral("--quiet"),
                        QStringLiteral("--status"),
                        QStringLiteral("--status-timer"),
                        QStringLiteral("1"),
                        QStringLiteral("--machine-readable"),
                        QStringLiteral("-o"),
                        dir + QStringLiteral("/hc.out")};
    args += attack.mid(0, attack.size() - 1);
    args << hashFile << attack.last();
    QProcess p;
    p.setWorkingDirectory(dir);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("POCL_MAX_PTHREAD_COUNT"), QString::number(threads));
    p.setProcessEnvironment(env);
    QFile::remove(dir + QStringLiteral("/hc.out"));
    args.prepend(hashcat);
    if (threads == 1 && !taskset.isEmpty()) {
        args = QStringList{taskset, QStringLiteral("-c"), QStringLiteral("1")} + args;
    }
    const QString timeTool = QStandardPaths::findExecutable(QStringLiteral("time"), {QStringLiteral("/usr/bin")});
    const QString timeFile = dir + QStringLiteral("/time.txt");
    QFile::remove(timeFile);
    if (!timeTool.isEmpty()) {
        args = QStringList{QStringLiteral("-f"), QStringLiteral("%U %S"), QStringLiteral("-o"), timeFile} + args;
        p.start(timeTool, args);
    } else {
        const QString program = args.takeFirst();
        p.start(program, args);
    }
    const auto t0 = Clock::now();
    if (!p.waitForFinished(300000)) {
        p.kill();
        p.waitForFinished();
        return std::nullopt;
    }
    HashcatRun run;
    run.wholeRun = double(lines) / secondsSince(t0);
    std::vector<double> speeds;
    for (const QByteArray& line : p.readAllStandardOutput().split('\n')) {
        const QList<QByteArray> f = line.split('\t');
        if (f.size() > 4 && f[0] == "STATUS" && f[1] == "3" && f[2] == "SPEED") {
            double total = 0;
            for (qsizetype i = 3; i + 1 < f.size() && f[i] != "EXEC_RUNTIME"; i += 2) {
                total += f[i].toDouble();
            }
            if (total > 0) {
                speeds.push_back(total);
            }
        }
    }
    if (!speeds.empty()) {
        std::sort(speeds.begin(), speeds.end());
        run.speed = speeds[speeds.size() / 2];
    }
    QFile times(timeFile);
    if (times.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> f = times.readAll().trimmed().split(' ');
        run.cpuSeconds = f.size() == 2 ? f[0].toDouble() + f[1].toDouble() : 0;
    }
    QFile out(dir + QStringLiteral("/hc.out"));
    run.cracked = out.open(QIODevice::ReadOnly) && out.readAll().contains(":tokenbench42");
    return run;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int lines = qEnvironmentVariableIsSet("TB_BENCH_CRACK_LINES")
                          ? qEnvironmentVariableIntValue("TB_BENCH_CRACK_LINES")
                          : 5000000;
    const bool withHashcat = qEnvironmentVariable("TB_BENCH_CRACK_HASHCAT") != QStringLiteral("0");
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    const QByteArray secret = "tokenbench42";
    const QByteArray token = benchToken(secret);
    const crack::Target target = crack::targetFromToken(token).value();

    QTemporaryDir dir;
    const QString listPath = dir.filePath(QStringLiteral("wordlist.txt"));
    const QString hashPath = dir.filePath(QStringLiteral("hashcat.hash"));
    {
        QFile f(listPath);
        f.open(QIODevice::WriteOnly);
        f.write(wordlist(lines, secret));
        QFile h(hashPath);
        h.open(QIODevice::WriteOnly);
        h.write(token + '\n');
    }
    std::printf("weak-secret search: %lld-byte HS256 token (%lld-byte signing input, 6 SHA-256 compressions per "
                "candidate), wordlist %d lines (secret last), %d cores\n",
                static_cast<long long>(token.size()), static_cast<long long>(target.signingInput.size()), lines, cores);
    std::printf("kernel picked by auto: %s\n", qPrintable(crack::kernelName(crack::fastestSha256Kernel())));

    QList<QByteArray> sample;
    {
        QFile f(listPath);
        f.open(QIODevice::ReadOnly);
        for (int i = 0; i < 400000 && !f.atEnd(); ++i) {
            sample.append(f.readLine().chopped(1));
        }
    }
    std::vector<Row> rows;
    rows.push_back(
        {QStringLiteral("OpenSSL EVP_Q_mac one-shot (400k words)"), 1, oneShotRate(target.signingInput, sample), {}});
    rows.push_back({QStringLiteral("OpenSSL EVP_MAC reused, re-keyed (400k words)"),
                    1,
                    reusedMacRate(target.signingInput, sample),
                    {}});
    const auto engine = [&](const QString& what, crack::KernelKind kind, int threads, std::uint64_t maxUnits) {
        if (!crack::kernelSupported(kind)) {
            rows.push_back({what, threads, Rates{}, QStringLiteral("not supported by this CPU")});
            return;
        }
        bool found = false;
        const auto rate = engineRate(target, listPath, kind, threads, maxUnits, &found);
        rows.push_back({what, threads, rate.value_or(Rates{}),
                        maxUnits == 0 ? (found ? QStringLiteral("found") : QStringLiteral("NOT FOUND"))
                                      : QStringLiteral("first %1 lines").arg(maxUnits)});
    };
    for (auto kind :
         {crack::KernelKind::Scalar, crack::KernelKind::ShaNi, crack::KernelKind::Avx2, crack::KernelKind::Avx512}) {
        if (crack::kernelSupported(kind)) {
            rows.push_back({QStringLiteral("%1 kernel alone, fixed keys (ceiling)").arg(crack::kernelName(kind)),
                            1,
                            kernelOnlyRate(target, kind),
                            {}});
        }
    }
    engine(QStringLiteral("tokenbench search, openssl path"), crack::KernelKind::OpenSsl, 1, 1000000);
    engine(QStringLiteral("tokenbench search, scalar kernel"), crack::KernelKind::Scalar, 1, 1000000);
    for (auto kind : {crack::KernelKind::ShaNi, crack::KernelKind::Avx2, crack::KernelKind::Avx512}) {
        engine(QStringLiteral("tokenbench search, %1 kernel").arg(crack::kernelName(kind)), kind, 1, 0);
        engine(QStringLiteral("tokenbench search, %1 kernel").arg(crack::kernelName(kind)), kind, cores, 0);
    }
    engine(QStringLiteral("tokenbench search, auto"), crack::KernelKind::Auto, 1, 0);
    engine(QStringLiteral("tokenbench search, auto"), crack::KernelKind::Auto, cores, 0);
    // HS512 (no hashcat baseline here: the bench token is HS256).
    const crack::Target target512 = crack::targetFromToken(benchToken(secret, true)).value();
    for (auto kind : {crack::KernelKind::OpenSsl, crack::KernelKind::Avx2, crack::KernelKind::Avx512}) {
        if (!crack::kernelSupported(kind)) {
            continue;
        }
        bool found = false;
        const auto rate = engineRate(target512, listPath, kind, 1, 1000000, &found);
        rows.push_back({QStringLiteral("HS512 tokenbench search, %1").arg(crack::kernelName(kind)), 1,
                        rate.value_or(Rates{}), QStringLiteral("first 1000000 lines"), 2});
    }

    // hashcat per (attack, threads): its reported speed, and candidates per CPU-second of its run without the
    // start-up (measured on a one-line wordlist); the baselines of the two ratio columns.
    std::map<std::pair<int, int>, Rates> hashcatRate;
    const bool haveHashcat = withHashcat && !QStandardPaths::findExecutable(QStringLiteral("hashcat")).isEmpty();
    if (haveHashcat) {
        std::printf("running hashcat -m 16500 on the CPU (the first run builds its OpenCL kernels)...\n");
        std::fflush(stdout);
        const QString tinyPath = dir.filePath(QStringLiteral("tiny.txt"));
        {
            QFile f(tinyPath);
            f.open(QIODevice::WriteOnly);
            f.write("a\n");
        }
        const QStringList wordlistAttack = {QStringLiteral("-a"), QStringLiteral("0"), listPath};
        const QStringList maskAttack = {QStringLiteral("-a"), QStringLiteral("3"), QStringLiteral("--runtime"),
                                        QStringLiteral("10"), QStringLiteral("?l?l?l?l?l?l?l?l")};
        runHashcat(dir.path(), hashPath, wordlistAttack, cores, lines); // warm-up: kernel build and cache
        for (int threads : {1, cores}) {
            const auto startup =
                runHashcat(dir.path(), hashPath, {QStringLiteral("-a"), QStringLiteral("0"), tinyPath}, threads, 1);
            const auto hc = runHashcat(dir.path(), hashPath, wordlistAttack, threads, lines);
            if (hc && hc->speed > 0) {
                const double cpu = hc->cpuSeconds - (startup ? startup->cpuSeconds : 0);
                const Rates r{hc->speed, hc->cpuSeconds > 0 && cpu > 0 ? double(lines) / cpu : 0};
                hashcatRate[{0, threads}] = r;
                rows.push_back({QStringLiteral("hashcat 6 -m 16500 -a 0, reported speed"), threads, r,
                                hc->cracked ? QStringLiteral("found") : QStringLiteral("NOT FOUND")});
                rows.push_back({QStringLiteral("hashcat 6 -m 16500 -a 0, lines / whole run"), threads,
                                Rates{hc->wholeRun, 0}, QStringLiteral("incl. start-up")});
            }
        }
        runHashcat(dir.path(), hashPath, maskAttack, cores, lines); // warm-up of the -a 3 kernel
        for (int threads : {1, cores}) {
            const auto hc = runHashcat(dir.path(), hashPath, maskAttack, threads, lines);
            if (hc && hc->speed > 0) {
                hashcatRate[{1, threads}] = Rates{hc->speed, 0};
                rows.push_back({QStringLiteral("hashcat 6 -m 16500 -a 3 ?l x8, reported speed"), threads,
                                Rates{hc->speed, 0}, QStringLiteral("mask"), 1});
            }
        }
    } else {
        std::printf("hashcat not run (not installed, or TB_BENCH_CRACK_HASHCAT=0): no ratios to hashcat\n");
    }
    for (int threads : {1, cores}) {
        rows.push_back({QStringLiteral("tokenbench search, mask ?l x8, auto"), threads,
                        maskRate(target, threads, 5000000), QStringLiteral("mask, first 5M"), 1});
    }

    const auto ratio = [](double a, double b) {
        return a > 0 && b > 0 ? QStringLiteral("%1x").arg(a / b, 0, 'f', 2) : QStringLiteral("-");
    };
    std::printf("\n%-48s %7s %13s %10s %13s %10s  %s\n", "path", "threads", "cand/s", "vs hashcat", "cand/CPU-s",
                "vs hashcat", "note");
    for (const Row& r : rows) {
        const auto it = hashcatRate.find({r.attack, r.threads});
        const Rates base = it != hashcatRate.end() ? it->second : Rates{};
        std::printf("%-48s %7d %13.0f %10s %13.0f %10s  %s\n", qPrintable(r.what), r.threads, r.rate.wall,
                    qPrintable(ratio(r.rate.wall, base.wall)), r.rate.cpu, qPrintable(ratio(r.rate.cpu, base.cpu)),
                    qPrintable(r.note));
    }
    return 0;
}
