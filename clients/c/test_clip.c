/* The C client test of the image-text (CLIP) embedder, ABI 1.3: every
 * swiftlet_image_embedder_* call, text and image vectors against the torch golden of
 * Tests/SwiftletParityTests/CLIPParityTests.swift (golden/clip-tiny-random: a CLIP with
 * RANDOM weights, fixed seed, tools/build_clip.py), the three image forms (file, encoded
 * bytes, raw pixels) against each other bit for bit, and every error path: NULL
 * pointers, zero and absurd sizes, short buffers, wrong handle kinds, closed handles.
 *
 *   test_clip MODELS_DIR GOLDEN_DIR SAMPLES_DIR [--quick]
 *
 * MODELS_DIR holds clip-tiny-random and all-MiniLM-L6-v2 (tools/setup.sh); SAMPLES_DIR
 * the sample images ($SWIFTLET_OCR_SAMPLES). --quick (the valgrind run) compares the
 * first few texts and one image with the golden instead of all of them; every call and
 * error path still runs. Exit status 0 only if every check passed. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "golden_io.h"
#include "swiftlet.h"

/* CLIPParityTests' contract, per vector (the golden holds unnormalised features; the
 * model's pipeline normalises, so the golden rows are normalised here). */
#define MIN_COSINE 0.99999
#define MAX_ABS_DIFF 1e-4

typedef struct fixture {
    char *clip, *embedder;
    const char *golden, *samples;
    int quick;
} fixture;

/* The golden images, in golden/clip-tiny-random/image_features.npy's row order
 * (images.json); the first ones are enough for the quick run. */
static const char *const golden_images[] = {"black_font_color_transparent.png", "ch_doc_server.png", "ch_en_num.jpg", "devanagari.jpg"};

static void compare(const float *got, const float *want_raw, size_t d, const char *what) {
    double norm = 0, dot = 0, ng = 0, worst = 0;
    for (size_t k = 0; k < d; k++) norm += (double)want_raw[k] * want_raw[k];
    norm = sqrt(norm);
    if (norm < 1e-12) norm = 1e-12;
    for (size_t k = 0; k < d; k++) {
        double w = want_raw[k] / norm, g = got[k];
        dot += g * w;
        ng += g * g;
        if (fabs(g - w) > worst) worst = fabs(g - w);
    }
    double cosine = dot / sqrt(ng);
    CHECK(cosine >= MIN_COSINE && worst <= MAX_ABS_DIFF, "%s: cosine %.8f, max |diff| %.3g", what, cosine, worst);
}

static int same_bits(const float *a, const float *b, size_t d) { return memcmp(a, b, d * sizeof(float)) == 0; }

static void test_open_errors(const fixture *f) {
    swiftlet_image_embedder *e = NULL;
    swiftlet_embedder_options o;
    EXPECT(swiftlet_image_embedder_open(NULL, NULL, &e), SWIFTLET_ERR_INVALID_ARGUMENT, "path is NULL");
    EXPECT(swiftlet_image_embedder_open(f->clip, NULL, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_embedder is NULL");
    EXPECT(swiftlet_image_embedder_open("/nonexistent/clip.swl", NULL, &e), SWIFTLET_ERR_IO, "/nonexistent/clip.swl");
    EXPECT(swiftlet_image_embedder_open("/tmp/\xff.swl", NULL, &e), SWIFTLET_ERR_INVALID_UTF8, "path is not valid UTF-8");
    EXPECT(swiftlet_image_embedder_open(f->embedder, NULL, &e), SWIFTLET_ERR_INVALID_MODEL, "not 'clip'");
    memset(&o, 0, sizeof o);
    o.threads = -1;
    EXPECT(swiftlet_image_embedder_open(f->clip, &o, &e), SWIFTLET_ERR_INVALID_ARGUMENT, "options.threads is -1");
    o.threads = 0;
    o.batch_size = -3;
    EXPECT(swiftlet_image_embedder_open(f->clip, &o, &e), SWIFTLET_ERR_INVALID_ARGUMENT, "options.batch_size is -3");
    /* A CLIP file is not a sentence embedder. */
    swiftlet_embedder *s = NULL;
    EXPECT(swiftlet_embedder_open(f->clip, NULL, &s), SWIFTLET_ERR_INVALID_MODEL, f->clip);
    CHECK(e == NULL && s == NULL, "a failed open wrote a handle");
}

static void test_texts(const fixture *f, swiftlet_image_embedder *e, size_t d) {
    char *corpus_path = join(f->golden, "corpus/en.jsonl");
    char *npy_path = join(f->golden, "clip-tiny-random/text_features.npy");
    text_list texts;
    npy_array want;
    int ok = jsonl_read_texts(corpus_path, &texts) == 0;
    CHECK(ok, "cannot read %s", corpus_path);
    if (ok && npy_read(npy_path, &want) == 0) {
        size_t n = f->quick ? 4 : 64;
        CHECK(want.rank == 2 && want.shape[1] == d && want.shape[0] >= n && texts.count >= n, "%s: unexpected shape", npy_path);
        float *out = malloc(n * d * sizeof(float));
        EXPECT(swiftlet_image_embedder_embed_texts(e, (const char *const *)texts.texts, texts.lengths, n, out, n * d), SWIFTLET_OK, "");
        for (size_t i = 0; i < n; i++) {
            char what[32];
            snprintf(what, sizeof what, "text #%zu", i);
            compare(out + i * d, (const float *)want.data + i * d, d, what);
        }
        /* One text alone gives the bits it had in the batch (the tower is causal). */
        float *one = malloc(d * sizeof(float));
        EXPECT(swiftlet_image_embedder_embed_texts(e, (const char *const *)texts.texts + 1, texts.lengths + 1, 1, one, d), SWIFTLET_OK, "");
        CHECK(same_bits(one, out + d, d), "text #1 alone differs from text #1 in a batch");
        /* Errors. */
        EXPECT(swiftlet_image_embedder_embed_texts(e, (const char *const *)texts.texts, texts.lengths, n, out, n * d - 1),
               SWIFTLET_ERR_BUFFER_TOO_SMALL, "need");
        EXPECT(swiftlet_image_embedder_embed_texts(e, NULL, NULL, 1, out, d), SWIFTLET_ERR_INVALID_ARGUMENT, "texts is NULL");
        EXPECT(swiftlet_image_embedder_embed_texts(e, (const char *const *)texts.texts, texts.lengths, 1, NULL, d),
               SWIFTLET_ERR_INVALID_ARGUMENT, "out is NULL");
        EXPECT(swiftlet_image_embedder_embed_texts(e, (const char *const *)texts.texts, texts.lengths, (size_t)-1, out, d),
               SWIFTLET_ERR_INVALID_ARGUMENT, "count is");
        EXPECT(swiftlet_image_embedder_embed_texts(e, (const char *const *)texts.texts, texts.lengths, 1, out, (size_t)-1),
               SWIFTLET_ERR_INVALID_ARGUMENT, "out_capacity is");
        const char *bad = "ok\xff";
        size_t bad_len = 3;
        EXPECT(swiftlet_image_embedder_embed_texts(e, &bad, &bad_len, 1, out, d), SWIFTLET_ERR_INVALID_UTF8, "not valid UTF-8");
        const char *null_text = NULL;
        size_t one_len = 1, zero_len = 0;
        EXPECT(swiftlet_image_embedder_embed_texts(e, &null_text, &one_len, 1, out, d), SWIFTLET_ERR_INVALID_ARGUMENT, "NULL");
        /* The empty text, as NULL with length 0, and NULL lengths for NUL-terminated texts. */
        EXPECT(swiftlet_image_embedder_embed_texts(e, &null_text, &zero_len, 1, out, d), SWIFTLET_OK, "");
        const char *hello = "hello";
        EXPECT(swiftlet_image_embedder_embed_texts(e, &hello, NULL, 1, out, d), SWIFTLET_OK, "");
        /* count 0: nothing to do, NULLs allowed. */
        EXPECT(swiftlet_image_embedder_embed_texts(e, NULL, NULL, 0, NULL, 0), SWIFTLET_OK, "");
        free(one);
        free(out);
        npy_free(&want);
    } else {
        CHECK(0, "cannot read %s", npy_path);
    }
    if (ok) text_list_free(&texts);
    free(corpus_path);
    free(npy_path);
}

static void test_images(const fixture *f, swiftlet_image_embedder *e, size_t d) {
    char *npy_path = join(f->golden, "clip-tiny-random/image_features.npy");
    npy_array want;
    if (npy_read(npy_path, &want) != 0) {
        CHECK(0, "cannot read %s", npy_path);
        free(npy_path);
        return;
    }
    float *a = malloc(d * sizeof(float)), *b = malloc(d * sizeof(float));
    size_t n = f->quick ? 1 : sizeof golden_images / sizeof golden_images[0];
    for (size_t i = 0; i < n; i++) {
        char *path = join(f->samples, golden_images[i]);
        EXPECT(swiftlet_image_embedder_embed_file(e, path, a, d), SWIFTLET_OK, "");
        compare(a, (const float *)want.data + i * d, d, golden_images[i]);
        size_t size = 0;
        char *bytes = file_read_all(path, &size);
        CHECK(bytes != NULL, "cannot read %s", path);
        if (bytes) {
            EXPECT(swiftlet_image_embedder_embed_encoded(e, bytes, size, b, d), SWIFTLET_OK, "");
            CHECK(same_bits(a, b, d), "%s: encoded bytes differ from the file", golden_images[i]);
            /* A truncated image is an error, never a crash. */
            EXPECT(swiftlet_image_embedder_embed_encoded(e, bytes, size / 2, b, d), SWIFTLET_ERR_INVALID_INPUT, "");
            free(bytes);
        }
        free(path);
    }
    char *path = join(f->samples, golden_images[0]);
    EXPECT(swiftlet_image_embedder_embed_file(e, path, a, d - 1), SWIFTLET_ERR_BUFFER_TOO_SMALL, "need");
    EXPECT(swiftlet_image_embedder_embed_file(e, path, NULL, d), SWIFTLET_ERR_INVALID_ARGUMENT, "out is NULL");
    EXPECT(swiftlet_image_embedder_embed_file(e, NULL, a, d), SWIFTLET_ERR_INVALID_ARGUMENT, "path is NULL");
    EXPECT(swiftlet_image_embedder_embed_file(e, "/nonexistent/x.png", a, d), SWIFTLET_ERR_IO, "/nonexistent/x.png");
    EXPECT(swiftlet_image_embedder_embed_file(e, f->embedder, a, d), SWIFTLET_ERR_INVALID_INPUT, "");
    EXPECT(swiftlet_image_embedder_embed_encoded(e, NULL, 10, a, d), SWIFTLET_ERR_INVALID_ARGUMENT, "data is NULL");
    EXPECT(swiftlet_image_embedder_embed_encoded(e, "x", 0, a, d), SWIFTLET_ERR_INVALID_ARGUMENT, "byte_count is 0");
    EXPECT(swiftlet_image_embedder_embed_encoded(e, "x", (size_t)-1, a, d), SWIFTLET_ERR_INVALID_ARGUMENT, "byte_count is");
    EXPECT(swiftlet_image_embedder_embed_encoded(e, "GIF89a", 6, a, d), SWIFTLET_ERR_INVALID_INPUT, "");
    EXPECT(swiftlet_image_embedder_embed_encoded(e, "GIF89a", 6, a, 0), SWIFTLET_ERR_BUFFER_TOO_SMALL, "need");
    free(path);

    /* Raw pixels: RGB packed, BGR with padded rows, RGBA opaque and gray give what their
     * pixels say; every size check names its argument. */
    enum { W = 37, H = 29 };
    static uint8_t rgb[W * H * 3], bgr_padded[(W * 3 + 5) * H], rgba[W * H * 4], gray[W * H], gray_rgb[W * H * 3];
    for (int i = 0; i < W * H; i++) {
        uint8_t r = (uint8_t)(i * 7), g = (uint8_t)(i * 13 + 50), bl = (uint8_t)(255 - i % 256);
        rgb[3 * i] = r; rgb[3 * i + 1] = g; rgb[3 * i + 2] = bl;
        rgba[4 * i] = r; rgba[4 * i + 1] = g; rgba[4 * i + 2] = bl; rgba[4 * i + 3] = 255;
        gray[i] = g;
        gray_rgb[3 * i] = gray_rgb[3 * i + 1] = gray_rgb[3 * i + 2] = g;
        int x = i % W, y = i / W;
        uint8_t *p = bgr_padded + y * (W * 3 + 5) + 3 * x;
        p[0] = bl; p[1] = g; p[2] = r;
    }
    EXPECT(swiftlet_image_embedder_embed_pixels(e, rgb, sizeof rgb, W, H, 0, SWIFTLET_PIXEL_RGB, a, d), SWIFTLET_OK, "");
    EXPECT(swiftlet_image_embedder_embed_pixels(e, bgr_padded, sizeof bgr_padded, W, H, W * 3 + 5, SWIFTLET_PIXEL_BGR, b, d), SWIFTLET_OK, "");
    CHECK(same_bits(a, b, d), "padded BGR differs from packed RGB");
    EXPECT(swiftlet_image_embedder_embed_pixels(e, rgba, sizeof rgba, W, H, 0, SWIFTLET_PIXEL_RGBA, b, d), SWIFTLET_OK, "");
    CHECK(same_bits(a, b, d), "opaque RGBA differs from RGB");
    EXPECT(swiftlet_image_embedder_embed_pixels(e, gray, sizeof gray, W, H, 0, SWIFTLET_PIXEL_GRAY, a, d), SWIFTLET_OK, "");
    EXPECT(swiftlet_image_embedder_embed_pixels(e, gray_rgb, sizeof gray_rgb, W, H, 0, SWIFTLET_PIXEL_RGB, b, d), SWIFTLET_OK, "");
    CHECK(same_bits(a, b, d), "gray differs from its RGB copy");
    EXPECT(swiftlet_image_embedder_embed_pixels(e, NULL, sizeof rgb, W, H, 0, SWIFTLET_PIXEL_RGB, a, d), SWIFTLET_ERR_INVALID_ARGUMENT, "pixels is NULL");
    EXPECT(swiftlet_image_embedder_embed_pixels(e, rgb, sizeof rgb, 0, H, 0, SWIFTLET_PIXEL_RGB, a, d), SWIFTLET_ERR_INVALID_ARGUMENT, "at least 1 pixel");
    EXPECT(swiftlet_image_embedder_embed_pixels(e, rgb, sizeof rgb, W, 0, 0, SWIFTLET_PIXEL_RGB, a, d), SWIFTLET_ERR_INVALID_ARGUMENT, "at least 1 pixel");
    EXPECT(swiftlet_image_embedder_embed_pixels(e, rgb, 0, W, H, 0, SWIFTLET_PIXEL_RGB, a, d), SWIFTLET_ERR_INVALID_ARGUMENT, "byte_count is 0");
    EXPECT(swiftlet_image_embedder_embed_pixels(e, rgb, sizeof rgb - 1, W, H, 0, SWIFTLET_PIXEL_RGB, a, d), SWIFTLET_ERR_INVALID_ARGUMENT, "byte_count is");
    EXPECT(swiftlet_image_embedder_embed_pixels(e, rgb, sizeof rgb, W, H, 5, SWIFTLET_PIXEL_RGB, a, d), SWIFTLET_ERR_INVALID_ARGUMENT, "stride is 5");
    EXPECT(swiftlet_image_embedder_embed_pixels(e, rgb, sizeof rgb, W, H, (size_t)-1, SWIFTLET_PIXEL_RGB, a, d), SWIFTLET_ERR_INVALID_ARGUMENT, "stride is");
    EXPECT(swiftlet_image_embedder_embed_pixels(e, rgb, sizeof rgb, (size_t)-1, H, 0, SWIFTLET_PIXEL_RGB, a, d), SWIFTLET_ERR_INVALID_ARGUMENT, "width is");
    EXPECT(swiftlet_image_embedder_embed_pixels(e, rgb, sizeof rgb, 100000, 100000, 0, SWIFTLET_PIXEL_RGB, a, d), SWIFTLET_ERR_INVALID_ARGUMENT, "SWIFTLET_MAX_IMAGE_PIXELS");
    EXPECT(swiftlet_image_embedder_embed_pixels(e, rgb, sizeof rgb, W, H, 0, 9, a, d), SWIFTLET_ERR_INVALID_ARGUMENT, "format is 9");
    EXPECT(swiftlet_image_embedder_embed_pixels(e, rgb, sizeof rgb, W, H, 0, SWIFTLET_PIXEL_RGB, a, d - 1), SWIFTLET_ERR_BUFFER_TOO_SMALL, "need");
    EXPECT(swiftlet_image_embedder_embed_pixels(e, rgb, sizeof rgb, W, H, 0, SWIFTLET_PIXEL_RGB, NULL, d), SWIFTLET_ERR_INVALID_ARGUMENT, "out is NULL");
    free(a);
    free(b);
    npy_free(&want);
    free(npy_path);
}

static void test_handles(const fixture *f, swiftlet_image_embedder *e) {
    swiftlet_embedder *s = NULL;
    EXPECT(swiftlet_embedder_open(f->embedder, NULL, &s), SWIFTLET_OK, "");
    size_t n = 0;
    float out[1024];
    const char *one = "x";
    uint8_t px[3] = {1, 2, 3};
    EXPECT(swiftlet_image_embedder_dimension(e, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_dimension is NULL");
    EXPECT(swiftlet_image_embedder_dimension(NULL, &n), SWIFTLET_ERR_INVALID_HANDLE, "is NULL");
    EXPECT(swiftlet_image_embedder_embed_texts(NULL, &one, NULL, 1, out, 1024), SWIFTLET_ERR_INVALID_HANDLE, "is NULL");
    EXPECT(swiftlet_image_embedder_embed_file(NULL, "x.png", out, 1024), SWIFTLET_ERR_INVALID_HANDLE, "is NULL");
    EXPECT(swiftlet_image_embedder_embed_encoded(NULL, px, 3, out, 1024), SWIFTLET_ERR_INVALID_HANDLE, "is NULL");
    EXPECT(swiftlet_image_embedder_embed_pixels(NULL, px, 3, 1, 1, 0, SWIFTLET_PIXEL_RGB, out, 1024), SWIFTLET_ERR_INVALID_HANDLE, "is NULL");
    /* Each kind where the other is expected. */
    EXPECT(swiftlet_image_embedder_dimension((swiftlet_image_embedder *)s, &n), SWIFTLET_ERR_INVALID_HANDLE,
           "is a swiftlet_embedder, not a swiftlet_image_embedder");
    EXPECT(swiftlet_image_embedder_embed_texts((swiftlet_image_embedder *)s, &one, NULL, 1, out, 1024), SWIFTLET_ERR_INVALID_HANDLE,
           "not a swiftlet_image_embedder");
    EXPECT(swiftlet_image_embedder_embed_file((swiftlet_image_embedder *)s, "x.png", out, 1024), SWIFTLET_ERR_INVALID_HANDLE,
           "not a swiftlet_image_embedder");
    EXPECT(swiftlet_embedder_dimension((swiftlet_embedder *)e, &n), SWIFTLET_ERR_INVALID_HANDLE,
           "is a swiftlet_image_embedder, not a swiftlet_embedder");
    EXPECT(swiftlet_embedder_embed((swiftlet_embedder *)e, &one, NULL, 1, 0, out, 1024), SWIFTLET_ERR_INVALID_HANDLE,
           "not a swiftlet_embedder");
    EXPECT(swiftlet_embedder_close((swiftlet_embedder *)e), SWIFTLET_ERR_INVALID_HANDLE, "not a swiftlet_embedder");
    EXPECT(swiftlet_image_embedder_close((swiftlet_image_embedder *)s), SWIFTLET_ERR_INVALID_HANDLE, "not a swiftlet_image_embedder");
    int local = 0;
    EXPECT(swiftlet_image_embedder_dimension((swiftlet_image_embedder *)&local, &n), SWIFTLET_ERR_INVALID_HANDLE,
           "not a handle issued by libswiftlet");
    EXPECT(swiftlet_image_embedder_close((swiftlet_image_embedder *)(uintptr_t)0x8A000000ffffffffULL), SWIFTLET_ERR_INVALID_HANDLE, "never issued");
    EXPECT(swiftlet_embedder_close(s), SWIFTLET_OK, "");
    EXPECT(swiftlet_image_embedder_close(NULL), SWIFTLET_OK, "");
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s MODELS_DIR GOLDEN_DIR SAMPLES_DIR [--quick]\n", argv[0]);
        return 2;
    }
    fixture f;
    memset(&f, 0, sizeof f);
    f.quick = argc > 4 && strcmp(argv[4], "--quick") == 0;
    f.clip = join(argv[1], "clip-tiny-random.swl");
    f.embedder = join(argv[1], "all-MiniLM-L6-v2.swl");
    f.golden = argv[2];
    f.samples = argv[3];
    const char *need[2] = {f.clip, f.embedder};
    for (int i = 0; i < 2; i++) {
        if (!file_exists(need[i])) {
            fprintf(stderr, "FAIL: model %s is missing: run `bash tools/setup.sh` (CI runs it through .ci/run)\n", need[i]);
            return 1;
        }
    }
    char *probe = join(f.samples, golden_images[0]);
    if (!file_exists(probe)) {
        fprintf(stderr, "FAIL: %s is missing: point SWIFTLET_OCR_SAMPLES at the ocr-samples directory\n", probe);
        return 1;
    }
    free(probe);
    EXPECT(swiftlet_check_abi(SWIFTLET_ABI_VERSION), SWIFTLET_OK, "");
    CHECK(swiftlet_abi_version() >= ((1u << 16) | 3u), "library ABI %x is older than 1.3", swiftlet_abi_version());

    test_open_errors(&f);
    swiftlet_embedder_options o;
    memset(&o, 0, sizeof o);
    o.threads = 2;
    swiftlet_image_embedder *e = NULL;
    EXPECT(swiftlet_image_embedder_open(f.clip, &o, &e), SWIFTLET_OK, "");
    size_t d = 0;
    EXPECT(swiftlet_image_embedder_dimension(e, &d), SWIFTLET_OK, "");
    CHECK(d > 0 && d <= 1024, "dimension %zu", d);
    if (e && d > 0 && d <= 1024) {
        test_texts(&f, e, d);
        test_images(&f, e, d);
        test_handles(&f, e);
    }
    EXPECT(swiftlet_image_embedder_close(e), SWIFTLET_OK, "");
    /* Closed: every call fails, closing again too. */
    size_t n;
    EXPECT(swiftlet_image_embedder_dimension(e, &n), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    EXPECT(swiftlet_image_embedder_close(e), SWIFTLET_ERR_INVALID_HANDLE, "already been closed");
    free(f.clip);
    free(f.embedder);
    printf("%d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
