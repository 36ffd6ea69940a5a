/*
 * The N-API surface of the native backend (src/kernels/native/index.ts calls it).
 * Every export takes Float32Array/Float64Array arguments without copying (the pointers of
 * napi_get_typedarray_info are valid for the call: nothing here calls back into JavaScript)
 * and checks every index it will touch against the arrays' lengths before any kernel runs,
 * so a wrong call throws instead of corrupting memory.
 */
#include <cblas.h>
#include <node_api.h>
#include <stdio.h>
#include <stdint.h>
#include "kernels.h"
#include "parallel.h"

#define MAX_ARGS 11

typedef struct {
  napi_typedarray_type type;
  void *data;
  size_t length;
} floats;

/* Throw (unless a call already threw) and make the export return undefined. */
#define CHECK(env, ok, message)                                      \
  do {                                                               \
    if (!(ok)) {                                                     \
      bool pending = false;                                          \
      napi_is_exception_pending((env), &pending);                    \
      if (!pending) napi_throw_range_error((env), NULL, (message));  \
      return NULL;                                                   \
    }                                                                \
  } while (0)

static bool get_args(napi_env env, napi_callback_info info, size_t want, napi_value *args) {
  size_t count = MAX_ARGS;
  return napi_get_cb_info(env, info, &count, args, NULL, NULL) == napi_ok && count == want;
}

static bool get_floats(napi_env env, napi_value value, floats *out) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return false;
  if (napi_get_typedarray_info(env, value, &out->type, &out->length, &out->data, NULL, NULL) != napi_ok) return false;
  return out->type == napi_float32_array || out->type == napi_float64_array;
}

/* A count or stride: a non-negative integer below 2⁵³ (JavaScript numbers are exact there). */
static bool get_size(napi_env env, napi_value value, size_t *out) {
  double number = 0;
  if (napi_get_value_double(env, value, &number) != napi_ok) return false;
  if (!(number >= 0 && number <= 9007199254740991.0) || number != (double)(int64_t)number) return false;
  *out = (size_t)number;
  return true;
}

static bool get_code(napi_env env, napi_value value, int *out) {
  int32_t code = 0;
  if (napi_get_value_int32(env, value, &code) != napi_ok) return false;
  *out = code;
  return true;
}

static bool get_flag(napi_env env, napi_value value, bool *out) {
  return napi_get_value_bool(env, value, out) == napi_ok;
}

/* a·b and a + b, saturating at SIZE_MAX: sizes come from JavaScript, so a product may overflow, and then no length check may pass. */
static size_t times(size_t a, size_t b) {
  size_t product;
  return __builtin_mul_overflow(a, b, &product) ? SIZE_MAX : product;
}

static size_t plus(size_t a, size_t b) {
  size_t sum;
  return __builtin_add_overflow(a, b, &sum) ? SIZE_MAX : sum;
}

/* Does an operand of `length` elements hold index (count − 1)·stride + last? (Nothing read when count = 0.) */
static bool holds(size_t length, size_t count, size_t stride, size_t last) {
  return count == 0 || plus(times(count - 1, stride), last) < length;
}

/* gemm(a, b, out, batch, m, k, n, aBatchStride, bBatchStride, transA, transB) */
static napi_value gemm(napi_env env, napi_callback_info info) {
  napi_value args[MAX_ARGS];
  floats a, b, out;
  gemm_dims d;
  CHECK(env, get_args(env, info, 11, args), "gemm takes 11 arguments");
  CHECK(env, get_floats(env, args[0], &a) && get_floats(env, args[1], &b) && get_floats(env, args[2], &out), "gemm: a, b and out must be Float32Array or Float64Array");
  CHECK(env, a.type == out.type && b.type == out.type, "gemm: a, b and out must have one element type");
  CHECK(env, get_size(env, args[3], &d.batch) && get_size(env, args[4], &d.m) && get_size(env, args[5], &d.k) && get_size(env, args[6], &d.n) &&
                 get_size(env, args[7], &d.a_batch_stride) && get_size(env, args[8], &d.b_batch_stride),
        "gemm: sizes and strides must be non-negative integers");
  CHECK(env, get_flag(env, args[9], &d.trans_a) && get_flag(env, args[10], &d.trans_b), "gemm: transA and transB must be booleans");
  CHECK(env, d.m <= INT32_MAX && d.k <= INT32_MAX && d.n <= INT32_MAX, "gemm: BLAS takes dimensions below 2³¹");
  const size_t mn = d.m * d.n; /* both below 2³¹: no overflow */
  CHECK(env, times(d.batch, mn) <= out.length, "gemm: out is shorter than batch·m·n");
  if (mn != 0 && d.k != 0) {
    CHECK(env, holds(a.length, d.batch, d.a_batch_stride, d.m * d.k - 1), "gemm: a is shorter than its batches");
    CHECK(env, holds(b.length, d.batch, d.b_batch_stride, d.k * d.n - 1), "gemm: b is shorter than its batches");
  }
  if (out.type == napi_float32_array) gemm_f32(a.data, b.data, out.data, &d);
  else gemm_f64(a.data, b.data, out.data, &d);
  return NULL;
}

/* binary(code, a, b, out, rows, cols, aRow, aCol, bRow, bCol) — see binary_layout in kernels.h. */
static napi_value binary(napi_env env, napi_callback_info info) {
  napi_value args[MAX_ARGS];
  floats a, b, out;
  binary_layout L;
  int code = 0;
  CHECK(env, get_args(env, info, 10, args), "binary takes 10 arguments");
  CHECK(env, get_code(env, args[0], &code) && binary_supported(code), "binary: not a native operation code");
  CHECK(env, get_floats(env, args[1], &a) && get_floats(env, args[2], &b) && get_floats(env, args[3], &out), "binary: a, b and out must be Float32Array or Float64Array");
  CHECK(env, a.type == out.type && b.type == out.type, "binary: a, b and out must have one element type");
  CHECK(env, get_size(env, args[4], &L.rows) && get_size(env, args[5], &L.cols) && get_size(env, args[6], &L.a_row) && get_size(env, args[7], &L.a_col) &&
                 get_size(env, args[8], &L.b_row) && get_size(env, args[9], &L.b_col),
        "binary: sizes and strides must be non-negative integers");
  CHECK(env, L.a_col <= 1 && L.b_col <= 1, "binary: column steps must be 0 or 1");
  if (L.rows == 0 || L.cols == 0) return NULL;
  CHECK(env, times(L.rows, L.cols) <= out.length, "binary: out is shorter than rows·cols");
  CHECK(env, holds(a.length, L.rows, L.a_row, (L.cols - 1) * L.a_col), "binary: a is shorter than its layout");
  CHECK(env, holds(b.length, L.rows, L.b_row, (L.cols - 1) * L.b_col), "binary: b is shorter than its layout");
  if (out.type == napi_float32_array) binary_f32(code, a.data, b.data, out.data, &L);
  else binary_f64(code, a.data, b.data, out.data, &L);
  return NULL;
}

/* unary(code, x, out) */
static napi_value unary(napi_env env, napi_callback_info info) {
  napi_value args[MAX_ARGS];
  floats x, out;
  int code = 0;
  CHECK(env, get_args(env, info, 3, args), "unary takes 3 arguments");
  CHECK(env, get_code(env, args[0], &code) && unary_supported(code), "unary: not a native operation code");
  CHECK(env, get_floats(env, args[1], &x) && get_floats(env, args[2], &out), "unary: x and out must be Float32Array or Float64Array");
  CHECK(env, x.type == out.type && x.length <= out.length, "unary: out must be as long as x and of its element type");
  if (x.length == 0) return NULL;
  if (out.type == napi_float32_array) unary_f32(code, x.data, out.data, x.length);
  else unary_f64(code, x.data, out.data, x.length);
  return NULL;
}

/* reduce(code, x, out, outer, inner, leading) — x is [outer, inner]; see reduce_f64 in kernels.h. */
static napi_value reduce(napi_env env, napi_callback_info info) {
  napi_value args[MAX_ARGS];
  floats x, out;
  size_t outer = 0, inner = 0;
  int code = 0;
  bool leading = false;
  CHECK(env, get_args(env, info, 6, args), "reduce takes 6 arguments");
  CHECK(env, get_code(env, args[0], &code) && (code == R_SUM || code == R_MAX), "reduce: not a native operation code");
  CHECK(env, get_floats(env, args[1], &x) && get_floats(env, args[2], &out), "reduce: x and out must be Float32Array or Float64Array");
  CHECK(env, x.type == out.type, "reduce: x and out must have one element type");
  CHECK(env, get_size(env, args[3], &outer) && get_size(env, args[4], &inner) && get_flag(env, args[5], &leading), "reduce: bad sizes");
  CHECK(env, times(outer, inner) <= x.length && (leading ? inner : outer) <= out.length, "reduce: x or out is too short");
  if (out.type == napi_float32_array) reduce_f32(code, x.data, out.data, outer, inner, leading);
  else reduce_f64(code, x.data, out.data, outer, inner, leading);
  return NULL;
}

/* reduceMiddle(code, x, out, outer, middle, inner) — x is [outer, middle, inner]; see reduce_middle_f64 in kernels.h. */
static napi_value reduce_middle(napi_env env, napi_callback_info info) {
  napi_value args[MAX_ARGS];
  floats x, out;
  size_t outer = 0, middle = 0, inner = 0;
  int code = 0;
  CHECK(env, get_args(env, info, 6, args), "reduceMiddle takes 6 arguments");
  CHECK(env, get_code(env, args[0], &code) && (code == R_SUM || code == R_MAX), "reduceMiddle: not a native operation code");
  CHECK(env, get_floats(env, args[1], &x) && get_floats(env, args[2], &out), "reduceMiddle: x and out must be Float32Array or Float64Array");
  CHECK(env, x.type == out.type, "reduceMiddle: x and out must have one element type");
  CHECK(env, get_size(env, args[3], &outer) && get_size(env, args[4], &middle) && get_size(env, args[5], &inner), "reduceMiddle: bad sizes");
  CHECK(env, times(times(outer, middle), inner) <= x.length && middle <= out.length, "reduceMiddle: x or out is too short");
  if (out.type == napi_float32_array) reduce_middle_f32(code, x.data, out.data, outer, middle, inner);
  else reduce_middle_f64(code, x.data, out.data, outer, middle, inner);
  return NULL;
}

static bool get_number(napi_env env, napi_value value, double *out) {
  return napi_get_value_double(env, value, out) == napi_ok;
}

/* adam(w, g, m, v, beta1, beta2, stepSize, inverseRoot2, eps, decay): w and g one float type, m and v Float64Array. */
static napi_value adam(napi_env env, napi_callback_info info) {
  napi_value args[MAX_ARGS];
  floats w, g, m, v;
  adam_step s;
  CHECK(env, get_args(env, info, 10, args), "adam takes 10 arguments");
  CHECK(env, get_floats(env, args[0], &w) && get_floats(env, args[1], &g) && get_floats(env, args[2], &m) && get_floats(env, args[3], &v), "adam: w, g, m and v must be Float32Array or Float64Array");
  CHECK(env, w.type == g.type && m.type == napi_float64_array && v.type == napi_float64_array, "adam: w and g of one element type, m and v Float64Array");
  CHECK(env, g.length >= w.length && m.length >= w.length && v.length >= w.length, "adam: g, m and v must be as long as w");
  CHECK(env, get_number(env, args[4], &s.beta1) && get_number(env, args[5], &s.beta2) && get_number(env, args[6], &s.step_size) &&
                 get_number(env, args[7], &s.inverse_root2) && get_number(env, args[8], &s.eps) && get_number(env, args[9], &s.decay),
        "adam: the step's numbers must be numbers");
  if (w.type == napi_float32_array) adam_f32(w.data, g.data, m.data, v.data, w.length, &s);
  else adam_f64(w.data, g.data, m.data, v.data, w.length, &s);
  return NULL;
}

/* biasActivation(code, x, bias, sums | null, out): x and out rows × bias.length, one element type; code −1 is no activation. */
static napi_value bias_activation(napi_env env, napi_callback_info info) {
  napi_value args[MAX_ARGS];
  floats x, bias, sums = {0}, out;
  int code = 0;
  napi_valuetype sums_kind = napi_null;
  CHECK(env, get_args(env, info, 5, args), "biasActivation takes 5 arguments");
  CHECK(env, get_code(env, args[0], &code) && bias_activation_supported(code), "biasActivation: not a native activation code");
  CHECK(env, get_floats(env, args[1], &x) && get_floats(env, args[2], &bias) && get_floats(env, args[4], &out), "biasActivation: x, bias and out must be Float32Array or Float64Array");
  CHECK(env, napi_typeof(env, args[3], &sums_kind) == napi_ok, "biasActivation: bad sums");
  const bool keep = sums_kind != napi_null;
  CHECK(env, !keep || get_floats(env, args[3], &sums), "biasActivation: sums must be null or a Float32Array or Float64Array");
  CHECK(env, x.type == out.type && bias.type == out.type && (!keep || sums.type == out.type), "biasActivation: x, bias, sums and out must have one element type");
  CHECK(env, bias.length > 0 && x.length % bias.length == 0, "biasActivation: x must be whole rows of bias.length");
  CHECK(env, out.length >= x.length && (!keep || sums.length >= x.length), "biasActivation: out and sums must be as long as x");
  const size_t rows = x.length / bias.length;
  if (out.type == napi_float32_array) bias_activation_f32(code, x.data, bias.data, keep ? sums.data : NULL, out.data, rows, bias.length);
  else bias_activation_f64(code, x.data, bias.data, keep ? sums.data : NULL, out.data, rows, bias.length);
  return NULL;
}

/*
 * The window of im2col/col2im from a Float64Array [planes, h, w, kH, kW, sH, sW, pH, pW, dH, dW]:
 * whole numbers, kernel, stride and dilation ≥ 1, and the output extents as the reference's
 * slidingExtent (an empty output when the window does not fit).
 */
static bool get_geometry(napi_env env, napi_value value, conv_geometry *g) {
  floats numbers;
  if (!get_floats(env, value, &numbers) || numbers.type != napi_float64_array || numbers.length != 11) return false;
  const double *v = numbers.data;
  ptrdiff_t whole[11];
  for (size_t i = 0; i < 11; i++) {
    if (!(v[i] >= 0 && v[i] <= 1e9) || v[i] != (double)(int64_t)v[i]) return false;
    whole[i] = (ptrdiff_t)v[i];
  }
  *g = (conv_geometry){whole[0], whole[1], whole[2], whole[3], whole[4], whole[5], whole[6], whole[7], whole[8], whole[9], whole[10], 0, 0};
  if (g->kernel_h < 1 || g->kernel_w < 1 || g->stride_h < 1 || g->stride_w < 1 || g->dilation_h < 1 || g->dilation_w < 1) return false;
  const ptrdiff_t span_h = g->h + 2 * g->padding_h - g->dilation_h * (g->kernel_h - 1) - 1;
  const ptrdiff_t span_w = g->w + 2 * g->padding_w - g->dilation_w * (g->kernel_w - 1) - 1;
  g->out_h = span_h < 0 ? 0 : span_h / g->stride_h + 1;
  g->out_w = span_w < 0 ? 0 : span_w / g->stride_w + 1;
  if (g->out_h == 0 || g->out_w == 0) g->out_h = g->out_w = 0;
  return true;
}

/* Elements of the image [planes, h, w] and of its columns [planes·kH·kW, out_h·out_w]. */
static size_t image_length(const conv_geometry *g) {
  return times(times((size_t)g->planes, (size_t)g->h), (size_t)g->w);
}

static size_t columns_length(const conv_geometry *g) {
  return times(times(times((size_t)g->planes, (size_t)(g->kernel_h * g->kernel_w)), (size_t)g->out_h), (size_t)g->out_w);
}

/* im2col(x, out, geometry, fill) */
static napi_value im2col(napi_env env, napi_callback_info info) {
  napi_value args[MAX_ARGS];
  floats x, out;
  conv_geometry g;
  double fill = 0;
  CHECK(env, get_args(env, info, 4, args), "im2col takes 4 arguments");
  CHECK(env, get_floats(env, args[0], &x) && get_floats(env, args[1], &out), "im2col: x and out must be Float32Array or Float64Array");
  CHECK(env, x.type == out.type, "im2col: x and out must have one element type");
  CHECK(env, get_geometry(env, args[2], &g), "im2col: bad window geometry");
  CHECK(env, napi_get_value_double(env, args[3], &fill) == napi_ok, "im2col: fill must be a number");
  CHECK(env, image_length(&g) <= x.length && columns_length(&g) <= out.length, "im2col: x or out is too short");
  if (out.type == napi_float32_array) im2col_f32(x.data, out.data, &g, (float)fill);
  else im2col_f64(x.data, out.data, &g, fill);
  return NULL;
}

/* col2im(cols, out, geometry) */
static napi_value col2im(napi_env env, napi_callback_info info) {
  napi_value args[MAX_ARGS];
  floats cols, out;
  conv_geometry g;
  CHECK(env, get_args(env, info, 3, args), "col2im takes 3 arguments");
  CHECK(env, get_floats(env, args[0], &cols) && get_floats(env, args[1], &out), "col2im: cols and out must be Float32Array or Float64Array");
  CHECK(env, cols.type == out.type, "col2im: cols and out must have one element type");
  CHECK(env, get_geometry(env, args[2], &g), "col2im: bad window geometry");
  CHECK(env, columns_length(&g) <= cols.length && image_length(&g) <= out.length, "col2im: cols or out is too short");
  if (out.type == napi_float32_array) col2im_f32(cols.data, out.data, &g);
  else col2im_f64(cols.data, out.data, &g);
  return NULL;
}

/* maxPool(x, out, geometry): out [N·C, oH, oW] */
static napi_value max_pool(napi_env env, napi_callback_info info) {
  napi_value args[MAX_ARGS];
  floats x, out;
  conv_geometry g;
  CHECK(env, get_args(env, info, 3, args), "maxPool takes 3 arguments");
  CHECK(env, get_floats(env, args[0], &x) && get_floats(env, args[1], &out), "maxPool: x and out must be Float32Array or Float64Array");
  CHECK(env, x.type == out.type, "maxPool: x and out must have one element type");
  CHECK(env, get_geometry(env, args[2], &g), "maxPool: bad window geometry");
  const size_t pooled = times(times((size_t)g.planes, (size_t)g.out_h), (size_t)g.out_w);
  CHECK(env, image_length(&g) <= x.length && pooled <= out.length, "maxPool: x or out is too short");
  if (out.type == napi_float32_array) max_pool_f32(x.data, out.data, &g);
  else max_pool_f64(x.data, out.data, &g);
  return NULL;
}

/* maxPoolBackward(x, gy, out, geometry): out [N·C, H, W] */
static napi_value max_pool_backward(napi_env env, napi_callback_info info) {
  napi_value args[MAX_ARGS];
  floats x, gy, out;
  conv_geometry g;
  CHECK(env, get_args(env, info, 4, args), "maxPoolBackward takes 4 arguments");
  CHECK(env, get_floats(env, args[0], &x) && get_floats(env, args[1], &gy) && get_floats(env, args[2], &out), "maxPoolBackward: x, gy and out must be Float32Array or Float64Array");
  CHECK(env, x.type == out.type && gy.type == out.type, "maxPoolBackward: x, gy and out must have one element type");
  CHECK(env, get_geometry(env, args[3], &g), "maxPoolBackward: bad window geometry");
  const size_t pooled = times(times((size_t)g.planes, (size_t)g.out_h), (size_t)g.out_w);
  CHECK(env, image_length(&g) <= x.length && image_length(&g) <= out.length && pooled <= gy.length, "maxPoolBackward: x, gy or out is too short");
  if (out.type == napi_float32_array) max_pool_backward_f32(x.data, gy.data, out.data, &g);
  else max_pool_backward_f64(x.data, gy.data, out.data, &g);
  return NULL;
}

/* setThreads(count): the thread count for the products (OpenBLAS's pool) and Adam (parallel.c) that follow. */
static napi_value set_threads(napi_env env, napi_callback_info info) {
  napi_value args[MAX_ARGS];
  int32_t count = 0;
  CHECK(env, get_args(env, info, 1, args), "setThreads takes 1 argument");
  CHECK(env, napi_get_value_int32(env, args[0], &count) == napi_ok && count >= 1, "setThreads: a positive integer");
  openblas_set_num_threads(count);
  parallel_set_threads(count);
  return NULL;
}

/* threads(): OpenBLAS's current thread count. */
static napi_value threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_create_int32(env, openblas_get_num_threads(), &result);
  return result;
}

/* config(): OpenBLAS's build description, with the core it chose, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH … Zen". */
static napi_value config(napi_env env, napi_callback_info info) {
  (void)info;
  char text[512];
  snprintf(text, sizeof text, "%s", openblas_get_config());
  napi_value result;
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &result);
  return result;
}

NAPI_MODULE_INIT() {
  const napi_property_descriptor properties[] = {
      {"gemm", NULL, gemm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"binary", NULL, binary, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unary", NULL, unary, NULL, NULL, NULL, napi_enumerable, NULL},
      {"reduce", NULL, reduce, NULL, NULL, NULL, napi_enumerable, NULL},
      {"reduceMiddle", NULL, reduce_middle, NULL, NULL, NULL, napi_enumerable, NULL},
      {"adam", NULL, adam, NULL, NULL, NULL, napi_enumerable, NULL},
      {"biasActivation", NULL, bias_activation, NULL, NULL, NULL, napi_enumerable, NULL},
      {"im2col", NULL, im2col, NULL, NULL, NULL, napi_enumerable, NULL},
      {"col2im", NULL, col2im, NULL, NULL, NULL, napi_enumerable, NULL},
      {"maxPool", NULL, max_pool, NULL, NULL, NULL, napi_enumerable, NULL},
      {"maxPoolBackward", NULL, max_pool_backward, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"threads", NULL, threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"config", NULL, config, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties) != napi_ok) return NULL;
  return exports;
}
