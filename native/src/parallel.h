/*
 * A parallel loop over [0, length) on this addon's own threads (parallel.c), for elementwise
 * kernels whose result does not depend on how the range is split (Adam): OpenBLAS's threads
 * serve only BLAS.
 */
#ifndef MASHAGRAD_PARALLEL_H
#define MASHAGRAD_PARALLEL_H

#include <stddef.h>

/* body(begin, end, context) does the work of [begin, end). */
typedef void (*range_body)(size_t begin, size_t end, void *context);

/* How many threads parallel_for may use (the caller's included); 1 runs everything on the caller. */
void parallel_set_threads(int count);

/* Run body over [0, length) in chunks of at least min_chunk, on up to the set number of threads; returns when all is done. */
void parallel_for(size_t length, size_t min_chunk, range_body body, void *context);

#endif
