/*
 * testing.h - a test harness in one header, with no dependency beyond the
 * C compiler.
 *
 * A test is a function `static void test_x(void)`. Each test file ends with
 * one name table:
 *
 *     TEST_TABLE(coding,
 *         TEST(test_fixed32_roundtrip),
 *         TEST(test_varint_limits))
 *
 * which registers itself before main runs, so adding a test file to a
 * stage's build is all it takes. The runner (common/test_main.c) runs every
 * test, or only those named on its command line, and ends with the line
 * "N passed, N failed".
 *
 * Inside a test, CHECK(cond) records a failure with file and line and
 * returns from the test; CHECKF adds a printf-style explanation. A test can
 * call test_skip("why") for a case that does not apply to this stage.
 */
#ifndef KV_TESTING_H
#define KV_TESTING_H

#include <stdio.h>
#include <string.h>

typedef struct test_case {
    const char *name;
    void (*fn)(void);
} test_case;

void test_register(const char *table, const test_case *cases, size_t n);
void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void test_skip(const char *why);
/* Nonzero once the running test has failed (to stop helper loops early). */
int test_failed(void);
/* A directory for this test alone, created empty: "<tmp>/<test name>". */
const char *test_dir(void);
/* The seed for randomized tests: from KV_TEST_SEED, else fixed. */
unsigned test_seed(void);

#define TEST(fn)                                                               \
    { #fn, fn }

#define TEST_TABLE(table, ...)                                                 \
    static const test_case table##_tests_[] = {__VA_ARGS__};                   \
    __attribute__((constructor)) static void table##_register_(void) {         \
        test_register(#table, table##_tests_,                                  \
                      sizeof table##_tests_ / sizeof table##_tests_[0]);       \
    }

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            test_fail(__FILE__, __LINE__, "%s", #cond);                        \
            return;                                                            \
        }                                                                      \
    } while (0)

#define CHECKF(cond, ...)                                                      \
    do {                                                                       \
        if (!(cond)) {                                                         \
            test_fail(__FILE__, __LINE__, __VA_ARGS__);                        \
            return;                                                            \
        }                                                                      \
    } while (0)

/* A kv_status expression that must be OK. */
#define CHECK_OK(expr)                                                         \
    do {                                                                       \
        kv_status s_ = (expr);                                                 \
        if (s_.code != KV_OK) {                                                \
            test_fail(__FILE__, __LINE__, "%s: %s: %s", #expr,                 \
                      kv_code_name(s_.code), s_.msg);                          \
            return;                                                            \
        }                                                                      \
    } while (0)

/* A kv_status expression that must fail with the given code. */
#define CHECK_CODE(expr, want)                                                 \
    do {                                                                       \
        kv_status s_ = (expr);                                                 \
        if (s_.code != (want)) {                                               \
            test_fail(__FILE__, __LINE__, "%s: got %s (%s), want %s", #expr,   \
                      kv_code_name(s_.code), s_.msg, kv_code_name(want));      \
            return;                                                            \
        }                                                                      \
    } while (0)

#endif
