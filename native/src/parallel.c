/*
 * parallel_for: the calling thread and up to (threads − 1) helpers take chunks of the range
 * from one counter under a mutex. The caller works through the chunks too, so a helper that
 * a loaded machine wakes late only finds fewer chunks left (or none): the loop is never slower
 * than on one thread by more than a chunk and a wake-up. A second caller while a loop runs
 * (another worker thread's addon call) runs its loop alone.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdbool.h>
#include "parallel.h"

#define MAX_HELPERS 63
/* Chunks per thread: some slack, so a late helper still finds work and an early one can take more. */
#define CHUNKS_PER_THREAD 4

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_posted = PTHREAD_COND_INITIALIZER;
static pthread_cond_t work_done = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t one_loop = PTHREAD_MUTEX_INITIALIZER;

static int wanted_threads = 1;
static int helpers_started = 0;

/* The loop being run (all under `lock`). */
static range_body job_body;
static void *job_context;
static size_t job_length, job_chunk, next_chunk, chunks, chunks_done;

void parallel_set_threads(int count) {
  pthread_mutex_lock(&lock);
  wanted_threads = count < 1 ? 1 : count > MAX_HELPERS + 1 ? MAX_HELPERS + 1 : count;
  pthread_mutex_unlock(&lock);
}

/* Take and run chunks until none are left; called and returns with `lock` held. */
static void work_through_chunks(void) {
  while (next_chunk < chunks) {
    const size_t begin = next_chunk++ * job_chunk;
    const size_t end = begin + job_chunk < job_length ? begin + job_chunk : job_length;
    range_body body = job_body;
    void *context = job_context;
    pthread_mutex_unlock(&lock);
    body(begin, end, context);
    pthread_mutex_lock(&lock);
    if (++chunks_done == chunks) pthread_cond_signal(&work_done);
  }
}

static void *helper(void *unused) {
  (void)unused;
  pthread_mutex_lock(&lock);
  for (;;) {
    while (next_chunk >= chunks) pthread_cond_wait(&work_posted, &lock);
    work_through_chunks();
  }
  return NULL;
}

/* Start helpers up to the wanted count (never stopped: they sleep on a condition variable). */
static int helpers_ready(void) {
  while (helpers_started < wanted_threads - 1) {
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    const bool started = pthread_create(&thread, &attributes, helper, NULL) == 0;
    pthread_attr_destroy(&attributes);
    if (!started) break;
    helpers_started++;
  }
  return helpers_started;
}

void parallel_for(size_t length, size_t min_chunk, range_body body, void *context) {
  if (min_chunk == 0) min_chunk = 1;
  pthread_mutex_lock(&lock);
  const int threads = wanted_threads;
  pthread_mutex_unlock(&lock);
  if (threads <= 1 || length < 2 * min_chunk || pthread_mutex_trylock(&one_loop) != 0) {
    body(0, length, context);
    return;
  }
  pthread_mutex_lock(&lock);
  const int helpers = helpers_ready();
  size_t chunk = (length + (size_t)(helpers + 1) * CHUNKS_PER_THREAD - 1) / ((size_t)(helpers + 1) * CHUNKS_PER_THREAD);
  if (chunk < min_chunk) chunk = min_chunk;
  job_body = body;
  job_context = context;
  job_length = length;
  job_chunk = chunk;
  chunks = (length + chunk - 1) / chunk;
  next_chunk = 0;
  chunks_done = 0;
  pthread_cond_broadcast(&work_posted);
  work_through_chunks();
  while (chunks_done < chunks) pthread_cond_wait(&work_done, &lock);
  next_chunk = chunks = 0;
  pthread_mutex_unlock(&lock);
  pthread_mutex_unlock(&one_loop);
}
