#ifndef SWIFTLET_CPU_H
#define SWIFTLET_CPU_H
/* CPUID + XGETBV for run-time kernel dispatch. Swift has no inline assembly, so these few
 * instructions live here; the library decides what to run from the bits. */
#include <stdint.h>

/* Feature bits: */
#define SWIFTLET_CPU_AVX2 0x1u          /* AVX2 and FMA, with the OS saving YMM state */
#define SWIFTLET_CPU_AVX512 0x2u        /* AVX-512 F, BW, CD, DQ, VL (x86-64-v4), OS saves ZMM state */
#define SWIFTLET_CPU_AVX512_VNNI 0x4u
#define SWIFTLET_CPU_AVX_VNNI 0x8u
#define SWIFTLET_CPU_F16C 0x10u

/* Feature bits above, as this CPU and OS support them. */
uint32_t swl_cpu_features(void);

/* The processor brand string (48 bytes + NUL) into buf; "" when CPUID has none. */
void swl_cpu_brand(char buf[49]);

/* Asks for the cache line holding p ahead of its use (prefetcht0). Swift cannot name the
 * instruction, and the hardware prefetchers do not follow strides across 4 KiB pages, which
 * is how attention reads one head's slice of Q, K and V. */
static inline void swl_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

#endif
