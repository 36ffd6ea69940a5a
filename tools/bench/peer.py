"""The Python side of tools/bench/main.ts: NumPy's and PyTorch's matmul and PyTorch's MLP
training step, timed one sample at a time on request, so that main.ts interleaves them with
its own contenders (a loaded machine drifts within seconds; samples taken minutes apart are
not comparable).

  peer.py numpy|torch COMMANDS RESULTS

reads one JSON request per line from the FIFO COMMANDS and writes one JSON line per request
to the FIFO RESULTS:

  {"op": "about"}                                           {"about": "library, version, BLAS, threads"}
  {"op": "matmul", "n": 512, "dtype": "float32",
   "threads": 1, "seconds": 0.3, "clock": "wall"}           {"rate": flop/s}   (2n³ per product)
  {"op": "mlp", "threads": 2, "seconds": 1.0,
   "clock": "wall"}                                         {"rate": samples/s}  (torch only)

"clock" is "wall" (elapsed time) or "cpu" (this process's CPU time, for one thread only).

"mlp" trains the benchmark's MLP 784-256-128-10 (ReLU, softmax cross-entropy, Adam lr 0.001,
float32, batches of 64) on the first 6400 rows of Fashion-MNIST (random rows of its shape
where it is not installed), in steps of 20 batches, as tools/bench/mlp-training.ts does; one
model per thread count, warmed up on its first request. "threads" sets torch's intra-op
threads and every OpenBLAS loaded in the process (torch.set_num_threads does not reach
OpenBLAS); NumPy's OpenBLAS thread count is the caller's OPENBLAS_NUM_THREADS.
Errors: {"error": "…"}."""
import ctypes
import gzip
import json
import os
import re
import sys
import time

import numpy as np

LIBRARY = sys.argv[1]
if LIBRARY == "torch":
    import torch

FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
ROWS, BATCH, STEPS = 6400, 64, 20


def openblas_libraries() -> list:
    """Every OpenBLAS in this process's memory map (Debian's torch loads two copies), as ctypes libraries."""
    with open("/proc/self/maps", encoding="utf8") as maps:
        paths = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and line.split()[-1].startswith("/")})
    found = []
    for path in paths:
        try:
            library = ctypes.CDLL(path)
            library.openblas_get_config.restype = ctypes.c_char_p
            found.append((path, library))
        except (OSError, AttributeError):
            continue
    return found


def about() -> str:
    if LIBRARY == "numpy":
        try:
            info = np.show_config(mode="dicts")["Build Dependencies"]["blas"]  # NumPy ≥ 1.25
            blas = f"{info.get('name', '?')} {info.get('version', '')}".strip()
        except Exception:  # older NumPy: no structured config
            blas = "unknown BLAS"
        return f"NumPy {np.__version__}, {blas}"
    match = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    copies = {}  # config → the files that hold it (Debian's libblas.so.3 and liblapack.so.3 are OpenBLAS too)
    for path, library in openblas_libraries():
        copies.setdefault(library.openblas_get_config().decode(), []).append(os.path.basename(path))
    blas = "; ".join(f"{config} ({', '.join(files)})" for config, files in copies.items()) or "no OpenBLAS loaded"
    return f"PyTorch {torch.__version__} (BLAS_INFO={match.group(1) if match else '?'}: {blas}), {torch.get_num_threads()} intra-op thread(s) by default"


def use_threads(threads: int) -> None:
    if LIBRARY == "torch":
        torch.set_num_threads(threads)
        for _, library in openblas_libraries():
            library.openblas_set_num_threads(threads)


def timed(step, units: float, seconds: float, clock: str) -> float:
    """Units of work per second: `step` repeated until `seconds` have passed on `clock`."""
    now = time.process_time if clock == "cpu" else time.perf_counter
    count, start = 0, now()
    while True:
        step()
        count += 1
        elapsed = now() - start
        if elapsed >= seconds:
            return units * count / elapsed


operands = {}


def matmul(n: int, dtype: str, seconds: float, clock: str) -> float:
    key = (n, dtype)
    if key not in operands:
        rng = np.random.default_rng(1)
        a = (rng.random((n, n)) - 0.5).astype(dtype)
        b = (rng.random((n, n)) - 0.5).astype(dtype)
        operands[key] = (torch.from_numpy(a), torch.from_numpy(b)) if LIBRARY == "torch" else (a, b)
    a, b = operands[key]
    if LIBRARY == "torch":
        with torch.no_grad():
            a @ b  # warm-up
            return timed(lambda: a @ b, 2 * n**3, seconds, clock)
    a @ b
    return timed(lambda: a @ b, 2 * n**3, seconds, clock)


def idx(name: str) -> np.ndarray:
    with gzip.open(os.path.join(FASHION_MNIST, name), "rb") as file:
        data = file.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def training_rows():
    if os.path.isdir(FASHION_MNIST):
        x = idx("train-images-idx3-ubyte.gz")[:ROWS].reshape(ROWS, 784).astype(np.float32) / 255
        labels = idx("train-labels-idx1-ubyte.gz")[:ROWS].astype(np.int64)
    else:
        rng = np.random.default_rng(3)
        x = rng.random((ROWS, 784), dtype=np.float32)
        labels = rng.integers(0, 10, ROWS)
    return torch.from_numpy(x), torch.from_numpy(labels)


class Training:
    """One model and Adam optimizer, stepping through shuffled batches of the training rows."""

    def __init__(self, rows):
        torch.manual_seed(1)
        self.x, self.labels = rows
        self.model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=0.001)
        self.order = torch.randperm(ROWS)
        self.cursor = 0
        self.steps()  # warm-up

    def steps(self) -> None:
        for _ in range(STEPS):
            if self.cursor + BATCH > ROWS:
                self.cursor = 0
            rows = self.order[self.cursor: self.cursor + BATCH]
            self.cursor += BATCH
            self.optimizer.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(self.model(self.x[rows]), self.labels[rows])
            loss.backward()
            self.optimizer.step()
        if not torch.isfinite(loss):
            raise ValueError(f"the loss is {loss.item()}")


trainings = {}


def mlp(threads: int, seconds: float, clock: str) -> float:
    if threads not in trainings:
        trainings[threads] = Training(training_rows())
    return timed(trainings[threads].steps, STEPS * BATCH, seconds, clock)


def answer(request: dict) -> dict:
    use_threads(int(request.get("threads", 1)))
    if request["op"] == "about":
        return {"about": about()}
    if request["op"] == "matmul":
        return {"rate": matmul(int(request["n"]), request["dtype"], float(request["seconds"]), request["clock"])}
    if request["op"] == "mlp" and LIBRARY == "torch":
        return {"rate": mlp(int(request["threads"]), float(request["seconds"]), request["clock"])}
    raise ValueError(f"unknown request {request['op']!r} for {LIBRARY}")


with open(sys.argv[2], encoding="utf8") as commands, open(sys.argv[3], "w", encoding="utf8") as results:
    for line in commands:
        try:
            reply = answer(json.loads(line))
        except Exception as error:  # reported to main.ts, which stops with it
            reply = {"error": f"{type(error).__name__}: {error}"}
        results.write(json.dumps(reply) + "\n")
        results.flush()
