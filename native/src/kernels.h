/*
 * The native kernels, free of N-API: addon.c checks the arguments (types, lengths, bounds)
 * and calls these with pointers that are known to be valid.
 */
#ifndef MASHAGRAD_KERNELS_H
#define MASHAGRAD_KERNELS_H

#include <stdbool.h>
#include <stddef.h>

/* The operation codes of src/kernels/codes.ts (the ones implemented here). */
enum unary_code { U_NEG = 0, U_SQRT = 3, U_ABS = 4, U_RELU = 9, U_STEP = 10 };
enum binary_code {
  B_ADD = 0, B_SUB = 1, B_MUL = 2, B_DIV = 3, B_MAX = 5, B_MIN = 6,
  B_GT = 7, B_GE = 8, B_LT = 9, B_LE = 10, B_EQ = 11, B_NE = 12
};
enum reduce_code { R_SUM = 0, R_MAX = 1 };

/* A batch of products out[p] = op(a[p]) · op(b[p]), op transposing when asked (cblas ?gemm). */
typedef struct {
  size_t batch, m, k, n, a_batch_stride, b_batch_stride;
  bool trans_a, trans_b;
} gemm_dims;

void gemm_f32(const float *a, const float *b, float *out, const gemm_dims *dims);
void gemm_f64(const double *a, const double *b, double *out, const gemm_dims *dims);

/*
 * out[i·cols + j] = a[i·a_row + j·a_col] ∘ b[i·b_row + j·b_col], with a_col, b_col ∈ {0, 1}:
 * same shapes, a scalar on either side, a row or a column broadcast over a matrix.
 */
typedef struct {
  size_t rows, cols, a_row, a_col, b_row, b_col;
} binary_layout;

bool binary_supported(int code);
void binary_f32(int code, const float *a, const float *b, float *out, const binary_layout *layout);
void binary_f64(int code, const double *a, const double *b, double *out, const binary_layout *layout);

bool unary_supported(int code);
void unary_f32(int code, const float *x, float *out, size_t length);
void unary_f64(int code, const double *x, double *out, size_t length);

/*
 * x is [outer, inner]. Reducing the leading axis: out[j] = ∘ᵢ x[i, j] (a bias gradient);
 * the trailing one: out[i] = ∘ⱼ x[i, j] (softmax's row maximum). In storage order, as the
 * reference backend, so the results agree bit for bit.
 */
void reduce_f32(int code, const float *x, float *out, size_t outer, size_t inner, bool leading);
void reduce_f64(int code, const double *x, double *out, size_t outer, size_t inner, bool leading);
/* x is [outer, middle, inner]: out[m] = ∘ over outer and inner, each step in the storage type (the reference's general path). */
void reduce_middle_f32(int code, const float *x, float *out, size_t outer, size_t middle, size_t inner);
void reduce_middle_f64(int code, const double *x, double *out, size_t outer, size_t middle, size_t inner);

/* Adam's numbers for one step (src/kernels/backend.ts AdamStep). */
typedef struct {
  double beta1, beta2, step_size, inverse_root2, eps, decay;
} adam_step;

/* One Adam step over `length` weights in place; m and v are the moments (always double). */
void adam_f32(float *w, const float *gradient, double *m, double *v, size_t length, const adam_step *step);
void adam_f64(double *w, const double *gradient, double *m, double *v, size_t length, const adam_step *step);

/* biasActivation's code for "no activation" (out = x + bias); the others are unary codes. */
enum { A_NONE = -1 };

/*
 * out = act(x + bias) for x rows × cols, bias added to every row; the sum into `sums` too
 * unless it is NULL. Activations: none and relu (fused.c).
 */
bool bias_activation_supported(int code);
void bias_activation_f32(int code, const float *x, const float *bias, float *sums, float *out, size_t rows, size_t cols);
void bias_activation_f64(int code, const double *x, const double *bias, double *sums, double *out, size_t rows, size_t cols);

/* A sliding window over `planes` images h × w (N·C of them) with an out_h × out_w output (src/kernels/backend.ts ConvWindow). */
typedef struct {
  ptrdiff_t planes, h, w, kernel_h, kernel_w, stride_h, stride_w, padding_h, padding_w, dilation_h, dilation_w, out_h, out_w;
} conv_geometry;

/* im2col: x [planes, h, w] into cols [planes·kH·kW, out_h·out_w]; `fill` where a tap falls in the padding. */
void im2col_f32(const float *x, float *out, const conv_geometry *g, float fill);
void im2col_f64(const double *x, double *out, const conv_geometry *g, double fill);
/* col2im, im2col's adjoint: out [planes, h, w] overwritten with the sums of the entries read from each position. */
void col2im_f32(const float *cols, float *out, const conv_geometry *g);
void col2im_f64(const double *cols, double *out, const conv_geometry *g);
/* Max pooling: out [planes, out_h, out_w] the largest of each window (padding −∞, NaN wins). */
void max_pool_f32(const float *x, float *out, const conv_geometry *g);
void max_pool_f64(const double *x, double *out, const conv_geometry *g);
/* Its gradient: gy [planes, out_h, out_w] shared among each window's tied winners, into out [planes, h, w] (overwritten). */
void max_pool_backward_f32(const float *x, const float *gy, float *out, const conv_geometry *g);
void max_pool_backward_f64(const double *x, const double *gy, double *out, const conv_geometry *g);

#endif
