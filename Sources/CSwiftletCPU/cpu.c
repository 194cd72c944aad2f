#include "swiftlet_cpu.h"
#include <cpuid.h>
#include <string.h>

static uint64_t xgetbv0(void) {
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

uint32_t swl_cpu_features(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, f16c = (c >> 29) & 1;
    if (!osxsave || !avx) return 0;
    const uint64_t xcr0 = xgetbv0();
    const int ymm = (xcr0 & 0x6) == 0x6;          /* SSE + AVX state */
    const int zmm = (xcr0 & 0xe6) == 0xe6;        /* + opmask, ZMM_Hi256, Hi16_ZMM */
    uint32_t out = 0;
    if (ymm && f16c) out |= SWIFTLET_CPU_F16C;
    unsigned maxLeaf = __get_cpuid_max(0, 0);
    if (maxLeaf < 7) return out;
    __cpuid_count(7, 0, a, b, c, d);
    const int avx2 = (b >> 5) & 1;
    if (ymm && avx2 && fma) out |= SWIFTLET_CPU_AVX2;
    const int f = (b >> 16) & 1, dq = (b >> 17) & 1, cd = (b >> 28) & 1, bw = (b >> 30) & 1, vl = (b >> 31) & 1;
    if ((out & SWIFTLET_CPU_AVX2) && zmm && f && dq && cd && bw && vl) {
        out |= SWIFTLET_CPU_AVX512;
        if ((c >> 11) & 1) out |= SWIFTLET_CPU_AVX512_VNNI;
    }
    __cpuid_count(7, 1, a, b, c, d);
    if ((out & SWIFTLET_CPU_AVX2) && ((a >> 4) & 1)) out |= SWIFTLET_CPU_AVX_VNNI;
    return out;
}

void swl_cpu_brand(char buf[49]) {
    unsigned regs[12];
    memset(buf, 0, 49);
    if (__get_cpuid_max(0x80000000u, 0) < 0x80000004u) return;
    for (unsigned i = 0; i < 3; i++)
        __cpuid(0x80000002u + i, regs[4 * i], regs[4 * i + 1], regs[4 * i + 2], regs[4 * i + 3]);
    memcpy(buf, regs, 48);
}
