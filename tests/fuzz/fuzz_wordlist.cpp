// Wordlists (core/audit/crack). Property: the candidates are the input's lines (LF or CRLF stripped, empty
// lines kept, over-long lines skipped and counted), and generating from any unit resumes the same sequence.
#include "FuzzSupport.h"

#include <vector>

#include "audit/crack/Candidates.h"
#include "base/Limits.h"

using namespace tb;
using namespace tb::audit::crack;

namespace {

class Collect final : public CandidateSink
{
public:
    bool add(const std::uint8_t* data, std::size_t size) override
    {
        words.emplace_back(reinterpret_cast<const char*>(data), qsizetype(size));
        return true;
    }
    std::vector<QByteArray> words;
};

// The reference split: what the wordlist reader must give.
std::vector<QByteArray> expectedLines(const QByteArray& bytes, std::uint64_t& overLong)
{
    std::vector<QByteArray> out;
    qsizetype off = 0;
    while (off < bytes.size()) {
        const qsizetype nl = bytes.indexOf('\n', off);
        const qsizetype end = nl < 0 ? bytes.size() : nl;
        QByteArray line = bytes.sliced(off, end - off);
        if (nl >= 0 && line.endsWith('\r')) {
            line.chop(1);
        }
        if (std::size_t(line.size()) > limits::maxWordlistLineBytes) {
            ++overLong;
        } else {
            out.push_back(line);
        }
        off = end + 1;
    }
    return out;
}

} // namespace

TB_FUZZ_TARGET(wordlist)
{
    QByteArray bytes = fuzz::copy(data, size);
    std::uint64_t overLong = 0;
    const std::vector<QByteArray> expected = expectedLines(bytes, overLong);

    const auto source = WordlistSource::fromBytes(bytes, VariantOptions{});
    Collect all;
    TB_FUZZ_CHECK(source->generate(0, source->units(), all));
    TB_FUZZ_CHECK(all.words == expected);
    TB_FUZZ_CHECK(source->overLongLines() == overLong);
    if (source->units() > 1) {
        const std::uint64_t from = std::uint64_t(size) % source->units();
        Collect tail;
        TB_FUZZ_CHECK(source->generate(from, source->units(), tail));
        TB_FUZZ_CHECK(tail.words.size() <= all.words.size());
        TB_FUZZ_CHECK(std::equal(tail.words.rbegin(), tail.words.rend(), all.words.rbegin()));
    }
    if (size <= 256) {
        VariantOptions rules;
        rules.rules = true;
        rules.base64 = true;
        Collect variants;
        TB_FUZZ_CHECK(WordlistSource::fromBytes(bytes, rules)->generate(0, source->units(), variants));
        TB_FUZZ_CHECK(variants.words.size() >= all.words.size());
    }
    return 0;
}
