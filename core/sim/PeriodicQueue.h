#pragma once

#include <cstdint>
#include <vector>

namespace tb::sim {

// Pending events of sources that all repeat with one period (the background users' requests).
// Popping in time order and re-arming at now + period keeps a ring sorted, so the queue is a FIFO:
// O(1) pop and push, one slot per source, whatever the number of events (a per-delay-class queue).
class PeriodicQueue
{
public:
    // `firstTimes` must be sorted; source i is the i-th slot.
    PeriodicQueue(std::vector<std::int64_t> firstTimes, std::int64_t period)
        : m_times(std::move(firstTimes))
        , m_period(period)
    {}

    [[nodiscard]] bool empty() const { return m_times.empty(); }
    [[nodiscard]] std::size_t size() const { return m_times.size(); }
    [[nodiscard]] std::int64_t topTime() const { return m_times[m_head]; }

    // Takes the earliest event (its source and time) and re-arms that source one period later.
    std::uint32_t pop(std::int64_t& time)
    {
        const auto source = std::uint32_t(m_head);
        time = m_times[m_head];
        m_times[m_head] += m_period;
        m_head = m_head + 1 == m_times.size() ? 0 : m_head + 1;
        return source;
    }

private:
    std::vector<std::int64_t> m_times;
    std::int64_t m_period;
    std::size_t m_head = 0;
};

} // namespace tb::sim
