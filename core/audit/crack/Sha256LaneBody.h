// The lane-generic SHA-256/HMAC body. Included by each kernel file after its `#pragma GCC target`, so it uses
// no library calls: nothing compiled here for a wider instruction set can leak into generic code through a
// shared inline function. V is std::uint32_t or a GCC vector of them; L is the lane count.
// NOLINTBEGIN

namespace {

constexpr std::uint32_t kSha256K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t kSha256Iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

template <typename V>
inline __attribute__((always_inline)) V rotr(V x, int n)
{
    return (x >> n) | (x << (32 - n));
}

template <typename V>
inline __attribute__((always_inline)) V bcast(std::uint32_t x)
{
    V v = {};
    return v + x;
}

#define TB_SHA_ROUND(a, b, c, d, e, f, g, h, wk)                                                                       \
    do {                                                                                                               \
        V t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + (g ^ (e & (f ^ g))) + (wk);                              \
        V t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) | (c & (a | b)));                                   \
        d += t1;                                                                                                       \
        h = t1 + t2;                                                                                                   \
    } while (0)

#define TB_SHA_8ROUNDS(W0, W1, W2, W3, W4, W5, W6, W7)                                                                 \
    TB_SHA_ROUND(a, b, c, d, e, f, g, h, W0);                                                                          \
    TB_SHA_ROUND(h, a, b, c, d, e, f, g, W1);                                                                          \
    TB_SHA_ROUND(g, h, a, b, c, d, e, f, W2);                                                                          \
    TB_SHA_ROUND(f, g, h, a, b, c, d, e, W3);                                                                          \
    TB_SHA_ROUND(e, f, g, h, a, b, c, d, W4);                                                                          \
    TB_SHA_ROUND(d, e, f, g, h, a, b, c, W5);                                                                          \
    TB_SHA_ROUND(c, d, e, f, g, h, a, b, W6);                                                                          \
    TB_SHA_ROUND(b, c, d, e, f, g, h, a, W7)

template <typename V>
inline __attribute__((always_inline)) void schedule(V* w, int t)
{
    const V w2 = w[(t - 2) & 15];
    const V w15 = w[(t - 15) & 15];
    w[t & 15] +=
        (rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >> 10)) + w[(t - 7) & 15] + (rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >> 3));
}

// One compression with the schedule computed here; `w` holds the 16 message words and is clobbered.
template <typename V>
inline __attribute__((always_inline)) void compressFull(V* st, V* w)
{
    V a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
    TB_SHA_8ROUNDS(w[0] + kSha256K[0], w[1] + kSha256K[1], w[2] + kSha256K[2], w[3] + kSha256K[3], w[4] + kSha256K[4],
                   w[5] + kSha256K[5], w[6] + kSha256K[6], w[7] + kSha256K[7]);
    TB_SHA_8ROUNDS(w[8] + kSha256K[8], w[9] + kSha256K[9], w[10] + kSha256K[10], w[11] + kSha256K[11],
                   w[12] + kSha256K[12], w[13] + kSha256K[13], w[14] + kSha256K[14], w[15] + kSha256K[15]);
    for (int t = 16; t < 64; t += 8) {
        for (int i = 0; i < 8; ++i) {
            schedule(w, t + i);
        }
        TB_SHA_8ROUNDS(w[(t + 0) & 15] + kSha256K[t + 0], w[(t + 1) & 15] + kSha256K[t + 1],
                       w[(t + 2) & 15] + kSha256K[t + 2], w[(t + 3) & 15] + kSha256K[t + 3],
                       w[(t + 4) & 15] + kSha256K[t + 4], w[(t + 5) & 15] + kSha256K[t + 5],
                       w[(t + 6) & 15] + kSha256K[t + 6], w[(t + 7) & 15] + kSha256K[t + 7]);
    }
    st[0] += a, st[1] += b, st[2] += c, st[3] += d, st[4] += e, st[5] += f, st[6] += g, st[7] += h;
}

// One compression of a constant block whose schedule (plus K) was computed once per token.
template <typename V>
inline __attribute__((always_inline)) void compressPre(V* st, const std::uint32_t* wk)
{
    V a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
    for (int t = 0; t < 64; t += 8) {
        TB_SHA_8ROUNDS(wk[t + 0], wk[t + 1], wk[t + 2], wk[t + 3], wk[t + 4], wk[t + 5], wk[t + 6], wk[t + 7]);
    }
    st[0] += a, st[1] += b, st[2] += c, st[3] += d, st[4] += e, st[5] += f, st[6] += g, st[7] += h;
}

template <typename V, int L>
inline __attribute__((always_inline)) void hmacLanes(const std::uint32_t* wk, int blocks, const std::uint32_t* keyWords,
                                                     std::uint32_t* digests)
{
    V w[16];
    V inner[8];
    V outer[8];
    for (int i = 0; i < 16; ++i) {
        __builtin_memcpy(&w[i], keyWords + i * L, sizeof(V));
        w[i] ^= 0x36363636u;
    }
    for (int i = 0; i < 8; ++i) {
        inner[i] = bcast<V>(kSha256Iv[i]);
        outer[i] = inner[i];
    }
    compressFull(inner, w);
    for (int blk = 0; blk < blocks; ++blk) {
        compressPre(inner, wk + 64 * blk);
    }
    for (int i = 0; i < 16; ++i) {
        __builtin_memcpy(&w[i], keyWords + i * L, sizeof(V));
        w[i] ^= 0x5c5c5c5cu;
    }
    compressFull(outer, w);
    for (int i = 0; i < 8; ++i) {
        w[i] = inner[i];
    }
    w[8] = bcast<V>(0x80000000u);
    for (int i = 9; i < 15; ++i) {
        w[i] = bcast<V>(0);
    }
    w[15] = bcast<V>((64 + 32) * 8);
    compressFull(outer, w);
    for (int i = 0; i < 8; ++i) {
        __builtin_memcpy(digests + i * L, &outer[i], sizeof(V));
    }
}

#undef TB_SHA_8ROUNDS
#undef TB_SHA_ROUND

} // namespace

// NOLINTEND
