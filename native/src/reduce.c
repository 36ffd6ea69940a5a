#include <math.h>
#include "kernels.h"

/*
 * Both directions visit x in storage order and fold each element into its output with the
 * reference backend's rule: sum starts at 0 and adds; max starts at −∞ and takes v when
 * v > current or v is NaN (NaN wins, as PyTorch's amax). No reassociation (no -ffast-math),
 * so the sums are the reference's to the last bit.
 */
#define FOLD(code, acc, v) \
  ((code) == R_SUM ? (acc) + (v) : ((v) > (acc) || (v) != (v)) ? (v) : (acc))

/* ACC: the trailing-axis accumulator; float32 sums run in double and round once, as the reference's. */
#define REDUCE(NAME, T, ACC)                                                                \
  void NAME(int code, const T *x, T *out, size_t outer, size_t inner, bool leading) {       \
    const T start = code == R_SUM ? (T)0 : (T)-INFINITY;                                    \
    if (leading) {                                                                          \
      for (size_t j = 0; j < inner; j++) out[j] = start;                                    \
      for (size_t i = 0; i < outer; i++) {                                                  \
        const T *row = x + i * inner;                                                       \
        if (code == R_SUM)                                                                  \
          for (size_t j = 0; j < inner; j++) out[j] = out[j] + row[j];                      \
        else                                                                                \
          for (size_t j = 0; j < inner; j++) out[j] = FOLD(R_MAX, out[j], row[j]);          \
      }                                                                                     \
    } else {                                                                                \
      for (size_t i = 0; i < outer; i++) {                                                  \
        const T *row = x + i * inner;                                                       \
        ACC acc = start;                                                                    \
        for (size_t j = 0; j < inner; j++) acc = FOLD(code, acc, row[j]);                   \
        out[i] = (T)acc;                                                                    \
      }                                                                                     \
    }                                                                                       \
  }

REDUCE(reduce_f32, float, double)
REDUCE(reduce_f64, double, double)

/*
 * x is [outer, middle, inner], reduced over outer and inner: out[m] = ∘ over (o, i) of
 * x[o, m, i] (a convolution's bias gradient, a sum over [N, H, W]). As the reference's general
 * path: in storage order, each step stored in the storage type, so float32 rounds every step.
 */
#define REDUCE_MIDDLE(NAME, T)                                                                \
  void NAME(int code, const T *x, T *out, size_t outer, size_t middle, size_t inner) {        \
    const T start = code == R_SUM ? (T)0 : (T)-INFINITY;                                      \
    for (size_t m = 0; m < middle; m++) out[m] = start;                                       \
    for (size_t o = 0; o < outer; o++) {                                                      \
      for (size_t m = 0; m < middle; m++) {                                                   \
        const T *row = x + (o * middle + m) * inner;                                          \
        T acc = out[m];                                                                       \
        for (size_t i = 0; i < inner; i++) acc = FOLD(code, acc, row[i]);                     \
        out[m] = acc;                                                                         \
      }                                                                                       \
    }                                                                                         \
  }

REDUCE_MIDDLE(reduce_middle_f32, float)
REDUCE_MIDDLE(reduce_middle_f64, double)
