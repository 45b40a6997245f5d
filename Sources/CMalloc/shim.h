#ifndef FLOTILLA_CMALLOC_SHIM_H
#define FLOTILLA_CMALLOC_SHIM_H
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif

/// glibc's allocator set for streaming services: blocks of `mmap_threshold` bytes and more
/// are mapped and unmapped (never kept in a fragmenting heap), at most `arenas` heaps. A no-op
/// without glibc.
static inline void flotilla_tune_allocator(int mmap_threshold, int arenas) {
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_ARENA_MAX)
    mallopt(M_MMAP_THRESHOLD, mmap_threshold);
    mallopt(M_ARENA_MAX, arenas);
#endif
}
#endif
