/*
 * assert_held.h - "called with mu held", checked (LevelDB's AssertHeld).
 *
 * A comment that says a function runs under a lock is a rule nothing
 * enforces. ASSERT_HELD(mu) checks it where assert is on (every build of
 * the course: none defines NDEBUG): a mutex that trylock can take was not
 * held, and the process stops at the function that broke the rule. The
 * check is weaker than an owner check (it cannot tell this thread's hold
 * from another's), but it catches the mistake that matters: no lock at all.
 */
#ifndef KV_ASSERT_HELD_H
#define KV_ASSERT_HELD_H

#include <assert.h>
#include <errno.h>
#include <pthread.h>

#define ASSERT_HELD(mu) assert(pthread_mutex_trylock(mu) == EBUSY)

#endif
