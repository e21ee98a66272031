// Weak-secret search speed: candidates per second on a 201-byte HS256 token (157-byte signing input, 6 SHA-256
// compressions per candidate) over a generated wordlist whose last line is the secret, for the raw OpenSSL
// primitives, each tokenbench kernel (one thread and all threads) and hashcat -m 16500 on the CPU (PoCL) in the
// same run when it is installed, for the wordlist (-a 0) and a ?l x8 mask (-a 3). Prints figures and ratios;
// asserts nothing.
//   TB_BENCH_CRACK_LINES (default 5000000), TB_BENCH_CRACK_HASHCAT=0 to skip hashcat.
#include <chrono>
#include <cstdio>
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

// The token of ../shared/bench/peers-crack/gen_crack.py (same header, payload and secret).
QByteArray benchToken(const QByteArray& secret)
{
    const QByteArray si = tb::jose::base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})") + '.' +
                          tb::jose::base64UrlEncode(R"({"sub":"user-4711","name":"Ada Lovelace","role":"admin",)"
                                                    R"("iat":1767225600,"exp":1767229200})");
    return si + '.' + tb::jose::base64UrlEncode(crack::referenceHmac(crack::HmacAlg::HS256, secret, si).value());
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

struct Row
{
    QString what;
    int threads = 1;
    double rate = 0;
    QString note;
    int attack = 0; // the hashcat attack it compares with: 0 wordlist, 1 mask
};

// Raw OpenSSL: one EVP_Q_mac per candidate (fetch and context every time).
double oneShotRate(const QByteArray& si, const QList<QByteArray>& words)
{
    unsigned char out[32];
    std::size_t len = 0;
    const auto t0 = Clock::now();
    for (const QByteArray& w : words) {
        EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, w.constData(), std::size_t(w.size()),
                  reinterpret_cast<const unsigned char*>(si.constData()), std::size_t(si.size()), out, sizeof out,
                  &len);
    }
    return double(words.size()) / secondsSince(t0);
}

// Raw OpenSSL: one EVP_MAC context re-keyed per candidate.
double reusedMacRate(const QByteArray& si, const QList<QByteArray>& words)
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
    for (const QByteArray& w : words) {
        EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(w.constData()), std::size_t(w.size()), nullptr);
        EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(si.constData()), std::size_t(si.size()));
        EVP_MAC_final(ctx, out, &len, sizeof out);
    }
    const double rate = double(words.size()) / secondsSince(t0);
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    return rate;
}

// A kernel alone on fixed keys (no candidate generation): the ceiling for the search on one thread.
double kernelOnlyRate(const crack::Target& target, crack::KernelKind kind)
{
    const crack::Sha256Kernel k = crack::sha256Kernel(kind);
    const crack::Sha256Plan plan = crack::makeSha256Plan(target.signingInput);
    std::vector<std::uint32_t> keys(16 * std::size_t(k.lanes), 0x61626364u);
    std::vector<std::uint32_t> out(8 * std::size_t(k.lanes));
    std::uint64_t done = 0;
    const auto t0 = Clock::now();
    while (secondsSince(t0) < 1.0) {
        for (int i = 0; i < 256; ++i) {
            keys[0] += 1;
            k.fn(plan.wk.data(), plan.blocks, keys.data(), out.data());
        }
        done += 256 * std::uint64_t(k.lanes);
    }
    return double(done) / secondsSince(t0);
}

// The whole tokenbench search (wordlist read from the file, candidates batched into the kernel).
std::optional<double> engineRate(const crack::Target& target, const QString& path, crack::KernelKind kind, int threads,
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
    auto r = crack::search(target, **source, o);
    if (!r) {
        return std::nullopt;
    }
    *found = r->found;
    return double(r->candidates) / r->seconds;
}

double maskRate(const crack::Target& target, int threads, std::uint64_t maxUnits)
{
    auto mask = crack::MaskSource::create("?l?l?l?l?l?l?l?l", {});
    crack::SearchOptions o;
    o.threads = threads;
    o.maxUnits = maxUnits;
    auto r = crack::search(target, **mask, o);
    return r ? double(r->candidates) / r->seconds : 0;
}

// hashcat's reported speed (median of its running-state status samples, summed over devices) and whole-run rate.
struct HashcatRun
{
    double speed = 0;
    double wholeRun = 0;
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
    if (threads == 1 && !taskset.isEmpty()) {
        args.prepend(hashcat);
        args.prepend(QStringLiteral("1"));
        args.prepend(QStringLiteral("-c"));
        p.start(taskset, args);
    } else {
        p.start(hashcat, args);
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
            rows.push_back({what, threads, 0, QStringLiteral("not supported by this CPU")});
            return;
        }
        bool found = false;
        const auto rate = engineRate(target, listPath, kind, threads, maxUnits, &found);
        rows.push_back({what, threads, rate.value_or(0),
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

    // hashcat's reported speed per (attack, threads): the baseline of the ratio column.
    std::map<std::pair<int, int>, double> hashcatSpeed;
    const bool haveHashcat = withHashcat && !QStandardPaths::findExecutable(QStringLiteral("hashcat")).isEmpty();
    if (haveHashcat) {
        std::printf("running hashcat -m 16500 on the CPU (the first run builds its OpenCL kernels)...\n");
        std::fflush(stdout);
        const QStringList wordlistAttack = {QStringLiteral("-a"), QStringLiteral("0"), listPath};
        const QStringList maskAttack = {QStringLiteral("-a"), QStringLiteral("3"), QStringLiteral("--runtime"),
                                        QStringLiteral("10"), QStringLiteral("?l?l?l?l?l?l?l?l")};
        runHashcat(dir.path(), hashPath, wordlistAttack, cores, lines); // warm-up: kernel build and cache
        for (int threads : {1, cores}) {
            const auto hc = runHashcat(dir.path(), hashPath, wordlistAttack, threads, lines);
            if (hc && hc->speed > 0) {
                hashcatSpeed[{0, threads}] = hc->speed;
                rows.push_back({QStringLiteral("hashcat 6 -m 16500 -a 0, reported speed"), threads, hc->speed,
                                hc->cracked ? QStringLiteral("found") : QStringLiteral("NOT FOUND")});
                rows.push_back({QStringLiteral("hashcat 6 -m 16500 -a 0, lines / whole run"), threads, hc->wholeRun,
                                QStringLiteral("incl. start-up")});
            }
        }
        runHashcat(dir.path(), hashPath, maskAttack, cores, lines); // warm-up of the -a 3 kernel
        for (int threads : {1, cores}) {
            const auto hc = runHashcat(dir.path(), hashPath, maskAttack, threads, lines);
            if (hc && hc->speed > 0) {
                hashcatSpeed[{1, threads}] = hc->speed;
                rows.push_back({QStringLiteral("hashcat 6 -m 16500 -a 3 ?l x8, reported speed"), threads, hc->speed,
                                QStringLiteral("mask"), 1});
            }
        }
    } else {
        std::printf("hashcat not run (not installed, or TB_BENCH_CRACK_HASHCAT=0): no ratios to hashcat\n");
    }
    for (int threads : {1, cores}) {
        rows.push_back({QStringLiteral("tokenbench search, mask ?l x8, auto"), threads,
                        maskRate(target, threads, 5000000), QStringLiteral("mask, first 5M"), 1});
    }

    std::printf("\n%-48s %7s %14s %12s  %s\n", "path", "threads", "candidates/s", "vs hashcat", "note");
    for (const Row& r : rows) {
        const auto hc = hashcatSpeed.find({r.attack, r.threads});
        const QString ratio = hc != hashcatSpeed.end() && r.rate > 0
                                  ? QStringLiteral("%1x").arg(r.rate / hc->second, 0, 'f', 2)
                                  : QStringLiteral("-");
        std::printf("%-48s %7d %14.0f %12s  %s\n", qPrintable(r.what), r.threads, r.rate, qPrintable(ratio),
                    qPrintable(r.note));
    }
    return 0;
}
