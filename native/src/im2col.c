#include <math.h>
#include <stddef.h>
#include "kernels.h"

/*
 * im2col and col2im in the reference's order (src/kernels/reference/im2col.ts): they only move
 * numbers (col2im adds them in the same order), so the results are the reference's bit for bit.
 */

/* The output positions q whose input column q·stride − padding + offset lies in [0, width): [first, end). */
static void inside_columns(ptrdiff_t offset, ptrdiff_t stride, ptrdiff_t padding, ptrdiff_t width, ptrdiff_t out_width,
                           ptrdiff_t *first, ptrdiff_t *end) {
  const ptrdiff_t start = offset - padding;
  const ptrdiff_t f = start >= 0 ? 0 : (-start + stride - 1) / stride;
  /* One past the last q with q·stride ≤ width − 1 − start (0 when there is none). */
  const ptrdiff_t after = width - 1 - start < 0 ? 0 : (width - 1 - start) / stride + 1;
  const ptrdiff_t e = f > after ? f : after;
  *first = f < out_width ? f : out_width;
  *end = e < out_width ? e : out_width;
}

#define IM2COL(NAME, T)                                                                                  \
  void NAME(const T *x, T *out, const conv_geometry *g, T fill) {                                        \
    const ptrdiff_t h = g->h, w = g->w, oH = g->out_h, oW = g->out_w;                                    \
    T *o = out;                                                                                          \
    for (ptrdiff_t plane_index = 0; plane_index < g->planes; plane_index++) {                            \
      const T *plane = x + plane_index * h * w;                                                          \
      for (ptrdiff_t i = 0; i < g->kernel_h; i++) {                                                      \
        for (ptrdiff_t j = 0; j < g->kernel_w; j++) {                                                    \
          ptrdiff_t first, end;                                                                          \
          inside_columns(j * g->dilation_w, g->stride_w, g->padding_w, w, oW, &first, &end);             \
          for (ptrdiff_t p = 0; p < oH; p++, o += oW) {                                                  \
            const ptrdiff_t row = p * g->stride_h - g->padding_h + i * g->dilation_h;                    \
            if (row < 0 || row >= h) {                                                                   \
              for (ptrdiff_t q = 0; q < oW; q++) o[q] = fill;                                            \
              continue;                                                                                  \
            }                                                                                            \
            for (ptrdiff_t q = 0; q < first; q++) o[q] = fill;                                           \
            for (ptrdiff_t q = end; q < oW; q++) o[q] = fill;                                            \
            const T *from = plane + row * w + first * g->stride_w + j * g->dilation_w - g->padding_w;    \
            if (g->stride_w == 1)                                                                        \
              for (ptrdiff_t q = first; q < end; q++) o[q] = from[q - first];                            \
            else                                                                                         \
              for (ptrdiff_t q = first; q < end; q++) o[q] = from[(q - first) * g->stride_w];            \
          }                                                                                              \
        }                                                                                                \
      }                                                                                                  \
    }                                                                                                    \
  }

#define COL2IM(NAME, T)                                                                                  \
  void NAME(const T *cols, T *out, const conv_geometry *g) {                                             \
    const ptrdiff_t h = g->h, w = g->w, oH = g->out_h, oW = g->out_w;                                    \
    for (ptrdiff_t k = 0; k < g->planes * h * w; k++) out[k] = 0;                                        \
    const T *c = cols;                                                                                   \
    for (ptrdiff_t plane_index = 0; plane_index < g->planes; plane_index++) {                            \
      T *plane = out + plane_index * h * w;                                                              \
      for (ptrdiff_t i = 0; i < g->kernel_h; i++) {                                                      \
        for (ptrdiff_t j = 0; j < g->kernel_w; j++) {                                                    \
          ptrdiff_t first, end;                                                                          \
          inside_columns(j * g->dilation_w, g->stride_w, g->padding_w, w, oW, &first, &end);             \
          for (ptrdiff_t p = 0; p < oH; p++, c += oW) {                                                  \
            const ptrdiff_t row = p * g->stride_h - g->padding_h + i * g->dilation_h;                    \
            if (row < 0 || row >= h) continue;                                                           \
            T *to = plane + row * w + first * g->stride_w + j * g->dilation_w - g->padding_w;            \
            for (ptrdiff_t q = first; q < end; q++) to[(q - first) * g->stride_w] += c[q];               \
          }                                                                                              \
        }                                                                                                \
      }                                                                                                  \
    }                                                                                                    \
  }

IM2COL(im2col_f32, float)
IM2COL(im2col_f64, double)
COL2IM(col2im_f32, float)
COL2IM(col2im_f64, double)

/*
 * Max pooling read straight from the image (src/kernels/reference/pooling.ts, the same rule and
 * order): the largest value of each window, padding −∞, NaN winning; the gradient shared among
 * tied winners (gy/count rounded to T, then added: the reference's float32 rounding), a NaN
 * maximum giving NaN to every input of its window, a non-finite gy NaN to the losers (0·gy).
 */
#define WINDOW_MAX(T)                                                                                    \
  const ptrdiff_t top = p * g->stride_h - g->padding_h, left = q * g->stride_w - g->padding_w;           \
  T best = (T)-INFINITY;                                                                                 \
  ptrdiff_t winner = -1, count = 0;                                                                      \
  for (ptrdiff_t i = 0; i < g->kernel_h; i++) {                                                          \
    const ptrdiff_t row = top + i * g->dilation_h;                                                       \
    const bool inside = row >= 0 && row < h;                                                             \
    for (ptrdiff_t j = 0; j < g->kernel_w; j++) {                                                        \
      const ptrdiff_t col = left + j * g->dilation_w;                                                    \
      const ptrdiff_t at = inside && col >= 0 && col < w ? row * w + col : -1;                           \
      const T v = at < 0 ? (T)-INFINITY : plane[at];                                                     \
      if (v > best || v != v) {                                                                          \
        best = v;                                                                                        \
        winner = at;                                                                                     \
        count = v == v ? 1 : 0;                                                                          \
      } else if (v == best) {                                                                            \
        count++;                                                                                         \
      }                                                                                                  \
    }                                                                                                    \
  }

/*
 * The common window, 2×2 with stride 2, no padding and no dilation (every window inside the
 * image, none overlapping), without the general loop's bounds checks and counters per tap:
 * the same rule (STEP: larger wins, NaN wins) and the same sums (0 + the share, as the general
 * path adds the share onto a zeroed gradient, so −0 shares give +0 there too).
 */
/* Selects, not branches: random data makes every comparison a coin toss for the branch predictor. */
#define STEP(v) best = (((v) > best) | ((v) != (v))) ? (v) : best
static bool pool_is_2x2(const conv_geometry *g) {
  return g->kernel_h == 2 && g->kernel_w == 2 && g->stride_h == 2 && g->stride_w == 2 && g->padding_h == 0 && g->padding_w == 0 &&
         g->dilation_h == 1 && g->dilation_w == 1;
}

#define MAX_POOL_2X2(NAME, T)                                                                            \
  static void NAME(const T *x, T *out, const conv_geometry *g) {                                         \
    const ptrdiff_t h = g->h, w = g->w, oH = g->out_h, oW = g->out_w;                                    \
    T *o = out;                                                                                          \
    for (ptrdiff_t plane_index = 0; plane_index < g->planes; plane_index++) {                            \
      const T *plane = x + plane_index * h * w;                                                          \
      for (ptrdiff_t p = 0; p < oH; p++) {                                                               \
        const T *r0 = plane + 2 * p * w, *r1 = r0 + w;                                                   \
        for (ptrdiff_t q = 0; q < oW; q++) {                                                             \
          T best = (T)-INFINITY;                                                                         \
          STEP(r0[2 * q]); STEP(r0[2 * q + 1]); STEP(r1[2 * q]); STEP(r1[2 * q + 1]);                    \
          *o++ = best;                                                                                   \
        }                                                                                                \
      }                                                                                                  \
    }                                                                                                    \
  }

/* A cell's gradient: the share where it ties the best (every cell when the best is NaN: count 0), else the loser's 0·gy. */
#define CELL(T, v) ((T)0 + (((count == 0) | ((v) == best)) ? share : loser))
#define MAX_POOL_BACKWARD_2X2(NAME, T)                                                                   \
  static void NAME(const T *x, const T *gy, T *out, const conv_geometry *g) {                            \
    const ptrdiff_t h = g->h, w = g->w, oH = g->out_h, oW = g->out_w;                                    \
    /* Odd sizes leave a last row or column no window reads: its gradient is 0. */                       \
    if (h != 2 * oH || w != 2 * oW)                                                                      \
      for (ptrdiff_t k = 0; k < g->planes * h * w; k++) out[k] = 0;                                      \
    const T *d = gy;                                                                                     \
    for (ptrdiff_t plane_index = 0; plane_index < g->planes; plane_index++) {                            \
      const T *plane = x + plane_index * h * w;                                                          \
      T *gx = out + plane_index * h * w;                                                                 \
      for (ptrdiff_t p = 0; p < oH; p++) {                                                               \
        const T *r0 = plane + 2 * p * w, *r1 = r0 + w;                                                   \
        T *g0 = gx + 2 * p * w, *g1 = g0 + w;                                                            \
        for (ptrdiff_t q = 0; q < oW; q++, d++) {                                                        \
          const T a = r0[2 * q], b = r0[2 * q + 1], c = r1[2 * q], e = r1[2 * q + 1];                    \
          T best = (T)-INFINITY;                                                                         \
          STEP(a); STEP(b); STEP(c); STEP(e);                                                            \
          const int count = (a == best) + (b == best) + (c == best) + (e == best);                       \
          const T share = count == 0 ? (T)NAN : *d / (T)count;                                           \
          const T loser = *d * 0;                                                                        \
          g0[2 * q] = CELL(T, a); g0[2 * q + 1] = CELL(T, b); g1[2 * q] = CELL(T, c); g1[2 * q + 1] = CELL(T, e);    \
        }                                                                                                \
      }                                                                                                  \
    }                                                                                                    \
  }

MAX_POOL_2X2(max_pool_f32_2x2, float)
MAX_POOL_2X2(max_pool_f64_2x2, double)
MAX_POOL_BACKWARD_2X2(max_pool_backward_f32_2x2, float)
MAX_POOL_BACKWARD_2X2(max_pool_backward_f64_2x2, double)

#define MAX_POOL(NAME, T)                                                                                \
  void NAME(const T *x, T *out, const conv_geometry *g) {                                                \
    if (pool_is_2x2(g)) { NAME##_2x2(x, out, g); return; }                                                  \
    const ptrdiff_t h = g->h, w = g->w;                                                                  \
    T *o = out;                                                                                          \
    for (ptrdiff_t plane_index = 0; plane_index < g->planes; plane_index++) {                            \
      const T *plane = x + plane_index * h * w;                                                          \
      for (ptrdiff_t p = 0; p < g->out_h; p++) {                                                         \
        for (ptrdiff_t q = 0; q < g->out_w; q++) {                                                       \
          WINDOW_MAX(T)                                                                                  \
          (void)winner;                                                                                  \
          (void)count;                                                                                   \
          *o++ = best;                                                                                   \
        }                                                                                                \
      }                                                                                                  \
    }                                                                                                    \
  }

#define MAX_POOL_BACKWARD(NAME, T)                                                                       \
  void NAME(const T *x, const T *gy, T *out, const conv_geometry *g) {                                   \
    if (pool_is_2x2(g)) { NAME##_2x2(x, gy, out, g); return; }                                              \
    const ptrdiff_t h = g->h, w = g->w;                                                                  \
    for (ptrdiff_t k = 0; k < g->planes * h * w; k++) out[k] = 0;                                        \
    const T *d = gy;                                                                                     \
    for (ptrdiff_t plane_index = 0; plane_index < g->planes; plane_index++) {                            \
      const T *plane = x + plane_index * h * w;                                                          \
      T *gx = out + plane_index * h * w;                                                                 \
      for (ptrdiff_t p = 0; p < g->out_h; p++) {                                                         \
        for (ptrdiff_t q = 0; q < g->out_w; q++, d++) {                                                  \
          WINDOW_MAX(T)                                                                                  \
          const T share = count == 0 ? (T)NAN : *d / (T)count;                                           \
          const T loser = *d * 0;                                                                        \
          if (count == 1 && loser == 0) {                                                                \
            if (winner >= 0) gx[winner] += share;                                                        \
            continue;                                                                                    \
          }                                                                                              \
          for (ptrdiff_t i = 0; i < g->kernel_h; i++) {                                                  \
            const ptrdiff_t row = top + i * g->dilation_h;                                               \
            if (row < 0 || row >= h) continue;                                                           \
            for (ptrdiff_t j = 0; j < g->kernel_w; j++) {                                                \
              const ptrdiff_t col = left + j * g->dilation_w;                                            \
              if (col >= 0 && col < w) gx[row * w + col] += count == 0 || plane[row * w + col] == best ? share : loser; \
            }                                                                                            \
          }                                                                                              \
        }                                                                                                \
      }                                                                                                  \
    }                                                                                                    \
  }

MAX_POOL(max_pool_f32, float)
MAX_POOL(max_pool_f64, double)
MAX_POOL_BACKWARD(max_pool_backward_f32, float)
MAX_POOL_BACKWARD(max_pool_backward_f64, double)
