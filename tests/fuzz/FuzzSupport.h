#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

// Helpers shared by the libFuzzer targets. A broken round-trip property aborts, which libFuzzer reports as a
// crash with the input saved, exactly like a sanitizer finding.

// Each target is a function tbFuzz_NAME(data, size). Built as a fuzzer (TB_FUZZ_LIBFUZZER) it is also the
// libFuzzer entry point; otherwise tst_fuzz_regressions links every target and replays the saved crash inputs
// (tests/fuzz/regressions/fuzz_NAME/) through the very same function.
#ifdef TB_FUZZ_LIBFUZZER
#define TB_FUZZ_TARGET(name)                                                                                           \
    int tbFuzz_##name(const std::uint8_t* data, std::size_t size);                                                     \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)                                  \
    {                                                                                                                  \
        return tbFuzz_##name(data, size);                                                                              \
    }                                                                                                                  \
    int tbFuzz_##name(const std::uint8_t* data, std::size_t size)
#else
#define TB_FUZZ_TARGET(name) int tbFuzz_##name(const std::uint8_t* data, std::size_t size)
#endif

#define TB_FUZZ_CHECK(cond)                                                                                            \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            std::fprintf(stderr, "fuzz property failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);                     \
            std::abort();                                                                                              \
        }                                                                                                              \
    } while (false)

// The same with a sentence to print (e.g. the tb::Error message that broke the property).
#define TB_FUZZ_CHECK_MSG(cond, message)                                                                               \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            std::fprintf(stderr, "fuzz property failed: %s (%s:%d): %s\n", #cond, __FILE__, __LINE__,                  \
                         qPrintable(message));                                                                         \
            std::abort();                                                                                              \
        }                                                                                                              \
    } while (false)

namespace tb::fuzz {

// The input as a view without a copy (the parsers take views, as the CLI hands them file bytes).
inline QByteArrayView view(const std::uint8_t* data, std::size_t size)
{
    return QByteArrayView(reinterpret_cast<const char*>(data), qsizetype(size));
}

// A deep copy: a parser that keeps a view past the call would be caught by ASan once the copy is freed.
inline QByteArray copy(const std::uint8_t* data, std::size_t size)
{
    return QByteArray(reinterpret_cast<const char*>(data), qsizetype(size));
}

} // namespace tb::fuzz
