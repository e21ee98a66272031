// The lane-generic SHA-512/384 HMAC body, the 64-bit twin of Sha256LaneBody.h, included the same way (after the
// kernel file's `#pragma GCC target`, library-free). V is std::uint64_t or a GCC vector of them; L the lane count.
// NOLINTBEGIN

namespace {

constexpr std::uint64_t kSha512K[80] = {
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
    0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
    0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
    0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
    0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
    0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
    0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
    0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
    0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
    0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817};

constexpr std::uint64_t kSha512Iv[8] = {0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
                                        0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};
constexpr std::uint64_t kSha384Iv[8] = {0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
                                        0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4};

template <typename V>
inline __attribute__((always_inline)) V rotr64(V x, int n)
{
    return (x >> n) | (x << (64 - n));
}

template <typename V>
inline __attribute__((always_inline)) V bcast64(std::uint64_t x)
{
    V v = {};
    return v + x;
}

#define TB_SHA5_ROUND(a, b, c, d, e, f, g, h, wk)                                                                      \
    do {                                                                                                               \
        V t1 = h + (rotr64(e, 14) ^ rotr64(e, 18) ^ rotr64(e, 41)) + (g ^ (e & (f ^ g))) + (wk);                       \
        V t2 = (rotr64(a, 28) ^ rotr64(a, 34) ^ rotr64(a, 39)) + ((a & b) | (c & (a | b)));                            \
        d += t1;                                                                                                       \
        h = t1 + t2;                                                                                                   \
    } while (0)

#define TB_SHA5_8ROUNDS(W0, W1, W2, W3, W4, W5, W6, W7)                                                                \
    TB_SHA5_ROUND(a, b, c, d, e, f, g, h, W0);                                                                         \
    TB_SHA5_ROUND(h, a, b, c, d, e, f, g, W1);                                                                         \
    TB_SHA5_ROUND(g, h, a, b, c, d, e, f, W2);                                                                         \
    TB_SHA5_ROUND(f, g, h, a, b, c, d, e, W3);                                                                         \
    TB_SHA5_ROUND(e, f, g, h, a, b, c, d, W4);                                                                         \
    TB_SHA5_ROUND(d, e, f, g, h, a, b, c, W5);                                                                         \
    TB_SHA5_ROUND(c, d, e, f, g, h, a, b, W6);                                                                         \
    TB_SHA5_ROUND(b, c, d, e, f, g, h, a, W7)

template <typename V>
inline __attribute__((always_inline)) void schedule64(V* w, int t)
{
    const V w2 = w[(t - 2) & 15];
    const V w15 = w[(t - 15) & 15];
    w[t & 15] += (rotr64(w2, 19) ^ rotr64(w2, 61) ^ (w2 >> 6)) + w[(t - 7) & 15] +
                 (rotr64(w15, 1) ^ rotr64(w15, 8) ^ (w15 >> 7));
}

template <typename V>
inline __attribute__((always_inline)) void compressFull64(V* st, V* w)
{
    V a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
    for (int t = 0; t < 80; t += 8) {
        if (t >= 16) {
            for (int i = 0; i < 8; ++i) {
                schedule64(w, t + i);
            }
        }
        TB_SHA5_8ROUNDS(w[(t + 0) & 15] + kSha512K[t + 0], w[(t + 1) & 15] + kSha512K[t + 1],
                        w[(t + 2) & 15] + kSha512K[t + 2], w[(t + 3) & 15] + kSha512K[t + 3],
                        w[(t + 4) & 15] + kSha512K[t + 4], w[(t + 5) & 15] + kSha512K[t + 5],
                        w[(t + 6) & 15] + kSha512K[t + 6], w[(t + 7) & 15] + kSha512K[t + 7]);
    }
    st[0] += a, st[1] += b, st[2] += c, st[3] += d, st[4] += e, st[5] += f, st[6] += g, st[7] += h;
}

template <typename V>
inline __attribute__((always_inline)) void compressPre64(V* st, const std::uint64_t* wk)
{
    V a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
    for (int t = 0; t < 80; t += 8) {
        TB_SHA5_8ROUNDS(wk[t + 0], wk[t + 1], wk[t + 2], wk[t + 3], wk[t + 4], wk[t + 5], wk[t + 6], wk[t + 7]);
    }
    st[0] += a, st[1] += b, st[2] += c, st[3] += d, st[4] += e, st[5] += f, st[6] += g, st[7] += h;
}

// HMAC-SHA-512 (outWords 8) or HMAC-SHA-384 (outWords 6, its IV): the inner digest, truncated to outWords, is the
// outer message.
template <typename V, int L>
inline __attribute__((always_inline)) void hmacLanes64(const std::uint64_t* iv, int outWords, const std::uint64_t* wk,
                                                       int blocks, const std::uint64_t* keyWords,
                                                       std::uint64_t* digests)
{
    V w[16];
    V inner[8];
    V outer[8];
    for (int i = 0; i < 16; ++i) {
        __builtin_memcpy(&w[i], keyWords + i * L, sizeof(V));
        w[i] ^= 0x3636363636363636ull;
    }
    for (int i = 0; i < 8; ++i) {
        inner[i] = bcast64<V>(iv[i]);
        outer[i] = inner[i];
    }
    compressFull64(inner, w);
    for (int blk = 0; blk < blocks; ++blk) {
        compressPre64(inner, wk + 80 * blk);
    }
    for (int i = 0; i < 16; ++i) {
        __builtin_memcpy(&w[i], keyWords + i * L, sizeof(V));
        w[i] ^= 0x5c5c5c5c5c5c5c5cull;
    }
    compressFull64(outer, w);
    for (int i = 0; i < 16; ++i) {
        w[i] = bcast64<V>(0);
    }
    for (int i = 0; i < outWords; ++i) {
        w[i] = inner[i];
    }
    w[outWords] = bcast64<V>(0x8000000000000000ull);
    w[15] = bcast64<V>(std::uint64_t(128 + 8 * outWords) * 8);
    compressFull64(outer, w);
    for (int i = 0; i < 8; ++i) {
        __builtin_memcpy(digests + i * L, &outer[i], sizeof(V));
    }
}

#undef TB_SHA5_8ROUNDS
#undef TB_SHA5_ROUND

} // namespace

// NOLINTEND
