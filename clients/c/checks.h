/* The check macros the C client tests share: CHECK(cond, fmt, ...) counts a check and
 * prints a failure; EXPECT(call, status, needle) runs a call and checks its status and
 * that swiftlet_last_error() mentions needle (for SWIFTLET_OK: that it is empty).
 * Each test program is one translation unit, so the counters can live here. */
#ifndef CHECKS_H
#define CHECKS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "swiftlet.h"

static int checks, failures;

#define CHECK(cond, ...)                                                    \
    do {                                                                    \
        checks++;                                                           \
        if (!(cond)) {                                                      \
            failures++;                                                     \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);            \
            fprintf(stderr, __VA_ARGS__);                                   \
            fputc('\n', stderr);                                            \
        }                                                                   \
    } while (0)

/* Runs a call and checks its status and that swiftlet_last_error() mentions needle
 * (for SWIFTLET_OK: that the message is empty). */
#define EXPECT(call, want, needle) expect_status((call), (want), (needle), #call, __LINE__)

static inline void expect_status(swiftlet_status got, swiftlet_status want, const char *needle, const char *expr, int line) {
    const char *msg = swiftlet_last_error();
    checks++;
    if (got != want) {
        failures++;
        fprintf(stderr, "FAIL line %d: %s\n  returned %s, expected %s; message: %s\n", line, expr,
                swiftlet_status_name(got), swiftlet_status_name(want), msg);
    } else if (want == SWIFTLET_OK && msg[0] != '\0') {
        failures++;
        fprintf(stderr, "FAIL line %d: %s succeeded but left the message '%s'\n", line, expr, msg);
    } else if (want != SWIFTLET_OK && (msg[0] == '\0' || strstr(msg, needle) == NULL)) {
        failures++;
        fprintf(stderr, "FAIL line %d: %s\n  message '%s' does not mention '%s'\n", line, expr, msg, needle);
    }
}

static inline char *join(const char *dir, const char *name) {
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

static inline int file_exists(const char *path) { return access(path, R_OK) == 0; }

#endif
