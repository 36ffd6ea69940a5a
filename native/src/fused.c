#include "kernels.h"

/*
 * out = act(x + bias) for x rows × cols and bias cols long, the sum also stored into `sums`
 * unless it is NULL: a layer's bias add and relu in one pass. The definition is the reference
 * backend's (src/kernels/reference/fused.ts); only the exact activations are here, and
 * a float sum is the correctly rounded one, so the results agree bit for bit.
 */

bool bias_activation_supported(int code) {
  return code == A_NONE || code == U_RELU;
}

/* relu keeps NaN and maps −0 to 0, as the reference (and the unary kernel here). */
#define RELU(T, z) ((z) > 0 ? (z) : (z) == (z) ? (T)0 : (z))

#define BIAS_LOOP(T, ACT)                                                     \
  for (size_t i = 0; i < rows; i++) {                                         \
    const T *xr = x + i * cols;                                               \
    T *o = out + i * cols;                                                    \
    if (sums != NULL) {                                                       \
      T *s = sums + i * cols;                                                 \
      for (size_t j = 0; j < cols; j++) { const T z = xr[j] + bias[j]; s[j] = z; o[j] = (ACT); } \
    } else {                                                                  \
      for (size_t j = 0; j < cols; j++) { const T z = xr[j] + bias[j]; o[j] = (ACT); } \
    }                                                                         \
  }

#define BIAS_ACTIVATION(NAME, T)                                                                          \
  void NAME(int code, const T *x, const T *bias, T *sums, T *out, size_t rows, size_t cols) {            \
    if (code == U_RELU) {                                                                                 \
      BIAS_LOOP(T, RELU(T, z))                                                                            \
    } else {                                                                                              \
      BIAS_LOOP(T, z)                                                                                     \
    }                                                                                                     \
  }

BIAS_ACTIVATION(bias_activation_f32, float)
BIAS_ACTIVATION(bias_activation_f64, double)
