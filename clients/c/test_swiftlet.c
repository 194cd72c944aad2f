/* The C client test: every function of include/swiftlet.h, its results against the
 * golden reference files, and every error path the header documents.
 *
 *   test_swiftlet MODELS_DIR GOLDEN_DIR GRAPH_SWL [--quick]
 *
 * MODELS_DIR holds the models tools/setup.sh converts; GRAPH_SWL is a graph-only model
 * (clients/fixtures/make_graph_swl.py). --quick compares only the first corpus texts, so
 * the run under valgrind stays short; every call and error path still runs.
 * Exit status 0 only if every check passed. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "checks.h"
#include "golden_io.h"
#include "swiftlet.h"

/* Tolerances of the project's parity contract (README): per text, cosine >= 0.99999 and
 * max |diff| <= 1e-4 against sentence-transformers; raw graph outputs within 1e-4 of
 * onnxruntime; token ids identical. */
#define MIN_COSINE 0.99999
#define MAX_ABS_DIFF 1e-4

static double cosine(const float *a, const float *b, size_t n) {
    double d = 0, na = 0, nb = 0;
    for (size_t i = 0; i < n; i++) { d += (double)a[i] * b[i]; na += (double)a[i] * a[i]; nb += (double)b[i] * b[i]; }
    return d / sqrt(na * nb > 1e-60 ? na * nb : 1e-60);
}

static double max_abs_diff(const float *a, const float *b, size_t n) {
    double m = 0;
    for (size_t i = 0; i < n; i++) { double d = fabs((double)a[i] - b[i]); if (d > m) m = d; }
    return m;
}

/* ------------------------------------------------------------------ versioning, status names */

static void test_version(void) {
    CHECK(swiftlet_abi_version() == SWIFTLET_ABI_VERSION, "library ABI %08x, header %08x", swiftlet_abi_version(), SWIFTLET_ABI_VERSION);
    EXPECT(swiftlet_check_abi(SWIFTLET_ABI_VERSION), SWIFTLET_OK, "");
    EXPECT(swiftlet_check_abi((SWIFTLET_ABI_VERSION_MAJOR + 1) << 16), SWIFTLET_ERR_VERSION_MISMATCH, "major versions differ");
    EXPECT(swiftlet_check_abi(SWIFTLET_ABI_VERSION + 1), SWIFTLET_ERR_VERSION_MISMATCH, "newer minor");
    /* A successful call clears the previous message. */
    EXPECT(swiftlet_check_abi(SWIFTLET_ABI_VERSION), SWIFTLET_OK, "");
    if (SWIFTLET_ABI_VERSION_MAJOR > 0)
        EXPECT(swiftlet_check_abi((SWIFTLET_ABI_VERSION_MAJOR - 1) << 16), SWIFTLET_ERR_VERSION_MISMATCH, "ABI");

    static const struct { swiftlet_status s; const char *name; } names[] = {
        {SWIFTLET_OK, "SWIFTLET_OK"}, {SWIFTLET_ERR_INVALID_ARGUMENT, "SWIFTLET_ERR_INVALID_ARGUMENT"},
        {SWIFTLET_ERR_INVALID_UTF8, "SWIFTLET_ERR_INVALID_UTF8"}, {SWIFTLET_ERR_INVALID_HANDLE, "SWIFTLET_ERR_INVALID_HANDLE"},
        {SWIFTLET_ERR_BUFFER_TOO_SMALL, "SWIFTLET_ERR_BUFFER_TOO_SMALL"}, {SWIFTLET_ERR_IO, "SWIFTLET_ERR_IO"},
        {SWIFTLET_ERR_INVALID_MODEL, "SWIFTLET_ERR_INVALID_MODEL"}, {SWIFTLET_ERR_UNSUPPORTED, "SWIFTLET_ERR_UNSUPPORTED"},
        {SWIFTLET_ERR_INVALID_INPUT, "SWIFTLET_ERR_INVALID_INPUT"}, {SWIFTLET_ERR_RUNTIME, "SWIFTLET_ERR_RUNTIME"},
        {SWIFTLET_ERR_VERSION_MISMATCH, "SWIFTLET_ERR_VERSION_MISMATCH"}, {SWIFTLET_ERR_INTERNAL, "SWIFTLET_ERR_INTERNAL"},
        {-1, "unknown status"}, {12, "unknown status"}, {INT32_MAX, "unknown status"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        CHECK(strcmp(swiftlet_status_name(names[i].s), names[i].name) == 0, "status_name(%d) = %s", (int)names[i].s, swiftlet_status_name(names[i].s));
}

/* ------------------------------------------------------------------ embedder */

typedef struct fixture {
    const char *embedder_swl;  /* all-MiniLM-L6-v2.swl */
    const char *onnx_swl;      /* all-MiniLM-L6-v2-onnx14.swl */
    const char *graph_swl;     /* graph-only */
    const char *e5_swl;        /* multilingual-e5-small.swl (configured query/passage prefixes) */
    const char *golden;        /* golden/ */
    text_list corpus;
    size_t n;                  /* corpus texts compared */
    size_t rounds;             /* embed calls per thread in the threads test */
    int quick;                 /* the valgrind run: parity checks that add no new calls are left out */
} fixture;

static void test_embedder_open_errors(const fixture *f) {
    swiftlet_embedder *e = NULL;
    swiftlet_embedder_options bad = {0, 0};
    EXPECT(swiftlet_embedder_open(NULL, NULL, &e), SWIFTLET_ERR_INVALID_ARGUMENT, "path is NULL");
    EXPECT(swiftlet_embedder_open(f->embedder_swl, NULL, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_embedder is NULL");
    EXPECT(swiftlet_embedder_open("/nonexistent/model.swl", NULL, &e), SWIFTLET_ERR_IO, "/nonexistent/model.swl");
    EXPECT(swiftlet_embedder_open("/tmp", NULL, &e), SWIFTLET_ERR_IO, "not a regular file");
    {
        char *not_swl = join(f->golden, "corpus/en.jsonl");
        EXPECT(swiftlet_embedder_open(not_swl, NULL, &e), SWIFTLET_ERR_INVALID_MODEL, "not a Swiftlet model");
        free(not_swl);
    }
    EXPECT(swiftlet_embedder_open("/tmp/\xff\xfe.swl", NULL, &e), SWIFTLET_ERR_INVALID_UTF8, "path is not valid UTF-8");
    EXPECT(swiftlet_embedder_open(f->graph_swl, NULL, &e), SWIFTLET_ERR_INVALID_MODEL, "not an embedder");
    bad.threads = -1;
    EXPECT(swiftlet_embedder_open(f->embedder_swl, &bad, &e), SWIFTLET_ERR_INVALID_ARGUMENT, "options.threads is -1");
    bad.threads = SWIFTLET_MAX_THREADS + 1;
    EXPECT(swiftlet_embedder_open(f->embedder_swl, &bad, &e), SWIFTLET_ERR_INVALID_ARGUMENT, "options.threads");
    bad.threads = 0;
    bad.batch_size = -5;
    EXPECT(swiftlet_embedder_open(f->embedder_swl, &bad, &e), SWIFTLET_ERR_INVALID_ARGUMENT, "options.batch_size is -5");
    bad.batch_size = SWIFTLET_MAX_BATCH_SIZE + 1;
    EXPECT(swiftlet_embedder_open(f->embedder_swl, &bad, &e), SWIFTLET_ERR_INVALID_ARGUMENT, "options.batch_size");
    {
        /* A path without a NUL within the limit. */
        char *long_path = malloc(SWIFTLET_MAX_PATH_BYTES + 2);
        memset(long_path, 'a', SWIFTLET_MAX_PATH_BYTES + 1);
        long_path[SWIFTLET_MAX_PATH_BYTES + 1] = '\0';
        EXPECT(swiftlet_embedder_open(long_path, NULL, &e), SWIFTLET_ERR_INVALID_ARGUMENT, "longer than");
        free(long_path);
    }
    CHECK(e == NULL, "a failed open wrote a handle");
}

/* swiftlet_embedder_embed_with_prefix: an arbitrary prefix is the same as writing it
 * before every text, bit for bit; with e5 it equals the configured query/passage
 * prefixes. */
static void test_embed_with_prefix(const fixture *f, swiftlet_embedder *e, size_t dim) {
    const char *texts[2] = {"Hello world", "Swiftlet runs on the CPU"};
    const char *prefixed[2] = {"search_query: Hello world", "search_query: Swiftlet runs on the CPU"};
    const char *prefix = "search_query: ";
    float a[2 * 1024], b[2 * 1024];
    EXPECT(swiftlet_embedder_embed_with_prefix(e, texts, NULL, 2, prefix, strlen(prefix), a, 2 * dim), SWIFTLET_OK, "");
    EXPECT(swiftlet_embedder_embed(e, prefixed, NULL, 2, SWIFTLET_PREFIX_NONE, b, 2 * dim), SWIFTLET_OK, "");
    CHECK(memcmp(a, b, 2 * dim * sizeof(float)) == 0, "a custom prefix differs from the prefixed texts");
    /* Only prefix_length bytes count: "search_query: xyz" cut to 14 is the same prefix. */
    EXPECT(swiftlet_embedder_embed_with_prefix(e, texts, NULL, 2, "search_query: xyz", 14, b, 2 * dim), SWIFTLET_OK, "");
    CHECK(memcmp(a, b, 2 * dim * sizeof(float)) == 0, "prefix_length was not honoured");
    /* No prefix (NULL or empty) is SWIFTLET_PREFIX_NONE. */
    EXPECT(swiftlet_embedder_embed_with_prefix(e, texts, NULL, 2, NULL, 0, a, 2 * dim), SWIFTLET_OK, "");
    EXPECT(swiftlet_embedder_embed(e, texts, NULL, 2, SWIFTLET_PREFIX_NONE, b, 2 * dim), SWIFTLET_OK, "");
    CHECK(memcmp(a, b, 2 * dim * sizeof(float)) == 0, "an empty prefix differs from SWIFTLET_PREFIX_NONE");
    EXPECT(swiftlet_embedder_embed_with_prefix(e, texts, NULL, 2, "", 0, b, 2 * dim), SWIFTLET_OK, "");
    CHECK(memcmp(a, b, 2 * dim * sizeof(float)) == 0, "\"\" differs from NULL");
    EXPECT(swiftlet_embedder_embed_with_prefix(e, NULL, NULL, 0, prefix, strlen(prefix), NULL, 0), SWIFTLET_OK, "");
    /* Errors. */
    EXPECT(swiftlet_embedder_embed_with_prefix(e, texts, NULL, 2, NULL, 3, a, 2 * dim), SWIFTLET_ERR_INVALID_ARGUMENT, "prefix is NULL but its length is 3");
    EXPECT(swiftlet_embedder_embed_with_prefix(e, texts, NULL, 2, "q\xff", 2, a, 2 * dim), SWIFTLET_ERR_INVALID_UTF8, "prefix is not valid UTF-8 (byte 1 of 2 is 0xff)");
    EXPECT(swiftlet_embedder_embed_with_prefix(e, texts, NULL, 2, prefix, (size_t)-1, a, 2 * dim), SWIFTLET_ERR_INVALID_ARGUMENT, "length of prefix");
    EXPECT(swiftlet_embedder_embed_with_prefix(e, texts, NULL, 2, prefix, strlen(prefix), a, 2 * dim - 1), SWIFTLET_ERR_BUFFER_TOO_SMALL, "need 768");
    EXPECT(swiftlet_embedder_embed_with_prefix(e, texts, NULL, (size_t)-1, prefix, strlen(prefix), a, 2 * dim), SWIFTLET_ERR_INVALID_ARGUMENT, "count is");
    EXPECT(swiftlet_embedder_embed_with_prefix(e, NULL, NULL, 2, prefix, strlen(prefix), a, 2 * dim), SWIFTLET_ERR_INVALID_ARGUMENT, "texts is NULL");
    EXPECT(swiftlet_embedder_embed_with_prefix(e, texts, NULL, 2, prefix, strlen(prefix), NULL, 2 * dim), SWIFTLET_ERR_INVALID_ARGUMENT, "out is NULL");
    {
        const char *bad[1] = {"\xc0\x80"};
        EXPECT(swiftlet_embedder_embed_with_prefix(e, bad, NULL, 1, prefix, strlen(prefix), a, dim), SWIFTLET_ERR_INVALID_UTF8, "texts[0] is not valid UTF-8");
    }
    EXPECT(swiftlet_embedder_embed_with_prefix(NULL, texts, NULL, 2, prefix, strlen(prefix), a, 2 * dim), SWIFTLET_ERR_INVALID_HANDLE, "handle is NULL");

    /* e5: "query: " / "passage: " given as strings equal the configured prefixes. (Not
     * under valgrind: it calls nothing new, and loading e5 there takes minutes.) */
    if (f->quick) return;
    swiftlet_embedder *e5 = NULL;
    EXPECT(swiftlet_embedder_open(f->e5_swl, NULL, &e5), SWIFTLET_OK, "");
    if (!e5) return;
    size_t d5 = 0;
    EXPECT(swiftlet_embedder_dimension(e5, &d5), SWIFTLET_OK, "");
    static const struct { swiftlet_prefix mode; const char *text; } modes[2] = {{SWIFTLET_PREFIX_QUERY, "query: "}, {SWIFTLET_PREFIX_PASSAGE, "passage: "}};
    for (int m = 0; m < 2 && d5 <= 1024; m++) {
        EXPECT(swiftlet_embedder_embed(e5, texts, NULL, 2, modes[m].mode, a, 2 * d5), SWIFTLET_OK, "");
        EXPECT(swiftlet_embedder_embed_with_prefix(e5, texts, NULL, 2, modes[m].text, strlen(modes[m].text), b, 2 * d5), SWIFTLET_OK, "");
        CHECK(memcmp(a, b, 2 * d5 * sizeof(float)) == 0, "e5: prefix '%s' as a string differs from the configured one", modes[m].text);
    }
    EXPECT(swiftlet_embedder_close(e5), SWIFTLET_OK, "");
}

static void test_embedder(const fixture *f) {
    test_embedder_open_errors(f);

    swiftlet_embedder_options opts = {2, 8};
    swiftlet_embedder *e = NULL;
    EXPECT(swiftlet_embedder_open(f->embedder_swl, &opts, &e), SWIFTLET_OK, "");
    if (!e) return;
    size_t dim = 0;
    EXPECT(swiftlet_embedder_dimension(e, &dim), SWIFTLET_OK, "");
    EXPECT(swiftlet_embedder_dimension(e, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_dimension is NULL");
    EXPECT(swiftlet_embedder_dimension(NULL, &dim), SWIFTLET_ERR_INVALID_HANDLE, "handle is NULL");

    npy_array golden;
    char *golden_path = join(f->golden, "all-MiniLM-L6-v2/embeddings.npy");
    CHECK(npy_read(golden_path, &golden) == 0, "cannot read %s", golden_path);
    free(golden_path);
    CHECK(golden.rank == 2 && golden.shape[0] == f->corpus.count && golden.shape[1] == dim,
          "golden shape [%zu, %zu], corpus %zu, dimension %zu", golden.shape[0], golden.shape[1], f->corpus.count, dim);

    /* The corpus against the reference. */
    size_t n = f->n;
    float *out = malloc(n * dim * sizeof(float));
    EXPECT(swiftlet_embedder_embed(e, (const char *const *)f->corpus.texts, f->corpus.lengths, n, SWIFTLET_PREFIX_NONE, out, n * dim), SWIFTLET_OK, "");
    double worst_cos = 1, worst_diff = 0;
    for (size_t i = 0; i < n; i++) {
        const float *ref = (const float *)golden.data + i * dim;
        double c = cosine(out + i * dim, ref, dim), d = max_abs_diff(out + i * dim, ref, dim);
        CHECK(c >= MIN_COSINE && d <= MAX_ABS_DIFF, "text %zu: cosine %.9f, max |diff| %.3g", i, c, d);
        if (c < worst_cos) worst_cos = c;
        if (d > worst_diff) worst_diff = d;
    }
    printf("embed: %zu texts, worst cosine %.13f, max |diff| %.3g\n", n, worst_cos, worst_diff);

    /* The same call gives the same bits again. */
    {
        size_t m = n < 16 ? n : 16;
        float *again = malloc(m * dim * sizeof(float));
        EXPECT(swiftlet_embedder_embed(e, (const char *const *)f->corpus.texts, f->corpus.lengths, m, SWIFTLET_PREFIX_NONE, again, m * dim), SWIFTLET_OK, "");
        float *first = malloc(m * dim * sizeof(float));
        EXPECT(swiftlet_embedder_embed(e, (const char *const *)f->corpus.texts, f->corpus.lengths, m, SWIFTLET_PREFIX_NONE, first, m * dim), SWIFTLET_OK, "");
        CHECK(memcmp(first, again, m * dim * sizeof(float)) == 0, "two identical calls gave different bits");
        free(again);
        free(first);
    }

    /* lengths == NULL: NUL-terminated texts; same result as with lengths. */
    {
        const char *texts[2] = {"Hello world", "Swiftlet"};
        size_t lengths[2] = {11, 8};
        float a[2 * 1024], b[2 * 1024];
        EXPECT(swiftlet_embedder_embed(e, texts, lengths, 2, SWIFTLET_PREFIX_NONE, a, 2 * dim), SWIFTLET_OK, "");
        EXPECT(swiftlet_embedder_embed(e, texts, NULL, 2, SWIFTLET_PREFIX_NONE, b, 2 * dim), SWIFTLET_OK, "");
        CHECK(memcmp(a, b, 2 * dim * sizeof(float)) == 0, "NUL-terminated texts embed differently");
        /* A NULL text of length 0 is the empty text. */
        const char *empty[2] = {NULL, ""};
        size_t zero[2] = {0, 0};
        EXPECT(swiftlet_embedder_embed(e, empty, zero, 2, SWIFTLET_PREFIX_NONE, a, 2 * dim), SWIFTLET_OK, "");
        CHECK(memcmp(a, a + dim, dim * sizeof(float)) == 0, "NULL/0 differs from \"\"");
        /* Bytes past the given length are not read: "Hello world" cut to 5 is "Hello". */
        const char *hello = "Hello";
        size_t five = 5;
        EXPECT(swiftlet_embedder_embed(e, &texts[0], &five, 1, SWIFTLET_PREFIX_NONE, a, dim), SWIFTLET_OK, "");
        EXPECT(swiftlet_embedder_embed(e, &hello, NULL, 1, SWIFTLET_PREFIX_NONE, b, dim), SWIFTLET_OK, "");
        CHECK(memcmp(a, b, dim * sizeof(float)) == 0, "length was not honoured");
    }

    /* count 0: nothing to do, NULLs allowed. */
    EXPECT(swiftlet_embedder_embed(e, NULL, NULL, 0, SWIFTLET_PREFIX_NONE, NULL, 0), SWIFTLET_OK, "");

    /* Errors. */
    {
        const char *texts[2] = {"ok", "also ok"};
        size_t lengths[2] = {2, 7};
        float buf[2 * 1024];
        EXPECT(swiftlet_embedder_embed(NULL, texts, lengths, 2, SWIFTLET_PREFIX_NONE, buf, 2 * dim), SWIFTLET_ERR_INVALID_HANDLE, "handle is NULL");
        EXPECT(swiftlet_embedder_embed(e, NULL, lengths, 2, SWIFTLET_PREFIX_NONE, buf, 2 * dim), SWIFTLET_ERR_INVALID_ARGUMENT, "texts is NULL");
        EXPECT(swiftlet_embedder_embed(e, texts, lengths, 2, SWIFTLET_PREFIX_NONE, NULL, 2 * dim), SWIFTLET_ERR_INVALID_ARGUMENT, "out is NULL");
        EXPECT(swiftlet_embedder_embed(e, texts, lengths, (size_t)-1, SWIFTLET_PREFIX_NONE, buf, 2 * dim), SWIFTLET_ERR_INVALID_ARGUMENT, "count is 18446744073709551615");
        EXPECT(swiftlet_embedder_embed(e, texts, lengths, SWIFTLET_MAX_TEXTS + 1, SWIFTLET_PREFIX_NONE, buf, 2 * dim), SWIFTLET_ERR_INVALID_ARGUMENT, "more than the limit");
        EXPECT(swiftlet_embedder_embed(e, texts, lengths, 2, SWIFTLET_PREFIX_NONE, buf, 2 * dim - 1), SWIFTLET_ERR_BUFFER_TOO_SMALL, "need 768");
        EXPECT(swiftlet_embedder_embed(e, texts, lengths, 2, SWIFTLET_PREFIX_NONE, buf, (size_t)-3), SWIFTLET_ERR_INVALID_ARGUMENT, "out_capacity");
        EXPECT(swiftlet_embedder_embed(e, texts, lengths, 2, 3, buf, 2 * dim), SWIFTLET_ERR_INVALID_ARGUMENT, "prefix is 3");
        EXPECT(swiftlet_embedder_embed(e, texts, lengths, 2, -1, buf, 2 * dim), SWIFTLET_ERR_INVALID_ARGUMENT, "prefix is -1");
        /* all-MiniLM-L6-v2 configures no e5-style prefixes. */
        EXPECT(swiftlet_embedder_embed(e, texts, lengths, 2, SWIFTLET_PREFIX_QUERY, buf, 2 * dim), SWIFTLET_ERR_INVALID_INPUT, "no query prefix");
        EXPECT(swiftlet_embedder_embed(e, texts, lengths, 2, SWIFTLET_PREFIX_PASSAGE, buf, 2 * dim), SWIFTLET_ERR_INVALID_INPUT, "no passage prefix");

        const char *null_text[2] = {"ok", NULL};
        EXPECT(swiftlet_embedder_embed(e, null_text, lengths, 2, SWIFTLET_PREFIX_NONE, buf, 2 * dim), SWIFTLET_ERR_INVALID_ARGUMENT, "texts[1] is NULL but its length is 7");
        EXPECT(swiftlet_embedder_embed(e, null_text, NULL, 2, SWIFTLET_PREFIX_NONE, buf, 2 * dim), SWIFTLET_ERR_INVALID_ARGUMENT, "texts[1] is NULL");
        size_t huge[2] = {2, (size_t)-1};
        EXPECT(swiftlet_embedder_embed(e, texts, huge, 2, SWIFTLET_PREFIX_NONE, buf, 2 * dim), SWIFTLET_ERR_INVALID_ARGUMENT, "length of texts[1]");
        huge[1] = SWIFTLET_MAX_TEXT_BYTES + 1;
        EXPECT(swiftlet_embedder_embed(e, texts, huge, 2, SWIFTLET_PREFIX_NONE, buf, 2 * dim), SWIFTLET_ERR_INVALID_ARGUMENT, "more than the limit");

        static const struct { const char *bytes; size_t len; const char *where; } bad_utf8[] = {
            {"ok\xff", 3, "byte 2 of 3 is 0xff"},                 /* never valid */
            {"\xc0\x80", 2, "byte 0 of 2 is 0xc0"},               /* overlong NUL */
            {"a\xe0\x80\xaf", 4, "byte 1 of 4 is 0xe0"},          /* overlong '/' */
            {"\xed\xa0\x80", 3, "byte 0 of 3 is 0xed"},           /* UTF-16 surrogate */
            {"\xf4\x90\x80\x80", 4, "byte 0 of 4 is 0xf4"},       /* above U+10FFFF */
            {"abc\xe2\x82", 5, "byte 3 of 5 is 0xe2"},            /* truncated sequence */
            {"\x80", 1, "byte 0 of 1 is 0x80"},                   /* stray continuation */
            {"\xe2\x28\xa1", 3, "byte 0 of 3 is 0xe2"},           /* bad continuation */
        };
        for (size_t i = 0; i < sizeof bad_utf8 / sizeof bad_utf8[0]; i++) {
            const char *t[2] = {"fine", bad_utf8[i].bytes};
            size_t l[2] = {4, bad_utf8[i].len};
            char needle[64];
            snprintf(needle, sizeof needle, "texts[1] is not valid UTF-8 (%s)", bad_utf8[i].where);
            EXPECT(swiftlet_embedder_embed(e, t, l, 2, SWIFTLET_PREFIX_NONE, buf, 2 * dim), SWIFTLET_ERR_INVALID_UTF8, needle);
        }
        /* Valid edge cases: U+10FFFF, U+FFFF, embedded NUL. */
        const char *edge[3] = {"\xf4\x8f\xbf\xbf", "\xef\xbf\xbf", "a\0b"};
        size_t edge_len[3] = {4, 3, 3};
        float edge_out[3 * 1024];
        EXPECT(swiftlet_embedder_embed(e, edge, edge_len, 3, SWIFTLET_PREFIX_NONE, edge_out, 3 * dim), SWIFTLET_OK, "");
    }

    test_embed_with_prefix(f, e, dim);

    /* Close, then every use is an error. */
    EXPECT(swiftlet_embedder_close(e), SWIFTLET_OK, "");
    EXPECT(swiftlet_embedder_close(e), SWIFTLET_ERR_INVALID_HANDLE, "already been closed");
    EXPECT(swiftlet_embedder_dimension(e, &dim), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    {
        const char *t = "x";
        float buf[1024];
        EXPECT(swiftlet_embedder_embed(e, &t, NULL, 1, SWIFTLET_PREFIX_NONE, buf, dim), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    }
    /* A new embedder does not revive the old handle, even if it reuses the slot. */
    swiftlet_embedder *e2 = NULL;
    EXPECT(swiftlet_embedder_open(f->embedder_swl, NULL, &e2), SWIFTLET_OK, "");
    CHECK(e2 != e, "a new handle equals a closed one");
    EXPECT(swiftlet_embedder_dimension(e, &dim), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    EXPECT(swiftlet_embedder_dimension(e2, &dim), SWIFTLET_OK, "");
    EXPECT(swiftlet_embedder_close(e2), SWIFTLET_OK, "");
    EXPECT(swiftlet_embedder_close(NULL), SWIFTLET_OK, "");

    npy_free(&golden);
    free(out);
}

/* ------------------------------------------------------------------ threads */

typedef struct worker {
    swiftlet_embedder *e;
    const fixture *f;
    size_t dim, first, count, rounds;
    const float *expected;   /* the single-thread result for texts first..first+count */
    int mismatches, errors, closed;
} worker;

static void *embed_worker(void *arg) {
    worker *w = arg;
    float *out = malloc(w->count * w->dim * sizeof(float));
    for (size_t r = 0; r < w->rounds; r++) {
        swiftlet_status s = swiftlet_embedder_embed(w->e, (const char *const *)&w->f->corpus.texts[w->first], &w->f->corpus.lengths[w->first],
                                                    w->count, SWIFTLET_PREFIX_NONE, out, w->count * w->dim);
        if (s == SWIFTLET_ERR_INVALID_HANDLE && strstr(swiftlet_last_error(), "has been closed")) { w->closed++; continue; }
        if (s != SWIFTLET_OK) { w->errors++; fprintf(stderr, "worker: %s\n", swiftlet_last_error()); continue; }
        if (memcmp(out, w->expected, w->count * w->dim * sizeof(float)) != 0) w->mismatches++;
    }
    free(out);
    return NULL;
}

static void test_threads(const fixture *f) {
    enum { MAX_THREADS = 4 };
    const int THREADS = f->n < 16 ? 2 : MAX_THREADS;
    swiftlet_embedder_options opts = {1, 4};
    swiftlet_embedder *e = NULL;
    EXPECT(swiftlet_embedder_open(f->embedder_swl, &opts, &e), SWIFTLET_OK, "");
    if (!e) return;
    size_t dim = 0, per = f->n < 8 ? 2 : 4;
    EXPECT(swiftlet_embedder_dimension(e, &dim), SWIFTLET_OK, "");
    /* Each thread's texts, embedded first on this thread alone. */
    float *expected = malloc((size_t)THREADS * per * dim * sizeof(float));
    for (size_t t = 0; t < (size_t)THREADS; t++)
        EXPECT(swiftlet_embedder_embed(e, (const char *const *)&f->corpus.texts[t * per], &f->corpus.lengths[t * per], per, SWIFTLET_PREFIX_NONE,
                                       expected + t * per * dim, per * dim), SWIFTLET_OK, "");

    /* Many threads on one handle: every result equals the single-thread one. */
    pthread_t tid[MAX_THREADS];
    worker w[MAX_THREADS];
    for (int t = 0; t < THREADS; t++) {
        w[t] = (worker){e, f, dim, (size_t)t * per, per, f->rounds, expected + (size_t)t * per * dim, 0, 0, 0};
        pthread_create(&tid[t], NULL, embed_worker, &w[t]);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(tid[t], NULL);
        CHECK(w[t].mismatches == 0 && w[t].errors == 0 && w[t].closed == 0, "thread %d: %d mismatches, %d errors", t, w[t].mismatches, w[t].errors);
    }

    /* Closing while other threads are inside calls: each call either completes with the
     * right result or reports the closed handle; nothing crashes or leaks. */
    for (int t = 0; t < THREADS; t++) {
        w[t] = (worker){e, f, dim, (size_t)t * per, per, f->rounds + 1, expected + (size_t)t * per * dim, 0, 0, 0};
        pthread_create(&tid[t], NULL, embed_worker, &w[t]);
    }
    nanosleep(&(struct timespec){0, 1000000}, NULL);
    EXPECT(swiftlet_embedder_close(e), SWIFTLET_OK, "");
    for (int t = 0; t < THREADS; t++) {
        pthread_join(tid[t], NULL);
        CHECK(w[t].mismatches == 0 && w[t].errors == 0, "thread %d after close: %d mismatches, %d errors", t, w[t].mismatches, w[t].errors);
    }
    free(expected);
}

/* ------------------------------------------------------------------ tokenizer */

static void test_tokenizer(const fixture *f) {
    swiftlet_tokenizer *t = NULL;
    EXPECT(swiftlet_tokenizer_open(NULL, &t), SWIFTLET_ERR_INVALID_ARGUMENT, "path is NULL");
    EXPECT(swiftlet_tokenizer_open(f->embedder_swl, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_tokenizer is NULL");
    EXPECT(swiftlet_tokenizer_open("/nonexistent.swl", &t), SWIFTLET_ERR_IO, "/nonexistent.swl");
    EXPECT(swiftlet_tokenizer_open(f->graph_swl, &t), SWIFTLET_ERR_INVALID_MODEL, "has no tokenizer.json");
    EXPECT(swiftlet_tokenizer_open("\xc3(", &t), SWIFTLET_ERR_INVALID_UTF8, "path is not valid UTF-8");
    CHECK(t == NULL, "failed open wrote a handle");
    EXPECT(swiftlet_tokenizer_open(f->embedder_swl, &t), SWIFTLET_OK, "");
    if (!t) return;

    /* Ids against HF tokenizers (golden tokens.jsonl: truncation to 256 = the model's max_length). */
    id_list golden;
    char *path = join(f->golden, "all-MiniLM-L6-v2/tokens.jsonl");
    CHECK(jsonl_read_ids(path, &golden) == 0 && golden.count == f->corpus.count, "cannot read %s", path);
    free(path);
    int32_t ids[1024], mask[1024];
    size_t count = 0, same = 0;
    size_t compared = f->n < golden.count ? f->n : golden.count;
    for (size_t i = 0; i < compared; i++) {
        EXPECT(swiftlet_tokenizer_encode(t, f->corpus.texts[i], f->corpus.lengths[i], 0, 0, ids, mask, 1024, &count), SWIFTLET_OK, "");
        int ok = count == golden.lengths[i] && memcmp(ids, golden.ids[i], count * sizeof(int32_t)) == 0;
        for (size_t k = 0; k < count; k++) ok = ok && mask[k] == 1;
        CHECK(ok, "text %zu: ids differ from HF tokenizers (%zu vs %zu tokens)", i, count, golden.lengths[i]);
        same += ok;
    }
    printf("tokenize: %zu/%zu texts with identical ids\n", same, compared);

    /* Flags and max_length. Text 0 is short; text 413 has 999 tokens untruncated. */
    const char *text = f->corpus.texts[0];
    size_t len = f->corpus.lengths[0];
    size_t full = 0, bare = 0;
    EXPECT(swiftlet_tokenizer_encode(t, text, len, 0, 0, ids, NULL, 1024, &full), SWIFTLET_OK, "");
    int32_t bare_ids[1024];
    EXPECT(swiftlet_tokenizer_encode(t, text, len, SWIFTLET_ENCODE_NO_SPECIAL_TOKENS, 0, bare_ids, NULL, 1024, &bare), SWIFTLET_OK, "");
    CHECK(bare == full - 2 && memcmp(bare_ids, ids + 1, bare * sizeof(int32_t)) == 0, "no-special-tokens ids are not the inner ids");
    size_t cut = 0;
    int32_t cut_ids[8];
    EXPECT(swiftlet_tokenizer_encode(t, text, len, 0, 5, cut_ids, NULL, 8, &cut), SWIFTLET_OK, "");
    CHECK(cut == 5 && memcmp(cut_ids, ids, 4 * sizeof(int32_t)) == 0 && cut_ids[4] == ids[full - 1], "max_length 5 did not keep 4 tokens + the final special token");
    if (f->corpus.count > 413) {
        size_t n256 = 0, nall = 0;
        int32_t *many = malloc(4096 * sizeof(int32_t));
        EXPECT(swiftlet_tokenizer_encode(t, f->corpus.texts[413], f->corpus.lengths[413], 0, 0, many, NULL, 4096, &n256), SWIFTLET_OK, "");
        EXPECT(swiftlet_tokenizer_encode(t, f->corpus.texts[413], f->corpus.lengths[413], 0, SIZE_MAX, many, NULL, 4096, &nall), SWIFTLET_OK, "");
        CHECK(n256 == 256 && nall == 999, "text 413: %zu tokens truncated (want 256), %zu untruncated (want 999)", n256, nall);
        free(many);
    }

    /* Sizing: capacity 0 asks for the count; too small says how much. */
    size_t need = 0;
    EXPECT(swiftlet_tokenizer_encode(t, text, len, 0, 0, NULL, NULL, 0, &need), SWIFTLET_ERR_BUFFER_TOO_SMALL, "hold 0");
    CHECK(need == full, "size query returned %zu, want %zu", need, full);
    EXPECT(swiftlet_tokenizer_encode(t, text, len, 0, 0, ids, mask, full - 1, &need), SWIFTLET_ERR_BUFFER_TOO_SMALL, "tokens but the arrays hold");
    CHECK(need == full, "too-small call returned %zu, want %zu", need, full);
    EXPECT(swiftlet_tokenizer_encode(t, "", 0, SWIFTLET_ENCODE_NO_SPECIAL_TOKENS, 0, NULL, NULL, 0, &need), SWIFTLET_OK, "");
    CHECK(need == 0, "empty text without special tokens has %zu tokens", need);
    EXPECT(swiftlet_tokenizer_encode(t, NULL, 0, 0, 0, ids, NULL, 1024, &need), SWIFTLET_OK, "");
    CHECK(need == 2, "NULL/0 text gave %zu tokens, want [CLS] [SEP]", need);

    /* Encode errors. */
    EXPECT(swiftlet_tokenizer_encode(NULL, text, len, 0, 0, ids, mask, 1024, &count), SWIFTLET_ERR_INVALID_HANDLE, "handle is NULL");
    EXPECT(swiftlet_tokenizer_encode(t, text, len, 0, 0, ids, mask, 1024, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_count is NULL");
    EXPECT(swiftlet_tokenizer_encode(t, NULL, 3, 0, 0, ids, mask, 1024, &count), SWIFTLET_ERR_INVALID_ARGUMENT, "text is NULL but its length is 3");
    EXPECT(swiftlet_tokenizer_encode(t, "a\xff", 2, 0, 0, ids, mask, 1024, &count), SWIFTLET_ERR_INVALID_UTF8, "byte 1 of 2 is 0xff");
    EXPECT(swiftlet_tokenizer_encode(t, text, (size_t)-1, 0, 0, ids, mask, 1024, &count), SWIFTLET_ERR_INVALID_ARGUMENT, "length of text");
    EXPECT(swiftlet_tokenizer_encode(t, text, len, 4, 0, ids, mask, 1024, &count), SWIFTLET_ERR_INVALID_ARGUMENT, "flags 0x4 has unknown bits");
    EXPECT(swiftlet_tokenizer_encode(t, text, len, 0, 0, NULL, mask, 1024, &count), SWIFTLET_ERR_INVALID_ARGUMENT, "ids is NULL");
    EXPECT(swiftlet_tokenizer_encode(t, text, len, 0, 0, ids, mask, (size_t)-1, &count), SWIFTLET_ERR_INVALID_ARGUMENT, "capacity");

    /* Decode: back to the (lowercased, BERT-normalized) text; special tokens skipped unless asked. */
    {
        const char *plain = "hello world, this is swiftlet.";
        size_t n = 0, out_len = 0, kept_len = 0;
        char out[256], kept[256];
        EXPECT(swiftlet_tokenizer_encode(t, plain, strlen(plain), 0, 0, ids, NULL, 1024, &n), SWIFTLET_OK, "");
        EXPECT(swiftlet_tokenizer_decode(t, ids, n, 0, out, sizeof out, &out_len), SWIFTLET_OK, "");
        CHECK(out_len == strlen(out) && strcmp(out, plain) == 0, "decode gave '%s'", out);
        EXPECT(swiftlet_tokenizer_decode(t, ids, n, SWIFTLET_DECODE_KEEP_SPECIAL_TOKENS, kept, sizeof kept, &kept_len), SWIFTLET_OK, "");
        CHECK(kept_len > out_len && strstr(kept, plain) != NULL, "keeping special tokens gave '%s'", kept);
        size_t need_len = 0;
        EXPECT(swiftlet_tokenizer_decode(t, ids, n, 0, NULL, 0, &need_len), SWIFTLET_ERR_BUFFER_TOO_SMALL, "needs 31 with its NUL");
        CHECK(need_len == strlen(plain), "size query gave %zu", need_len);
        EXPECT(swiftlet_tokenizer_decode(t, ids, n, 0, out, strlen(plain), &need_len), SWIFTLET_ERR_BUFFER_TOO_SMALL, "out holds 30");
        EXPECT(swiftlet_tokenizer_decode(t, ids, n, 0, out, strlen(plain) + 1, &need_len), SWIFTLET_OK, "");
        EXPECT(swiftlet_tokenizer_decode(t, NULL, 0, 0, out, sizeof out, &need_len), SWIFTLET_OK, "");
        CHECK(need_len == 0 && out[0] == '\0', "decoding nothing gave '%s'", out);
        /* Ids that name no token are skipped, as HF does. */
        int32_t odd[3] = {ids[1], -7, 999999999};
        EXPECT(swiftlet_tokenizer_decode(t, odd, 3, 0, out, sizeof out, &need_len), SWIFTLET_OK, "");
        EXPECT(swiftlet_tokenizer_decode(NULL, ids, n, 0, out, sizeof out, &need_len), SWIFTLET_ERR_INVALID_HANDLE, "handle is NULL");
        EXPECT(swiftlet_tokenizer_decode(t, NULL, 3, 0, out, sizeof out, &need_len), SWIFTLET_ERR_INVALID_ARGUMENT, "ids is NULL");
        EXPECT(swiftlet_tokenizer_decode(t, ids, (size_t)-1, 0, out, sizeof out, &need_len), SWIFTLET_ERR_INVALID_ARGUMENT, "count is");
        EXPECT(swiftlet_tokenizer_decode(t, ids, n, 2, out, sizeof out, &need_len), SWIFTLET_ERR_INVALID_ARGUMENT, "flags 0x2");
        EXPECT(swiftlet_tokenizer_decode(t, ids, n, 0, NULL, 64, &need_len), SWIFTLET_ERR_INVALID_ARGUMENT, "out is NULL");
        EXPECT(swiftlet_tokenizer_decode(t, ids, n, 0, out, sizeof out, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_length is NULL");
        EXPECT(swiftlet_tokenizer_decode(t, ids, n, 0, out, (size_t)-2, &need_len), SWIFTLET_ERR_INVALID_ARGUMENT, "capacity");
    }

    EXPECT(swiftlet_tokenizer_close(t), SWIFTLET_OK, "");
    EXPECT(swiftlet_tokenizer_close(t), SWIFTLET_ERR_INVALID_HANDLE, "already been closed");
    EXPECT(swiftlet_tokenizer_encode(t, text, len, 0, 0, ids, mask, 1024, &count), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    EXPECT(swiftlet_tokenizer_decode(t, ids, 1, 0, (char *)mask, 64, &count), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    EXPECT(swiftlet_tokenizer_close(NULL), SWIFTLET_OK, "");
    id_list_free(&golden);
}

/* ------------------------------------------------------------------ session */

static void test_session_graph(const fixture *f) {
    swiftlet_session *s = NULL;
    swiftlet_session_options opts = {1};
    EXPECT(swiftlet_session_open(f->graph_swl, &opts, &s), SWIFTLET_OK, "");
    if (!s) return;
    size_t n = 0;
    swiftlet_value_info info;
    EXPECT(swiftlet_session_io_count(s, SWIFTLET_INPUTS, &n), SWIFTLET_OK, "");
    CHECK(n == 1, "graph has %zu inputs", n);
    EXPECT(swiftlet_session_io_info(s, SWIFTLET_INPUTS, 0, &info), SWIFTLET_OK, "");
    CHECK(strcmp(info.name, "x") == 0 && info.dtype == SWIFTLET_DTYPE_FLOAT32 && info.rank == 2 && info.dims[0] == -1 && info.dims[1] == 3,
          "input info %s %d rank %zu", info.name, (int)info.dtype, info.rank);

    /* y = x + bias; the bias is read back from a run with x = 0. */
    float zeros[3] = {0, 0, 0}, x[6] = {1.5f, -2, 3.25f, 0, 10, -0.5f};
    int64_t shape1[2] = {1, 3}, shape2[2] = {2, 3};
    swiftlet_tensor in0 = {"x", SWIFTLET_DTYPE_FLOAT32, 2, shape1, zeros, sizeof zeros};
    swiftlet_tensors *r = NULL;
    EXPECT(swiftlet_session_run(s, &in0, 1, NULL, 0, &r), SWIFTLET_OK, "");
    swiftlet_tensor y;
    float bias[3] = {0, 0, 0};
    EXPECT(swiftlet_tensors_get(r, 0, &y), SWIFTLET_OK, "");
    if (y.byte_count == sizeof bias) memcpy(bias, y.data, sizeof bias);
    EXPECT(swiftlet_tensors_free(r), SWIFTLET_OK, "");
    swiftlet_tensor in = {"x", SWIFTLET_DTYPE_FLOAT32, 2, shape2, x, sizeof x};
    const char *want[1] = {"y"};
    EXPECT(swiftlet_session_run(s, &in, 1, want, 1, &r), SWIFTLET_OK, "");
    EXPECT(swiftlet_tensors_get(r, 0, &y), SWIFTLET_OK, "");
    int ok = strcmp(y.name, "y") == 0 && y.dtype == SWIFTLET_DTYPE_FLOAT32 && y.rank == 2 && y.shape[0] == 2 && y.shape[1] == 3 && y.byte_count == sizeof x;
    for (int i = 0; ok && i < 6; i++) ok = ((const float *)y.data)[i] == x[i] + bias[i % 3];
    CHECK(ok, "graph y != x + bias");
    EXPECT(swiftlet_tensors_free(r), SWIFTLET_OK, "");

    /* Batch 0 is a valid (empty) tensor. */
    int64_t shape0[2] = {0, 3};
    swiftlet_tensor empty = {"x", SWIFTLET_DTYPE_FLOAT32, 2, shape0, NULL, 0};
    EXPECT(swiftlet_session_run(s, &empty, 1, NULL, 0, &r), SWIFTLET_OK, "");
    EXPECT(swiftlet_tensors_get(r, 0, &y), SWIFTLET_OK, "");
    CHECK(y.byte_count == 0 && y.shape[0] == 0, "empty batch gave %zu bytes", y.byte_count);
    EXPECT(swiftlet_tensors_free(r), SWIFTLET_OK, "");

    /* Input errors. */
    swiftlet_tensor t;
    int64_t neg[2] = {-1, 3}, big[2] = {INT64_MAX, 3};
    int64_t dims17[17];
    for (int i = 0; i < 17; i++) dims17[i] = 1;
    t = in; t.name = NULL;
    EXPECT(swiftlet_session_run(s, &t, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "inputs[0].name is NULL");
    t = in; t.name = "x\xfe";
    EXPECT(swiftlet_session_run(s, &t, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_UTF8, "inputs[0].name is not valid UTF-8");
    t = in; t.name = "nope";
    EXPECT(swiftlet_session_run(s, &t, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_INPUT, "unknown input 'nope'");
    t = in; t.dtype = 99;
    EXPECT(swiftlet_session_run(s, &t, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "unknown dtype 99");
    t = in; t.dtype = SWIFTLET_DTYPE_INT32;
    EXPECT(swiftlet_session_run(s, &t, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_INPUT, "must be float32, got int32");
    t = in; t.rank = 1; t.byte_count = 8;
    EXPECT(swiftlet_session_run(s, &t, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_INPUT, "must have rank 2");
    t = in; t.rank = 17; t.shape = dims17; t.byte_count = 4;
    EXPECT(swiftlet_session_run(s, &t, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "rank is 17");
    t = in; t.rank = (size_t)-1;
    EXPECT(swiftlet_session_run(s, &t, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "rank is 18446744073709551615");
    t = in; t.shape = NULL;
    EXPECT(swiftlet_session_run(s, &t, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "shape is NULL");
    t = in; t.shape = neg;
    EXPECT(swiftlet_session_run(s, &t, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "dimension 0 is -1");
    t = in; t.shape = big;
    EXPECT(swiftlet_session_run(s, &t, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "too many");
    t = in; t.byte_count = sizeof x - 4;
    EXPECT(swiftlet_session_run(s, &t, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "needs 24");
    t = in; t.data = NULL;
    EXPECT(swiftlet_session_run(s, &t, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "data is NULL");
    t = in; t.shape = shape1;
    EXPECT(swiftlet_session_run(s, &t, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "byte_count is 24 but float32 [1, 3] needs 12");
    {
        int64_t wrong[2] = {2, 4};
        float x8[8] = {0};
        t = in; t.shape = wrong; t.data = x8; t.byte_count = sizeof x8;
        EXPECT(swiftlet_session_run(s, &t, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_INPUT, "dim 1 must be 3, got 4");
    }
    swiftlet_tensor two[2] = {in, in};
    EXPECT(swiftlet_session_run(s, two, 2, NULL, 0, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "input 'x' is given twice");
    EXPECT(swiftlet_session_run(s, NULL, 0, NULL, 0, &r), SWIFTLET_ERR_INVALID_INPUT, "missing input 'x'");
    EXPECT(swiftlet_session_run(s, NULL, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "inputs is NULL");
    EXPECT(swiftlet_session_run(s, &in, (size_t)-1, NULL, 0, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "input_count");
    EXPECT(swiftlet_session_run(s, &in, 1, NULL, 0, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_tensors is NULL");
    EXPECT(swiftlet_session_run(NULL, &in, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_HANDLE, "handle is NULL");
    {
        const char *unknown[1] = {"z"}, *twice[2] = {"y", "y"}, *null_name[1] = {NULL};
        EXPECT(swiftlet_session_run(s, &in, 1, unknown, 1, &r), SWIFTLET_ERR_INVALID_INPUT, "no graph output named 'z'");
        EXPECT(swiftlet_session_run(s, &in, 1, twice, 2, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "output 'y' is asked for twice");
        EXPECT(swiftlet_session_run(s, &in, 1, null_name, 1, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "output_names[0] is NULL");
        EXPECT(swiftlet_session_run(s, &in, 1, NULL, 1, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "output_names is NULL");
        EXPECT(swiftlet_session_run(s, &in, 1, unknown, 0, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "output_count is 0");
        EXPECT(swiftlet_session_run(s, &in, 1, unknown, (size_t)-1, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "output_count");
    }

    /* io errors. */
    EXPECT(swiftlet_session_io_count(s, 2, &n), SWIFTLET_ERR_INVALID_ARGUMENT, "io is 2");
    EXPECT(swiftlet_session_io_count(s, SWIFTLET_OUTPUTS, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_count is NULL");
    EXPECT(swiftlet_session_io_count(NULL, SWIFTLET_OUTPUTS, &n), SWIFTLET_ERR_INVALID_HANDLE, "handle is NULL");
    EXPECT(swiftlet_session_io_info(s, SWIFTLET_OUTPUTS, 1, &info), SWIFTLET_ERR_INVALID_ARGUMENT, "index 1 is out of range: the graph has 1 outputs");
    EXPECT(swiftlet_session_io_info(s, SWIFTLET_INPUTS, (size_t)-1, &info), SWIFTLET_ERR_INVALID_ARGUMENT, "out of range");
    EXPECT(swiftlet_session_io_info(s, -1, 0, &info), SWIFTLET_ERR_INVALID_ARGUMENT, "io is -1");
    EXPECT(swiftlet_session_io_info(s, SWIFTLET_INPUTS, 0, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_info is NULL");
    EXPECT(swiftlet_session_io_info(NULL, SWIFTLET_INPUTS, 0, &info), SWIFTLET_ERR_INVALID_HANDLE, "handle is NULL");

    /* Result handle errors. */
    EXPECT(swiftlet_session_run(s, &in, 1, NULL, 0, &r), SWIFTLET_OK, "");
    EXPECT(swiftlet_tensors_count(r, &n), SWIFTLET_OK, "");
    CHECK(n == 1, "result has %zu tensors", n);
    EXPECT(swiftlet_tensors_count(r, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_count is NULL");
    EXPECT(swiftlet_tensors_count(NULL, &n), SWIFTLET_ERR_INVALID_HANDLE, "handle is NULL");
    EXPECT(swiftlet_tensors_get(r, 1, &y), SWIFTLET_ERR_INVALID_ARGUMENT, "index 1 is out of range: the result has 1 tensors");
    EXPECT(swiftlet_tensors_get(r, 0, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_tensor is NULL");
    EXPECT(swiftlet_tensors_get(NULL, 0, &y), SWIFTLET_ERR_INVALID_HANDLE, "handle is NULL");
    /* The result outlives its session. */
    EXPECT(swiftlet_session_close(s), SWIFTLET_OK, "");
    EXPECT(swiftlet_tensors_get(r, 0, &y), SWIFTLET_OK, "");
    ok = y.byte_count == sizeof x;
    for (int i = 0; ok && i < 6; i++) ok = ((const float *)y.data)[i] == x[i] + bias[i % 3];
    CHECK(ok, "result changed after its session was closed");
    EXPECT(swiftlet_tensors_free(r), SWIFTLET_OK, "");
    EXPECT(swiftlet_tensors_free(r), SWIFTLET_ERR_INVALID_HANDLE, "already been closed");
    EXPECT(swiftlet_tensors_count(r, &n), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    EXPECT(swiftlet_tensors_get(r, 0, &y), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    EXPECT(swiftlet_tensors_free(NULL), SWIFTLET_OK, "");
    EXPECT(swiftlet_session_close(s), SWIFTLET_ERR_INVALID_HANDLE, "already been closed");
    EXPECT(swiftlet_session_run(s, &in, 1, NULL, 0, &r), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    EXPECT(swiftlet_session_io_count(s, SWIFTLET_INPUTS, &n), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    EXPECT(swiftlet_session_io_info(s, SWIFTLET_INPUTS, 0, &info), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    EXPECT(swiftlet_session_close(NULL), SWIFTLET_OK, "");
}

/* The opset-14 MiniLM graph through the session API against onnxruntime (golden raw/). */
static void test_session_model(const fixture *f) {
    swiftlet_session *s = NULL;
    EXPECT(swiftlet_session_open(NULL, NULL, &s), SWIFTLET_ERR_INVALID_ARGUMENT, "path is NULL");
    EXPECT(swiftlet_session_open(f->onnx_swl, NULL, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_session is NULL");
    EXPECT(swiftlet_session_open("/nonexistent.swl", NULL, &s), SWIFTLET_ERR_IO, "/nonexistent.swl");
    swiftlet_session_options bad = {-2};
    EXPECT(swiftlet_session_open(f->onnx_swl, &bad, &s), SWIFTLET_ERR_INVALID_ARGUMENT, "options.threads is -2");
    EXPECT(swiftlet_session_open(f->onnx_swl, NULL, &s), SWIFTLET_OK, "");
    if (!s) return;

    static const char *names[3] = {"input_ids", "attention_mask", "token_type_ids"};
    size_t n = 0;
    EXPECT(swiftlet_session_io_count(s, SWIFTLET_INPUTS, &n), SWIFTLET_OK, "");
    CHECK(n == 3, "%zu inputs", n);
    for (size_t i = 0; i < n && i < 3; i++) {
        swiftlet_value_info info;
        EXPECT(swiftlet_session_io_info(s, SWIFTLET_INPUTS, i, &info), SWIFTLET_OK, "");
        CHECK(strcmp(info.name, names[i]) == 0 && info.dtype == SWIFTLET_DTYPE_INT64 && info.rank == 2 && info.dims[0] == -1 && info.dims[1] == -1,
              "input %zu: %s", i, info.name);
    }
    swiftlet_value_info out_info;
    EXPECT(swiftlet_session_io_count(s, SWIFTLET_OUTPUTS, &n), SWIFTLET_OK, "");
    EXPECT(swiftlet_session_io_info(s, SWIFTLET_OUTPUTS, 0, &out_info), SWIFTLET_OK, "");
    CHECK(n == 1 && strcmp(out_info.name, "last_hidden_state") == 0 && out_info.rank == 3 && out_info.dims[2] == 384, "output info");

    npy_array arrays[4];
    static const char *files[4] = {"all-MiniLM-L6-v2/raw/input_ids.npy", "all-MiniLM-L6-v2/raw/attention_mask.npy",
                                   "all-MiniLM-L6-v2/raw/token_type_ids.npy", "all-MiniLM-L6-v2/raw/last_hidden_state.npy"};
    int loaded = 1;
    for (int i = 0; i < 4; i++) {
        char *p = join(f->golden, files[i]);
        if (npy_read(p, &arrays[i]) != 0) { loaded = 0; CHECK(0, "cannot read %s", p); }
        free(p);
    }
    if (loaded) {
        swiftlet_tensor in[3];
        int64_t shape[2] = {(int64_t)arrays[0].shape[0], (int64_t)arrays[0].shape[1]};
        for (int i = 0; i < 3; i++) in[i] = (swiftlet_tensor){names[i], SWIFTLET_DTYPE_INT64, 2, shape, arrays[i].data, arrays[i].count * 8};
        swiftlet_tensors *r = NULL;
        EXPECT(swiftlet_session_run(s, in, 3, NULL, 0, &r), SWIFTLET_OK, "");
        swiftlet_tensor y;
        EXPECT(swiftlet_tensors_get(r, 0, &y), SWIFTLET_OK, "");
        const npy_array *ref = &arrays[3];
        int shape_ok = y.rank == 3 && (size_t)y.shape[0] == ref->shape[0] && (size_t)y.shape[1] == ref->shape[1] && (size_t)y.shape[2] == ref->shape[2];
        CHECK(shape_ok && y.dtype == SWIFTLET_DTYPE_FLOAT32 && y.byte_count == ref->count * 4, "last_hidden_state shape");
        if (shape_ok) {
            size_t h = ref->shape[2], positions = ref->shape[0] * ref->shape[1];
            double worst = 0;
            for (size_t p = 0; p < positions; p++) {
                if (((const int64_t *)arrays[1].data)[p] == 0) continue;  /* pad rows: see golden/README */
                double d = max_abs_diff((const float *)y.data + p * h, (const float *)ref->data + p * h, h);
                if (d > worst) worst = d;
            }
            CHECK(worst <= MAX_ABS_DIFF, "session vs onnxruntime: max |diff| %.3g", worst);
            printf("session: last_hidden_state vs onnxruntime, max |diff| %.3g\n", worst);
        }
        EXPECT(swiftlet_tensors_free(r), SWIFTLET_OK, "");

        /* An out-of-vocabulary id is the model's error, not a crash. */
        int64_t *bad_ids = malloc(arrays[0].count * 8);
        memcpy(bad_ids, arrays[0].data, arrays[0].count * 8);
        bad_ids[1] = 1000000;
        in[0].data = bad_ids;
        EXPECT(swiftlet_session_run(s, in, 3, NULL, 0, &r), SWIFTLET_ERR_INVALID_INPUT, "out of range");
        free(bad_ids);
        /* Inconsistent symbolic dimensions across inputs. */
        int64_t other[2] = {shape[0], shape[1] - 1};
        in[0].data = arrays[0].data;
        in[1].shape = other;
        in[1].byte_count = (size_t)(other[0] * other[1]) * 8;
        EXPECT(swiftlet_session_run(s, in, 3, NULL, 0, &r), SWIFTLET_ERR_INVALID_INPUT, "dimension 'sequence'");
    }
    for (int i = 0; i < 4; i++) npy_free(&arrays[i]);
    EXPECT(swiftlet_session_close(s), SWIFTLET_OK, "");
}

/* ------------------------------------------------------------------ handle kinds */

static void test_handle_kinds(const fixture *f) {
    swiftlet_embedder *e = NULL;
    swiftlet_tokenizer *t = NULL;
    swiftlet_session *s = NULL;
    EXPECT(swiftlet_embedder_open(f->embedder_swl, NULL, &e), SWIFTLET_OK, "");
    EXPECT(swiftlet_tokenizer_open(f->embedder_swl, &t), SWIFTLET_OK, "");
    EXPECT(swiftlet_session_open(f->graph_swl, NULL, &s), SWIFTLET_OK, "");
    size_t n;
    int32_t ids[8];
    char text[8];
    swiftlet_tensor y;
    swiftlet_tensors *r = NULL;
    const char *one = "x";
    float out[1024];
    /* Every kind passed where another is expected. */
    EXPECT(swiftlet_embedder_dimension((swiftlet_embedder *)t, &n), SWIFTLET_ERR_INVALID_HANDLE, "is a swiftlet_tokenizer, not a swiftlet_embedder");
    EXPECT(swiftlet_embedder_embed((swiftlet_embedder *)s, &one, NULL, 1, 0, out, 1024), SWIFTLET_ERR_INVALID_HANDLE, "is a swiftlet_session, not a swiftlet_embedder");
    EXPECT(swiftlet_embedder_close((swiftlet_embedder *)t), SWIFTLET_ERR_INVALID_HANDLE, "not a swiftlet_embedder");
    EXPECT(swiftlet_tokenizer_encode((swiftlet_tokenizer *)e, "a", 1, 0, 0, ids, NULL, 8, &n), SWIFTLET_ERR_INVALID_HANDLE, "is a swiftlet_embedder, not a swiftlet_tokenizer");
    EXPECT(swiftlet_tokenizer_decode((swiftlet_tokenizer *)s, ids, 0, 0, text, 8, &n), SWIFTLET_ERR_INVALID_HANDLE, "not a swiftlet_tokenizer");
    EXPECT(swiftlet_tokenizer_close((swiftlet_tokenizer *)e), SWIFTLET_ERR_INVALID_HANDLE, "not a swiftlet_tokenizer");
    EXPECT(swiftlet_session_io_count((swiftlet_session *)e, SWIFTLET_INPUTS, &n), SWIFTLET_ERR_INVALID_HANDLE, "not a swiftlet_session");
    EXPECT(swiftlet_session_run((swiftlet_session *)t, NULL, 0, NULL, 0, &r), SWIFTLET_ERR_INVALID_HANDLE, "not a swiftlet_session");
    EXPECT(swiftlet_session_close((swiftlet_session *)t), SWIFTLET_ERR_INVALID_HANDLE, "not a swiftlet_session");
    EXPECT(swiftlet_tensors_count((swiftlet_tensors *)s, &n), SWIFTLET_ERR_INVALID_HANDLE, "is a swiftlet_session, not a swiftlet_tensors");
    EXPECT(swiftlet_tensors_get((swiftlet_tensors *)e, 0, &y), SWIFTLET_ERR_INVALID_HANDLE, "not a swiftlet_tensors");
    EXPECT(swiftlet_tensors_free((swiftlet_tensors *)t), SWIFTLET_ERR_INVALID_HANDLE, "not a swiftlet_tensors");
    /* Values the library never issued, including real pointers. Never dereferenced. */
    int local = 0;
    EXPECT(swiftlet_embedder_dimension((swiftlet_embedder *)&local, &n), SWIFTLET_ERR_INVALID_HANDLE, "not a handle issued by libswiftlet");
    EXPECT(swiftlet_tokenizer_close((swiftlet_tokenizer *)(uintptr_t)0x1234), SWIFTLET_ERR_INVALID_HANDLE, "not a handle issued by libswiftlet");
    EXPECT(swiftlet_session_close((swiftlet_session *)(uintptr_t)0x8100000000ffffffULL), SWIFTLET_ERR_INVALID_HANDLE, "not a swiftlet_session");
    EXPECT(swiftlet_embedder_close((swiftlet_embedder *)(uintptr_t)0x81000000ffffffffULL), SWIFTLET_ERR_INVALID_HANDLE, "never issued");
    /* All still work after the misuse. */
    EXPECT(swiftlet_embedder_dimension(e, &n), SWIFTLET_OK, "");
    EXPECT(swiftlet_embedder_close(e), SWIFTLET_OK, "");
    EXPECT(swiftlet_tokenizer_close(t), SWIFTLET_OK, "");
    EXPECT(swiftlet_session_close(s), SWIFTLET_OK, "");
}

/* Error messages are per thread. */
static void *error_in_thread(void *arg) {
    (void)arg;
    swiftlet_embedder *e = NULL;
    swiftlet_embedder_open(NULL, NULL, &e);
    return strstr(swiftlet_last_error(), "path is NULL") ? (void *)1 : NULL;
}

static void test_last_error_is_per_thread(void) {
    EXPECT(swiftlet_check_abi(0), SWIFTLET_ERR_VERSION_MISMATCH, "ABI 0.0");
    pthread_t tid;
    void *ok = NULL;
    pthread_create(&tid, NULL, error_in_thread, NULL);
    pthread_join(tid, &ok);
    CHECK(ok != NULL, "the other thread did not see its own message");
    CHECK(strstr(swiftlet_last_error(), "ABI 0.0") != NULL, "this thread's message was overwritten: %s", swiftlet_last_error());
}

/* Each group's wall time on stderr (unbuffered): under valgrind this run is most of CI's
 * client tests, and the log should say which calls take it. */
static double seconds_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}
#define TIMED(call) do { \
        double t0_ = seconds_now(); \
        call; \
        fprintf(stderr, "test_swiftlet: %7.1f s  %s\n", seconds_now() - t0_, #call); \
    } while (0)

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s MODELS_DIR GOLDEN_DIR GRAPH_SWL [--quick]\n", argv[0]);
        return 2;
    }
    int quick = argc > 4 && strcmp(argv[4], "--quick") == 0;
    fixture f;
    memset(&f, 0, sizeof f);
    char *embedder_swl = join(argv[1], "all-MiniLM-L6-v2.swl");
    char *onnx_swl = join(argv[1], "all-MiniLM-L6-v2-onnx14.swl");
    char *e5_swl = join(argv[1], "multilingual-e5-small.swl");
    f.e5_swl = e5_swl;
    f.embedder_swl = embedder_swl;
    f.onnx_swl = onnx_swl;
    f.graph_swl = argv[3];
    f.golden = argv[2];
    const char *need[4] = {f.embedder_swl, f.onnx_swl, f.graph_swl, f.e5_swl};
    for (int i = 0; i < 4; i++) {
        if (!file_exists(need[i])) {
            fprintf(stderr, "FAIL: model %s is missing: run `bash tools/setup.sh` (CI runs it through .ci/run)\n", need[i]);
            return 1;
        }
    }
    char *corpus = join(argv[2], "corpus/en.jsonl");
    if (jsonl_read_texts(corpus, &f.corpus) != 0 || f.corpus.count == 0) {
        fprintf(stderr, "FAIL: cannot read %s\n", corpus);
        return 1;
    }
    free(corpus);
    f.n = quick ? 8 : f.corpus.count;
    f.quick = quick;
    f.rounds = quick ? 1 : 3;

    TIMED(test_version());
    TIMED(test_embedder(&f));
    TIMED(test_threads(&f));
    TIMED(test_tokenizer(&f));
    TIMED(test_session_graph(&f));
    TIMED(test_session_model(&f));
    TIMED(test_handle_kinds(&f));
    TIMED(test_last_error_is_per_thread());

    text_list_free(&f.corpus);
    free(embedder_swl);
    free(onnx_swl);
    free(e5_swl);
    printf("%d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
