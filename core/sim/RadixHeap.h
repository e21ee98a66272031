#pragma once

#include <bit>
#include <cstdint>
#include <limits>
#include <vector>

namespace tb::sim {

// Monotone priority queue for a discrete-event clock (keys never go below the last popped key).
// Push is O(1), pop is amortised O(log range); much faster than a binary heap for large event counts.
template <typename Item>
class RadixHeap
{
public:
    void push(std::uint64_t key, Item item)
    {
        m_buckets[bucketOf(key)].push_back({key, item});
        ++m_size;
    }

    [[nodiscard]] bool empty() const { return m_size == 0; }
    [[nodiscard]] std::size_t size() const { return m_size; }

    // Smallest key; only valid when !empty(). Refills bucket 0 as needed.
    std::uint64_t topKey()
    {
        refill();
        return m_last;
    }

    Item pop(std::uint64_t& key)
    {
        refill();
        auto& b = m_buckets[0];
        const Entry e = b.back();
        b.pop_back();
        --m_size;
        key = e.key;
        return e.item;
    }

private:
    struct Entry
    {
        std::uint64_t key;
        Item item;
    };

    int bucketOf(std::uint64_t key) const { return key == m_last ? 0 : 64 - std::countl_zero(key ^ m_last); }

    void refill()
    {
        if (!m_buckets[0].empty()) {
            return;
        }
        int i = 1;
        while (m_buckets[std::size_t(i)].empty()) {
            ++i;
        }
        auto& src = m_buckets[std::size_t(i)];
        std::uint64_t minKey = std::numeric_limits<std::uint64_t>::max();
        for (const Entry& e : src) {
            minKey = e.key < minKey ? e.key : minKey;
        }
        m_last = minKey;
        for (const Entry& e : src) {
            m_buckets[std::size_t(bucketOf(e.key))].push_back(e);
        }
        src.clear();
    }

    std::vector<Entry> m_buckets[65];
    std::uint64_t m_last = 0;
    std::size_t m_size = 0;
};

} // namespace tb::sim
