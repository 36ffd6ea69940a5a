/*
 * The bare cblas_sgemm of two OpenBLAS builds in one process, interleaved, by CPU time: the
 * system's (Debian's libopenblas.so.0, which the native addon links) and NumPy's bundled
 * scipy-openblas (64-bit integers, symbols prefixed scipy_ and suffixed 64_). Tells whether the
 * library version separates the native backend from NumPy (docs/performance.md).
 *
 *   cc -O2 tools/bench/two-openblas.c -o /tmp/two-openblas -ldl
 *   /tmp/two-openblas "$(python3 -c 'import numpy, glob, os; print(glob.glob(os.path.join(os.path.dirname(numpy.__file__), "..", "numpy.libs", "libscipy_openblas*.so"))[0])')" 1
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef void (*sgemm32)(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
typedef void (*sgemm64)(int, int, int, int64_t, int64_t, int64_t, float, const float *, int64_t, const float *, int64_t, float, float *, int64_t);
enum { ROW_MAJOR = 101, NO_TRANS = 111, ROUNDS = 7 };

static double cpu_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int by_value(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: two-openblas NUMPY_OPENBLAS.so [threads]\n");
    return 2;
  }
  void *system = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
  void *numpy = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (system == NULL || numpy == NULL) {
    fprintf(stderr, "two-openblas: %s\n", dlerror());
    return 2;
  }
  sgemm32 system_sgemm = (sgemm32)dlsym(system, "cblas_sgemm");
  sgemm64 numpy_sgemm = (sgemm64)dlsym(numpy, "scipy_cblas_sgemm64_");
  void (*system_threads)(int) = (void (*)(int))dlsym(system, "openblas_set_num_threads");
  void (*numpy_threads)(int) = (void (*)(int))dlsym(numpy, "scipy_openblas_set_num_threads64_");
  char *(*system_core)(void) = (char *(*)(void))dlsym(system, "openblas_get_corename");
  char *(*numpy_core)(void) = (char *(*)(void))dlsym(numpy, "scipy_openblas_get_corename64_");
  if (!system_sgemm || !numpy_sgemm || !system_threads || !numpy_threads || !system_core || !numpy_core) {
    fprintf(stderr, "two-openblas: a symbol is missing (%s)\n", dlerror());
    return 2;
  }
  const int threads = argc > 2 ? atoi(argv[2]) : 1;
  system_threads(threads);
  numpy_threads(threads);
  printf("system OpenBLAS core %s, NumPy's %s, %d thread(s); GFLOP/s of CPU time, medians of %d interleaved rounds\n", system_core(), numpy_core(), threads, ROUNDS);
  const int sizes[] = {128, 256, 512, 1024};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    const int n = sizes[s];
    float *a = malloc(sizeof(float) * n * n), *b = malloc(sizeof(float) * n * n), *c = malloc(sizeof(float) * n * n);
    for (int i = 0; i < n * n; i++) {
      a[i] = (float)rand() / RAND_MAX - 0.5f;
      b[i] = (float)rand() / RAND_MAX - 0.5f;
    }
    double rates[2][ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
      for (int which = 0; which < 2; which++) {
        int count = 0;
        const double start = cpu_seconds();
        double elapsed;
        do {
          if (which == 0) system_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, n, n, n, 1, a, n, b, n, 0, c, n);
          else numpy_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, n, n, n, 1, a, n, b, n, 0, c, n);
          count++;
          elapsed = cpu_seconds() - start;
        } while (elapsed < 0.2);
        rates[which][r] = 2.0 * n * n * n * count / elapsed / 1e9;
      }
    }
    qsort(rates[0], ROUNDS, sizeof(double), by_value);
    qsort(rates[1], ROUNDS, sizeof(double), by_value);
    printf("n = %4d: system %.1f, NumPy's %.1f, system / NumPy's %.3f\n", n, rates[0][ROUNDS / 2], rates[1][ROUNDS / 2], rates[0][ROUNDS / 2] / rates[1][ROUNDS / 2]);
    free(a);
    free(b);
    free(c);
  }
  return 0;
}
