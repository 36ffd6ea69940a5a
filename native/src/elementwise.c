#include <math.h>
#include "kernels.h"

/*
 * Contiguous elementwise loops, one tight loop per operation and layout so the compiler
 * vectorises each (the switch on the code sits outside). Only operations that are exact in
 * IEEE arithmetic are here — + − × ÷ √, comparisons, max/min — so a float32 result equals the
 * reference's (a double result rounded once); exp, tanh and the like stay in TypeScript, whose
 * Math functions a C library need not match to the last bit (glibc's exp differs from V8's
 * Math.exp in the last bit for about one double in ten).
 */

/* Math.max / Math.min: NaN if either is NaN, and max(−0, +0) = +0, min(−0, +0) = −0. */
#define JS_MAX(x, y) ((x) != (x) || (y) != (y) ? (x) + (y) : (x) > (y) ? (x) : (y) > (x) ? (y) : signbit(x) ? (y) : (x))
#define JS_MIN(x, y) ((x) != (x) || (y) != (y) ? (x) + (y) : (x) < (y) ? (x) : (y) < (x) ? (y) : signbit(x) ? (x) : (y))

bool binary_supported(int code) {
  return code >= B_ADD && code <= B_NE && code != 4 /* pow: Math.pow is not IEEE-exact */;
}

/* One row per step; within a row each operand is contiguous (col step 1) or one value (step 0). */
#define BINARY_LOOP(T, EXPR)                                                                \
  for (size_t i = 0; i < L->rows; i++) {                                                    \
    const T *ar = a + i * L->a_row;                                                         \
    const T *br = b + i * L->b_row;                                                         \
    T *o = out + i * L->cols;                                                               \
    if (L->a_col != 0 && L->b_col != 0) {                                                   \
      for (size_t j = 0; j < L->cols; j++) { const T x = ar[j], y = br[j]; o[j] = (EXPR); } \
    } else if (L->a_col != 0) {                                                             \
      const T y = br[0];                                                                    \
      for (size_t j = 0; j < L->cols; j++) { const T x = ar[j]; o[j] = (EXPR); }            \
    } else if (L->b_col != 0) {                                                             \
      const T x = ar[0];                                                                    \
      for (size_t j = 0; j < L->cols; j++) { const T y = br[j]; o[j] = (EXPR); }            \
    } else {                                                                                \
      const T x = ar[0], y = br[0], v = (EXPR);                                             \
      for (size_t j = 0; j < L->cols; j++) o[j] = v;                                        \
    }                                                                                       \
  }                                                                                         \
  break;

#define BINARY(NAME, T)                                                         \
  void NAME(int code, const T *a, const T *b, T *out, const binary_layout *L) { \
    switch (code) {                                                             \
      case B_ADD: BINARY_LOOP(T, x + y)                                         \
      case B_SUB: BINARY_LOOP(T, x - y)                                         \
      case B_MUL: BINARY_LOOP(T, x * y)                                         \
      case B_DIV: BINARY_LOOP(T, x / y)                                         \
      case B_MAX: BINARY_LOOP(T, JS_MAX(x, y))                                  \
      case B_MIN: BINARY_LOOP(T, JS_MIN(x, y))                                  \
      case B_GT: BINARY_LOOP(T, x > y ? (T)1 : (T)0)                            \
      case B_GE: BINARY_LOOP(T, x >= y ? (T)1 : (T)0)                           \
      case B_LT: BINARY_LOOP(T, x < y ? (T)1 : (T)0)                            \
      case B_LE: BINARY_LOOP(T, x <= y ? (T)1 : (T)0)                           \
      case B_EQ: BINARY_LOOP(T, x == y ? (T)1 : (T)0)                           \
      case B_NE: BINARY_LOOP(T, x != y ? (T)1 : (T)0)                           \
      default: break;                                                           \
    }                                                                           \
  }

BINARY(binary_f32, float)
BINARY(binary_f64, double)

bool unary_supported(int code) {
  return code == U_NEG || code == U_SQRT || code == U_ABS || code == U_RELU || code == U_STEP;
}

#define UNARY_LOOP(T, EXPR) for (size_t i = 0; i < n; i++) { const T v = x[i]; out[i] = (EXPR); } break;

/* relu and step keep NaN as NaN and map −0 to 0, as the reference (and PyTorch). */
#define UNARY(NAME, T, SQRT, ABS)                                  \
  void NAME(int code, const T *x, T *out, size_t n) {              \
    switch (code) {                                                \
      case U_NEG: UNARY_LOOP(T, -v)                                \
      case U_SQRT: UNARY_LOOP(T, SQRT(v))                          \
      case U_ABS: UNARY_LOOP(T, ABS(v))                            \
      case U_RELU: UNARY_LOOP(T, v > 0 ? v : v == v ? (T)0 : v)    \
      case U_STEP: UNARY_LOOP(T, v > 0 ? (T)1 : v == v ? (T)0 : v) \
      default: break;                                              \
    }                                                              \
  }

UNARY(unary_f32, float, sqrtf, fabsf)
UNARY(unary_f64, double, sqrt, fabs)
