# The optional native backend: OpenBLAS for matmul, plain C loops for the elementwise kernels.
# Built by tools/native/build.mjs at install; a machine without a compiler or libopenblas-dev
# simply has no native backend (the WebAssembly one is used).
{
  "targets": [
    {
      "target_name": "mashagrad_native",
      "sources": ["src/addon.c", "src/gemm.c", "src/elementwise.c", "src/reduce.c", "src/adam.c", "src/fused.c", "src/im2col.c", "src/parallel.c"],
      # -march=native: the addon is built on the machine that runs it. No -ffast-math and no
      # contraction into fused multiply-adds: the elementwise and reduction kernels must give
      # the reference backend's results bit for bit. -fno-math-errno lets sqrt vectorise.
      "cflags": ["-O3", "-march=native", "-std=c11", "-ffp-contract=off", "-fno-math-errno", "-Wall", "-Wextra"],
      "libraries": ["-lopenblas", "-lpthread"]
    }
  ]
}
