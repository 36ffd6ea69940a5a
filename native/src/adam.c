#include <math.h>
#include "kernels.h"

/*
 * Adam's update of one parameter in place: the operations of src/kernels/reference/adam.ts
 * in the same order, in double, the weight rounded once when stored (no -ffast-math, no
 * contraction), so the result is the reference's to the last bit.
 */
#define ADAM(NAME, T)                                                                          \
  void NAME(T *w, const T *gradient, double *m, double *v, size_t length, const adam_step *s) { \
    for (size_t i = 0; i < length; i++) {                                                      \
      const double g = s->decay == 0 ? (double)gradient[i] : (double)gradient[i] + s->decay * (double)w[i]; \
      const double mi = s->beta1 * m[i] + (1 - s->beta1) * g;                                  \
      const double vi = s->beta2 * v[i] + (1 - s->beta2) * g * g;                              \
      m[i] = mi;                                                                               \
      v[i] = vi;                                                                               \
      w[i] = (T)((double)w[i] - s->step_size * (mi / (sqrt(vi) * s->inverse_root2 + s->eps))); \
    }                                                                                          \
  }

ADAM(adam_f32, float)
ADAM(adam_f64, double)
