/* What core's own allocators (slab.c, alloc.c) tell AddressSanitizer when the suite runs
 * under it: memory they hold but have not handed out is poisoned, and a region malloc does
 * not know is a root for the leak checker. Without the sanitizer these are no-ops. */
#ifndef OPSBOOK_CORE_SANITIZE_H
#define OPSBOOK_CORE_SANITIZE_H

#if defined(__SANITIZE_ADDRESS__)
#define CORE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORE_ASAN 1
#endif
#endif

#ifdef CORE_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/lsan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#define LEAK_ROOT(p, n) __lsan_register_root_region((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#define LEAK_ROOT(p, n) ((void)(p), (void)(n))
#endif

#endif
