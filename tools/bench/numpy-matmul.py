"""NumPy's matmul (its BLAS, usually OpenBLAS) on n×n float32 and float64 matrices, for
tools/bench/main.ts to compare the native backend with: prints one JSON line
{"float32": [GFLOP/s…], "float64": [GFLOP/s…], "blas": "…"}. The thread count is the caller's
OPENBLAS_NUM_THREADS, so both sides run on as many threads."""
import json
import sys
import time

import numpy as np


def rates(n: int, dtype, reps: int, min_seconds: float) -> list[float]:
    rng = np.random.default_rng(1)
    a = (rng.random((n, n)) - 0.5).astype(dtype)
    b = (rng.random((n, n)) - 0.5).astype(dtype)
    a @ b  # warm-up
    out = []
    for _ in range(reps):
        count, start = 0, time.perf_counter()
        while True:
            a @ b
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_seconds:
                break
        out.append(2 * n**3 * count / elapsed)
    return out


def blas() -> str:
    try:
        config = np.show_config(mode="dicts")  # NumPy ≥ 1.25
        info = config["Build Dependencies"]["blas"]
        return f"{info.get('name', '?')} {info.get('version', '')}".strip()
    except Exception:  # older NumPy: no structured config
        return "unknown BLAS"


n, reps = int(sys.argv[1]), int(sys.argv[2])
print(json.dumps({"float32": rates(n, np.float32, reps, 0.3), "float64": rates(n, np.float64, reps, 0.3), "blas": f"NumPy {np.__version__}, {blas()}"}))
