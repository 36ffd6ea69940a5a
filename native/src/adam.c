#include <math.h>
#include "kernels.h"
#include "parallel.h"

/*
 * Adam's update of one parameter in place: the operations of src/kernels/reference/adam.ts
 * in the same order, in double, the weight rounded once when stored (no -ffast-math, no
 * contraction), so the result is the reference's to the last bit. Each weight's update reads
 * and writes only its own four numbers, so the range is split over parallel_for's threads
 * with the same result.
 */
#define ADAM_RANGE(NAME, T)                                                                      \
  static void NAME(T *w, const T *gradient, double *m, double *v, size_t begin, size_t end, const adam_step *s) { \
    for (size_t i = begin; i < end; i++) {                                                      \
      const double g = s->decay == 0 ? (double)gradient[i] : (double)gradient[i] + s->decay * (double)w[i]; \
      const double mi = s->beta1 * m[i] + (1 - s->beta1) * g;                                    \
      const double vi = s->beta2 * v[i] + (1 - s->beta2) * g * g;                                \
      m[i] = mi;                                                                                 \
      v[i] = vi;                                                                                 \
      w[i] = (T)((double)w[i] - s->step_size * (mi / (sqrt(vi) * s->inverse_root2 + s->eps)));   \
    }                                                                                            \
  }

ADAM_RANGE(adam_range_f32, float)
ADAM_RANGE(adam_range_f64, double)

typedef struct {
  void *w;
  const void *gradient;
  double *m, *v;
  const adam_step *step;
} adam_job;

static void adam_chunk_f32(size_t begin, size_t end, void *context) {
  const adam_job *job = context;
  adam_range_f32(job->w, job->gradient, job->m, job->v, begin, end, job->step);
}

static void adam_chunk_f64(size_t begin, size_t end, void *context) {
  const adam_job *job = context;
  adam_range_f64(job->w, job->gradient, job->m, job->v, begin, end, job->step);
}

/* Below this many weights a chunk is not worth a thread's wake-up (tens of microseconds when the machine is busy). */
#define ADAM_MIN_CHUNK 16384

void adam_f32(float *w, const float *gradient, double *m, double *v, size_t length, const adam_step *step) {
  adam_job job = {w, gradient, m, v, step};
  parallel_for(length, ADAM_MIN_CHUNK, adam_chunk_f32, &job);
}

void adam_f64(double *w, const double *gradient, double *m, double *v, size_t length, const adam_step *step) {
  adam_job job = {w, gradient, m, v, step};
  parallel_for(length, ADAM_MIN_CHUNK, adam_chunk_f64, &job);
}
