#include <cblas.h>
#include <string.h>
#include "kernels.h"

/*
 * Row-major cblas ?gemm per batch entry. A stored transposed is [k, m] with leading dimension
 * m (likewise B: [n, k], leading dimension k), which is exactly BLAS's transa/transb.
 */
#define GEMM(NAME, T, CBLAS)                                                                  \
  void NAME(const T *a, const T *b, T *out, const gemm_dims *d) {                             \
    const size_t mn = d->m * d->n;                                                            \
    if (mn == 0 || d->batch == 0) return;                                                     \
    if (d->k == 0) { /* an empty sum: BLAS would leave out untouched (β = 0 scales it) */     \
      memset(out, 0, d->batch * mn * sizeof(T));                                              \
      return;                                                                                 \
    }                                                                                         \
    const int lda = (int)(d->trans_a ? d->m : d->k);                                          \
    const int ldb = (int)(d->trans_b ? d->k : d->n);                                          \
    for (size_t p = 0; p < d->batch; p++) {                                                   \
      CBLAS(CblasRowMajor, d->trans_a ? CblasTrans : CblasNoTrans,                            \
            d->trans_b ? CblasTrans : CblasNoTrans, (int)d->m, (int)d->n, (int)d->k, 1,       \
            a + p * d->a_batch_stride, lda, b + p * d->b_batch_stride, ldb, 0,                \
            out + p * mn, (int)d->n);                                                         \
    }                                                                                         \
  }

GEMM(gemm_f32, float, cblas_sgemm)
GEMM(gemm_f64, double, cblas_dgemm)
