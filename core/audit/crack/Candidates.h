#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <QByteArray>
#include <QByteArrayView>
#include <QFile>
#include <QStringList>

#include "base/Error.h"

namespace tb::audit::crack {

// Receives candidate secrets one at a time; returning false stops the generator (a hit, or a cancel).
class CandidateSink
{
public:
    virtual ~CandidateSink() = default;
    virtual bool add(const std::uint8_t* data, std::size_t size) = 0;
};

// A source of candidates split into "units" (a word with all its variants, or one mask position) that can be
// generated from any unit index: threads take ranges of units, and a search resumes at a unit.
class CandidateSource
{
public:
    virtual ~CandidateSource() = default;
    [[nodiscard]] virtual std::uint64_t units() const = 0;
    // Average candidates per unit, for the keyspace and the ETA (exact for masks and plain words).
    [[nodiscard]] virtual double candidatesPerUnit() const { return 1.0; }
    // Emits the candidates of units [begin, end) in order. Returns false when the sink asked to stop.
    virtual bool generate(std::uint64_t begin, std::uint64_t end, CandidateSink& sink) const = 0;
};

// Words -> candidates: each word as it is, plus optional variants.
struct VariantOptions
{
    bool rules = false;  // case variants, leetspeak, appended digits/years/"!" (on the word and its Capitalised form)
    bool base64 = false; // the bytes a word decodes to when it is valid base64 or base64url
};

// Calls `emit` for every variant of `word`, each once, in a fixed order; stops when emit returns false.
// The suffixes are 0-9, 00-99, 123, 1234, 12345, 123456, ! and the years 1970-2030.
bool forEachVariant(QByteArrayView word, const VariantOptions& options, CandidateSink& sink);
// How many candidates forEachVariant gives per word at most (for the keyspace estimate).
int maxVariantsPerWord(const VariantOptions& options);

// A wordlist file read as raw bytes: one candidate per line, only "\n" or "\r\n" stripped, empty lines kept
// (the empty secret is a candidate). Lines over limits::maxWordlistLineBytes are skipped and reported.
class WordlistSource final : public CandidateSource
{
public:
    static Result<std::unique_ptr<WordlistSource>> open(const QString& path, const VariantOptions& options);
    // The same over bytes in memory (the built-in list, tests).
    static std::unique_ptr<WordlistSource> fromBytes(QByteArray bytes, const VariantOptions& options);

    std::uint64_t units() const override { return m_lines; }
    double candidatesPerUnit() const override;
    bool generate(std::uint64_t begin, std::uint64_t end, CandidateSink& sink) const override;

    [[nodiscard]] std::uint64_t overLongLines() const { return m_overLong; }
    [[nodiscard]] std::uint64_t firstOverLongLine() const { return m_firstOverLong; } // 1-based, 0 when none

private:
    WordlistSource() = default;
    void index();

    static constexpr std::uint64_t kBlock = 256; // lines between saved offsets
    std::unique_ptr<QFile> m_file;
    QByteArray m_bytes; // when not mapped
    const char* m_data = nullptr;
    std::uint64_t m_size = 0;
    std::vector<std::uint64_t> m_blockStart;
    std::uint64_t m_lines = 0;
    std::uint64_t m_overLong = 0;
    std::uint64_t m_firstOverLong = 0;
    VariantOptions m_options;
};

// A fixed list of words (the built-in list, words taken from the token).
class WordsSource final : public CandidateSource
{
public:
    WordsSource(QList<QByteArray> words, const VariantOptions& options);
    std::uint64_t units() const override { return std::uint64_t(m_words.size()); }
    double candidatesPerUnit() const override;
    bool generate(std::uint64_t begin, std::uint64_t end, CandidateSink& sink) const override;

private:
    QList<QByteArray> m_words;
    VariantOptions m_options;
};

// hashcat-style mask: ?l ?u ?d ?s ?a ?b ?h ?H, ?1..?4 (custom charsets, which may use the built-in ones), ?? for
// a literal '?', any other byte literal. With an increment range, lengths min..max use the mask's first N
// positions, shortest first.
struct MaskOptions
{
    QList<QByteArray> customCharsets; // ?1..?4
    int incrementMin = 0;             // 0: no increment (only the full mask)
    int incrementMax = 0;             // 0: the mask's length
};

class MaskSource final : public CandidateSource
{
public:
    static Result<std::unique_ptr<MaskSource>> create(QByteArrayView mask, const MaskOptions& options);
    std::uint64_t units() const override { return m_total; }
    bool generate(std::uint64_t begin, std::uint64_t end, CandidateSink& sink) const override;

private:
    MaskSource() = default;
    std::vector<QByteArray> m_positions; // the charset of each position
    struct Segment
    {
        int length = 0;
        std::uint64_t first = 0; // index of its first candidate
        std::uint64_t count = 0;
    };
    std::vector<Segment> m_segments;
    std::uint64_t m_total = 0;
};

// Runs several sources one after another as one unit space.
class ChainSource final : public CandidateSource
{
public:
    void append(std::unique_ptr<CandidateSource> source);
    std::uint64_t units() const override { return m_total; }
    double candidatesPerUnit() const override;
    bool generate(std::uint64_t begin, std::uint64_t end, CandidateSink& sink) const override;

private:
    std::vector<std::unique_ptr<CandidateSource>> m_sources;
    std::vector<std::uint64_t> m_starts;
    std::uint64_t m_total = 0;
};

// Candidates taken from a token: every string value of the header and payload (kid, iss, sub, aud, ...), and
// for URL values the host, its labels and the host without its last label.
QList<QByteArray> tokenWords(QByteArrayView headerJson, QByteArrayView payloadJson);

// The built-in list of commonly used JWT secrets (resources/wordlists/jwt-secrets.txt), one per line.
QByteArrayView builtinWordlist();

} // namespace tb::audit::crack
