/* The C client test of the OCR functions: every swiftlet_ocr_* call, the results
 * against RapidOCR's reference runs (golden/ocr/pipeline/<image>.json), the three ways in
 * (file, encoded bytes, raw pixels in every format) against each other bit for bit,
 * and every error path the header documents.
 *
 *   test_ocr MODELS_DIR GOLDEN_DIR SAMPLES_DIR [--quick]
 *
 * MODELS_DIR holds ppocrv4-det/-rec, ppocr-cls-v2, doc-orientation and all-MiniLM-L6-v2 (tools/setup.sh);
 * SAMPLES_DIR the sample images the references were made from ($SWIFTLET_OCR_SAMPLES).
 * --quick (the valgrind run, where one recognised line costs ~30 s) skips the reference
 * set, runs the input paths on a small generated PNG without text, and reads one line
 * from text_cls.jpg with a small detector input; every call and error path still runs.
 * Exit status 0 only if every check passed. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <math.h>
#include <png.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "golden_io.h"
#include "swiftlet.h"

/* The project's OCR contract (README): text identical, boxes within 2 px of RapidOCR. */
#define MAX_BOX_DIFF 2.0f

typedef struct fixture {
    char *det, *rec, *cls, *embedder, *orientation;  /* model paths */
    const char *golden, *samples;
    char *png;   /* the image of the input and threads tests: ch_doc_server.png, or a generated one */
    int quick;
} fixture;

/* ------------------------------------------------------------------ helpers */

/* Two results are the same: line count, boxes and scores bit for bit, texts byte for byte. */
static int same_lines(swiftlet_ocr_result *a, swiftlet_ocr_result *b, const char *what) {
    size_t na = 0, nb = 0;
    EXPECT(swiftlet_ocr_result_count(a, &na), SWIFTLET_OK, "");
    EXPECT(swiftlet_ocr_result_count(b, &nb), SWIFTLET_OK, "");
    if (na != nb) { CHECK(0, "%s: %zu lines vs %zu", what, na, nb); return 0; }
    for (size_t i = 0; i < na; i++) {
        swiftlet_ocr_line x, y;
        EXPECT(swiftlet_ocr_result_line(a, i, &x), SWIFTLET_OK, "");
        EXPECT(swiftlet_ocr_result_line(b, i, &y), SWIFTLET_OK, "");
        int same = memcmp(x.box, y.box, sizeof x.box) == 0 && memcmp(&x.score, &y.score, sizeof x.score) == 0 &&
                   x.text_length == y.text_length && memcmp(x.text, y.text, x.text_length) == 0;
        if (!same) { CHECK(0, "%s: line %zu differs: '%s' %.9g vs '%s' %.9g", what, i, x.text, x.score, y.text, y.score); return 0; }
    }
    CHECK(1, "%s", what);
    return 1;
}

/* The JSON dump of a result, which must have out_length's length and no inner NUL. */
static const char *json_of(swiftlet_ocr_result *r) {
    const char *json = NULL;
    size_t n = 0;
    EXPECT(swiftlet_ocr_result_json(r, &json, &n), SWIFTLET_OK, "");
    CHECK(json && strlen(json) == n, "JSON length %zu vs strlen %zu", n, json ? strlen(json) : 0);
    return json ? json : "";
}

/* An image decoded by libpng to 8-bit RGBA. */
typedef struct rgba_image { uint32_t width, height; uint8_t *pixels; } rgba_image;

static int read_png_rgba(const char *path, rgba_image *out) {
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path)) { fprintf(stderr, "libpng: %s: %s\n", path, img.message); return -1; }
    img.format = PNG_FORMAT_RGBA;
    out->width = img.width;
    out->height = img.height;
    out->pixels = malloc(PNG_IMAGE_SIZE(img));
    if (!png_image_finish_read(&img, NULL, out->pixels, 0, NULL)) {
        fprintf(stderr, "libpng: %s: %s\n", path, img.message);
        free(out->pixels);
        return -1;
    }
    return 0;
}

/* c over white with coverage a, rounded: the header's promise for RGBA/BGRA input. */
static uint8_t on_white(uint8_t c, uint8_t a) { return (uint8_t)((c * (unsigned)a + 255u * (255u - a) + 127u) / 255u); }

/* ------------------------------------------------------------------ open */

static void test_open_errors(const fixture *f) {
    swiftlet_ocr *o = NULL;
    swiftlet_ocr_options opts;
    EXPECT(swiftlet_ocr_open(NULL, f->rec, NULL, NULL, &o), SWIFTLET_ERR_INVALID_ARGUMENT, "det_path is NULL");
    EXPECT(swiftlet_ocr_open(f->det, NULL, NULL, NULL, &o), SWIFTLET_ERR_INVALID_ARGUMENT, "rec_path is NULL");
    EXPECT(swiftlet_ocr_open(f->det, f->rec, NULL, NULL, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_ocr is NULL");
    EXPECT(swiftlet_ocr_open("/nonexistent/det.swl", f->rec, NULL, NULL, &o), SWIFTLET_ERR_IO, "/nonexistent/det.swl");
    EXPECT(swiftlet_ocr_open(f->det, f->rec, "/nonexistent/cls.swl", NULL, &o), SWIFTLET_ERR_IO, "/nonexistent/cls.swl");
    EXPECT(swiftlet_ocr_open(f->det, f->rec, "/tmp/\xff.swl", NULL, &o), SWIFTLET_ERR_INVALID_UTF8, "cls_path is not valid UTF-8");
    /* Models converted for another job. */
    EXPECT(swiftlet_ocr_open(f->embedder, f->rec, NULL, NULL, &o), SWIFTLET_ERR_INVALID_MODEL, "is a 'embedder' model, not an OCR detection model");
    EXPECT(swiftlet_ocr_open(f->det, f->det, NULL, NULL, &o), SWIFTLET_ERR_INVALID_MODEL, "is a 'ocr-det' model, not an OCR recognition model");
    EXPECT(swiftlet_ocr_open(f->det, f->rec, f->rec, NULL, &o), SWIFTLET_ERR_INVALID_MODEL, "not an OCR angle classifier model");
    EXPECT(swiftlet_ocr_open(f->rec, f->rec, NULL, NULL, &o), SWIFTLET_ERR_INVALID_MODEL, "not an OCR detection model");
    /* Options out of range. */
    static const struct { int field; float value; const char *needle; } bad_floats[] = {
        {0, -0.1f, "options.det_thresh is -0.1"}, {0, 1.0f, "options.det_thresh is 1.0"}, {0, NAN, "options.det_thresh is nan"},
        {1, 1.5f, "options.box_thresh is 1.5"}, {1, -1.0f, "options.box_thresh"},
        {2, -1.0f, "options.unclip_ratio is -1.0"}, {2, INFINITY, "options.unclip_ratio is inf"}, {2, 101.0f, "options.unclip_ratio is 101.0"},
        {3, 2.0f, "options.text_score is 2.0"}, {3, -0.5f, "options.text_score"},
    };
    for (size_t i = 0; i < sizeof bad_floats / sizeof bad_floats[0]; i++) {
        memset(&opts, 0, sizeof opts);
        float *fields[4] = {&opts.det_thresh, &opts.box_thresh, &opts.unclip_ratio, &opts.text_score};
        *fields[bad_floats[i].field] = bad_floats[i].value;
        EXPECT(swiftlet_ocr_open(f->det, f->rec, NULL, &opts, &o), SWIFTLET_ERR_INVALID_ARGUMENT, bad_floats[i].needle);
    }
    memset(&opts, 0, sizeof opts);
    opts.threads = -1;
    EXPECT(swiftlet_ocr_open(f->det, f->rec, NULL, &opts, &o), SWIFTLET_ERR_INVALID_ARGUMENT, "options.threads is -1");
    opts.threads = 0;
    opts.preset = 2;
    EXPECT(swiftlet_ocr_open(f->det, f->rec, NULL, &opts, &o), SWIFTLET_ERR_INVALID_ARGUMENT, "options.preset is 2");
    opts.preset = -1;
    EXPECT(swiftlet_ocr_open(f->det, f->rec, NULL, &opts, &o), SWIFTLET_ERR_INVALID_ARGUMENT, "options.preset is -1");
    opts.preset = 0;
    opts.limit_side_len = -5;
    EXPECT(swiftlet_ocr_open(f->det, f->rec, NULL, &opts, &o), SWIFTLET_ERR_INVALID_ARGUMENT, "options.limit_side_len is -5");
    opts.limit_side_len = 70000;
    EXPECT(swiftlet_ocr_open(f->det, f->rec, NULL, &opts, &o), SWIFTLET_ERR_INVALID_ARGUMENT, "options.limit_side_len is 70000");
    opts.limit_side_len = 0;
    opts.reserved[3] = 7;
    EXPECT(swiftlet_ocr_open(f->det, f->rec, NULL, &opts, &o), SWIFTLET_ERR_INVALID_ARGUMENT, "options.reserved[3] is 7");
    CHECK(o == NULL, "a failed open wrote a handle");
}

/* ------------------------------------------------------------------ against the references */

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every reference run (or, quick, none: the valgrind run checks memory, not parity). */
static void test_golden(const fixture *f) {
    char *dir = join(f->golden, "ocr/pipeline");
    DIR *d = opendir(dir);
    CHECK(d != NULL, "cannot list %s", dir);
    if (!d) { free(dir); return; }
    char **names = NULL;
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(d)) != NULL) {
        size_t n = strlen(entry->d_name);
        if (n > 5 && strcmp(entry->d_name + n - 5, ".json") == 0) {
            names = realloc(names, (count + 1) * sizeof *names);
            names[count++] = strdup(entry->d_name);
        }
    }
    closedir(d);
    qsort(names, count, sizeof *names, by_name);
    CHECK(count >= 10, "only %zu reference runs in %s", count, dir);

    swiftlet_ocr *engines[2] = {NULL, NULL};
    for (int p = 0; p < 2; p++) {
        swiftlet_ocr_options opts;
        memset(&opts, 0, sizeof opts);
        opts.threads = 2;
        opts.preset = p == 0 ? SWIFTLET_OCR_PRESET_RAPIDOCR : SWIFTLET_OCR_PRESET_PADDLE;
        EXPECT(swiftlet_ocr_open(f->det, f->rec, f->cls, &opts, &engines[p]), SWIFTLET_OK, "");
    }
    size_t images = 0, lines = 0;
    float worst = 0;
    for (size_t i = 0; i < count && engines[0] && engines[1]; i++) {
        char *path = join(dir, names[i]);
        ocr_ref ref;
        int ok = ocr_ref_read(path, &ref) == 0;
        CHECK(ok, "cannot read %s", path);
        free(path);
        if (!ok) continue;
        int paddle = strcmp(ref.preset, "paddle") == 0;
        /* Runs with the second preset are stored as "paddle-<image>". */
        const char *sample = paddle && strncmp(ref.image, "paddle-", 7) == 0 ? ref.image + 7 : ref.image;
        char *image = join(f->samples, sample);
        if (!file_exists(image)) {
            CHECK(0, "sample image %s is missing: set SWIFTLET_OCR_SAMPLES to the ocr-samples directory", image);
        } else {
            swiftlet_ocr_result *r = NULL;
            EXPECT(swiftlet_ocr_run_file(engines[paddle], image, &r), SWIFTLET_OK, "");
            size_t n = 0;
            EXPECT(swiftlet_ocr_result_count(r, &n), SWIFTLET_OK, "");
            CHECK(n == ref.count, "%s (%s): %zu lines, RapidOCR %zu", sample, ref.preset, n, ref.count);
            for (size_t k = 0; k < n && k < ref.count; k++) {
                swiftlet_ocr_line line;
                EXPECT(swiftlet_ocr_result_line(r, k, &line), SWIFTLET_OK, "");
                const ocr_line_ref *want = &ref.lines[k];
                CHECK(line.text_length == want->length && memcmp(line.text, want->text, want->length) == 0 && line.text[line.text_length] == '\0',
                      "%s line %zu: '%s', RapidOCR '%s'", sample, k, line.text, want->text);
                float diff = 0;
                for (int c = 0; c < 8; c++) diff = fmaxf(diff, fabsf(line.box[c] - want->box[c]));
                CHECK(diff <= MAX_BOX_DIFF, "%s line %zu '%s': box off by %.3g px", sample, k, want->text, diff);
                CHECK(line.score > 0 && line.score <= 1, "%s line %zu: score %g", sample, k, line.score);
                if (diff > worst) worst = diff;
                /* The JSON names the path given and holds the text (JSON escapes only
                 * quotes, backslashes and control characters, none of which occur here). */
                CHECK(strstr(json_of(r), want->text) != NULL, "%s: the JSON lacks '%s'", sample, want->text);
                lines++;
            }
            const char *json = json_of(r);
            CHECK(strncmp(json, "{\"image\":\"", 10) == 0 && strncmp(json + 10, image, strlen(image)) == 0 &&
                  strstr(json, ",\"lines\":[") != NULL && strcmp(json + strlen(json) - 2, "]}") == 0,
                  "%s: JSON %.80s", sample, json);
            EXPECT(swiftlet_ocr_result_free(r), SWIFTLET_OK, "");
            images++;
        }
        free(image);
        ocr_ref_free(&ref);
    }
    printf("ocr: %zu reference runs, %zu lines, texts identical, boxes within %.3g px (worst)\n", images, lines, worst);
    for (int p = 0; p < 2; p++) EXPECT(swiftlet_ocr_close(engines[p]), SWIFTLET_OK, "");
    for (size_t i = 0; i < count; i++) free(names[i]);
    free(names);
    free(dir);
}

/* ------------------------------------------------------------------ the three ways in */

static void test_inputs(const fixture *f, swiftlet_ocr *o) {
    /* ch_doc_server.png is RGBA with real transparency: it checks the compositing too. */
    const char *png = f->png;
    swiftlet_ocr_result *by_file = NULL, *r = NULL;
    EXPECT(swiftlet_ocr_run_file(o, png, &by_file), SWIFTLET_OK, "");
    size_t n = 0;
    EXPECT(swiftlet_ocr_result_count(by_file, &n), SWIFTLET_OK, "");
    CHECK(f->quick || n > 0, "%s: no lines", png);

    /* Encoded bytes in memory: the same lines; the JSON names no image. */
    size_t size = 0;
    char *bytes = file_read_all(png, &size);
    CHECK(bytes != NULL, "cannot read %s", png);
    if (bytes) {
        EXPECT(swiftlet_ocr_run_encoded(o, bytes, size, &r), SWIFTLET_OK, "");
        same_lines(by_file, r, "encoded PNG vs file");
        const char *a = json_of(by_file), *b = json_of(r);
        const char *tail_a = strstr(a, ",\"lines\":["), *tail_b = strstr(b, ",\"lines\":[");
        CHECK(strncmp(b, "{\"image\":null,\"lines\":[", 23) == 0, "encoded: JSON %.60s", b);
        CHECK(tail_a && tail_b && strcmp(tail_a, tail_b) == 0, "encoded: the JSON lines differ from the file's");
        EXPECT(swiftlet_ocr_result_free(r), SWIFTLET_OK, "");
        /* Errors. */
        EXPECT(swiftlet_ocr_run_encoded(o, bytes, size - 100, &r), SWIFTLET_ERR_INVALID_INPUT, "cannot decode PNG");
        EXPECT(swiftlet_ocr_run_encoded(o, "GIF89a......", 12, &r), SWIFTLET_ERR_INVALID_INPUT, "not a PNG or JPEG image");
        EXPECT(swiftlet_ocr_run_encoded(o, NULL, size, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "data is NULL");
        EXPECT(swiftlet_ocr_run_encoded(o, bytes, 0, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "byte_count is 0");
        EXPECT(swiftlet_ocr_run_encoded(o, bytes, (size_t)-1, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "byte_count is 18446744073709551615");
        EXPECT(swiftlet_ocr_run_encoded(o, bytes, SWIFTLET_MAX_IMAGE_BYTES + 1, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "more than the limit");
        EXPECT(swiftlet_ocr_run_encoded(o, bytes, size, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_result is NULL");
        EXPECT(swiftlet_ocr_run_encoded(NULL, bytes, size, &r), SWIFTLET_ERR_INVALID_HANDLE, "handle is NULL");
        free(bytes);
    }

    /* Raw pixels in every format, packed and padded: all equal the file's result. */
    rgba_image img;
    int decoded = read_png_rgba(png, &img) == 0;
    CHECK(decoded, "libpng cannot read %s", png);
    if (decoded) {
        size_t w = img.width, h = img.height, pad = 13;
        uint8_t *rgba = img.pixels;
        uint8_t *bgra = malloc(w * h * 4), *rgb = malloc((w * 3 + pad) * h), *bgr = malloc(w * h * 3);
        uint8_t *gray = malloc(w * h), *gray_rgb = malloc(w * h * 3);
        for (size_t i = 0; i < w * h; i++) {
            const uint8_t *p = rgba + 4 * i;
            bgra[4 * i] = p[2]; bgra[4 * i + 1] = p[1]; bgra[4 * i + 2] = p[0]; bgra[4 * i + 3] = p[3];
            uint8_t cr = on_white(p[0], p[3]), cg = on_white(p[1], p[3]), cb = on_white(p[2], p[3]);
            size_t y = i / w, x = i % w;
            uint8_t *q = rgb + y * (w * 3 + pad) + 3 * x;
            q[0] = cr; q[1] = cg; q[2] = cb;
            bgr[3 * i] = cb; bgr[3 * i + 1] = cg; bgr[3 * i + 2] = cr;
            gray[i] = (uint8_t)((cr * 77u + cg * 150u + cb * 29u) >> 8);
            gray_rgb[3 * i] = gray_rgb[3 * i + 1] = gray_rgb[3 * i + 2] = gray[i];
        }
        memset(rgb + (w * 3), 0xAB, pad);  /* padding the library must not read as pixels */
        struct { const void *data; size_t bytes, stride; swiftlet_pixel_format format; const char *name; } ways[] = {
            {rgba, w * h * 4, 0, SWIFTLET_PIXEL_RGBA, "RGBA"},
            {rgba, w * h * 4, w * 4, SWIFTLET_PIXEL_RGBA, "RGBA, explicit stride"},
            {bgra, w * h * 4, 0, SWIFTLET_PIXEL_BGRA, "BGRA"},
            {rgb, (w * 3 + pad) * h - pad, w * 3 + pad, SWIFTLET_PIXEL_RGB, "RGB, padded rows, last row unpadded"},
            {bgr, w * h * 3, 0, SWIFTLET_PIXEL_BGR, "BGR"},
        };
        for (size_t k = 0; k < sizeof ways / sizeof ways[0]; k++) {
            r = NULL;
            EXPECT(swiftlet_ocr_run_pixels(o, ways[k].data, ways[k].bytes, w, h, ways[k].stride, ways[k].format, &r), SWIFTLET_OK, "");
            if (r) {
                same_lines(by_file, r, ways[k].name);
                CHECK(strncmp(json_of(r), "{\"image\":null,", 14) == 0, "%s: JSON names an image", ways[k].name);
            }
            EXPECT(swiftlet_ocr_result_free(r), SWIFTLET_OK, "");
        }
        /* GRAY is the same as RGB with three equal channels. */
        swiftlet_ocr_result *g1 = NULL, *g3 = NULL;
        EXPECT(swiftlet_ocr_run_pixels(o, gray, w * h, w, h, 0, SWIFTLET_PIXEL_GRAY, &g1), SWIFTLET_OK, "");
        EXPECT(swiftlet_ocr_run_pixels(o, gray_rgb, w * h * 3, w, h, 0, SWIFTLET_PIXEL_RGB, &g3), SWIFTLET_OK, "");
        if (g1 && g3) same_lines(g1, g3, "GRAY vs RGB of equal channels");
        EXPECT(swiftlet_ocr_result_free(g1), SWIFTLET_OK, "");
        EXPECT(swiftlet_ocr_result_free(g3), SWIFTLET_OK, "");

        /* Errors. */
        char needle[160];
        snprintf(needle, sizeof needle, "byte_count is %zu but %zux%zu RGB pixels with stride %zu need %zu", w * h * 3 - 1, w, h, w * 3, w * h * 3);
        EXPECT(swiftlet_ocr_run_pixels(o, bgr, w * h * 3 - 1, w, h, 0, SWIFTLET_PIXEL_RGB, &r), SWIFTLET_ERR_INVALID_ARGUMENT, needle);
        snprintf(needle, sizeof needle, "stride is %zu bytes but a row of %zu RGBA pixels needs %zu", w * 4 - 1, w, w * 4);
        EXPECT(swiftlet_ocr_run_pixels(o, rgba, w * h * 4, w, h, w * 4 - 1, SWIFTLET_PIXEL_RGBA, &r), SWIFTLET_ERR_INVALID_ARGUMENT, needle);
        EXPECT(swiftlet_ocr_run_pixels(o, rgba, w * h * 4, w, h, (size_t)-1, SWIFTLET_PIXEL_RGBA, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "stride is 18446744073709551615");
        EXPECT(swiftlet_ocr_run_pixels(o, rgba, w * h * 4, 0, h, 0, SWIFTLET_PIXEL_RGBA, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "both sides must be at least 1 pixel");
        EXPECT(swiftlet_ocr_run_pixels(o, rgba, w * h * 4, w, 0, 0, SWIFTLET_PIXEL_RGBA, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "both sides must be at least 1 pixel");
        EXPECT(swiftlet_ocr_run_pixels(o, rgba, w * h * 4, (size_t)-1, h, 0, SWIFTLET_PIXEL_RGBA, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "width is 18446744073709551615");
        EXPECT(swiftlet_ocr_run_pixels(o, rgba, w * h * 4, 10000, 10000, 0, SWIFTLET_PIXEL_RGBA, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "more than SWIFTLET_MAX_IMAGE_PIXELS");
        EXPECT(swiftlet_ocr_run_pixels(o, rgba, w * h * 4, w, h, 0, 0, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "format is 0");
        EXPECT(swiftlet_ocr_run_pixels(o, rgba, w * h * 4, w, h, 0, 6, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "format is 6");
        EXPECT(swiftlet_ocr_run_pixels(o, NULL, w * h * 4, w, h, 0, SWIFTLET_PIXEL_RGBA, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "pixels is NULL");
        EXPECT(swiftlet_ocr_run_pixels(o, rgba, (size_t)-2, w, h, 0, SWIFTLET_PIXEL_RGBA, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "byte_count");
        EXPECT(swiftlet_ocr_run_pixels(o, rgba, w * h * 4, w, h, 0, SWIFTLET_PIXEL_RGBA, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_result is NULL");
        EXPECT(swiftlet_ocr_run_pixels(NULL, rgba, w * h * 4, w, h, 0, SWIFTLET_PIXEL_RGBA, &r), SWIFTLET_ERR_INVALID_HANDLE, "handle is NULL");
        /* A 1x1 white image is valid and holds no text. */
        {
            uint8_t white[3] = {255, 255, 255};
            EXPECT(swiftlet_ocr_run_pixels(o, white, 3, 1, 1, 0, SWIFTLET_PIXEL_RGB, &r), SWIFTLET_OK, "");
            EXPECT(swiftlet_ocr_result_count(r, &n), SWIFTLET_OK, "");
            CHECK(n == 0, "a white pixel has %zu lines", n);
            CHECK(strcmp(json_of(r), "{\"image\":null,\"lines\":[]}") == 0, "empty JSON: %s", json_of(r));
            EXPECT(swiftlet_ocr_result_free(r), SWIFTLET_OK, "");
        }
        free(bgra); free(rgb); free(bgr); free(gray); free(gray_rgb); free(img.pixels);
    }

    /* File errors. */
    EXPECT(swiftlet_ocr_run_file(o, NULL, &r), SWIFTLET_ERR_INVALID_ARGUMENT, "path is NULL");
    EXPECT(swiftlet_ocr_run_file(o, "/nonexistent/image.png", &r), SWIFTLET_ERR_IO, "/nonexistent/image.png");
    EXPECT(swiftlet_ocr_run_file(o, "/tmp/\xc0\x80.png", &r), SWIFTLET_ERR_INVALID_UTF8, "path is not valid UTF-8");
    {
        char *not_image = join(f->golden, "corpus/en.jsonl");
        EXPECT(swiftlet_ocr_run_file(o, not_image, &r), SWIFTLET_ERR_INVALID_INPUT, "not a PNG or JPEG image");
        free(not_image);
    }
    EXPECT(swiftlet_ocr_run_file(o, png, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_result is NULL");
    EXPECT(swiftlet_ocr_run_file(NULL, png, &r), SWIFTLET_ERR_INVALID_HANDLE, "handle is NULL");

    /* Result accessor errors; the result outlives nothing it needs. */
    swiftlet_ocr_line line;
    const char *json = NULL;
    EXPECT(swiftlet_ocr_result_count(by_file, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_count is NULL");
    EXPECT(swiftlet_ocr_result_count(NULL, &n), SWIFTLET_ERR_INVALID_HANDLE, "handle is NULL");
    EXPECT(swiftlet_ocr_result_count(by_file, &n), SWIFTLET_OK, "");
    {
        char needle[96];
        snprintf(needle, sizeof needle, "index %zu is out of range: the result has %zu lines", n, n);
        EXPECT(swiftlet_ocr_result_line(by_file, n, &line), SWIFTLET_ERR_INVALID_ARGUMENT, needle);
    }
    EXPECT(swiftlet_ocr_result_line(by_file, (size_t)-1, &line), SWIFTLET_ERR_INVALID_ARGUMENT, "out of range");
    EXPECT(swiftlet_ocr_result_line(by_file, 0, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_line is NULL");
    EXPECT(swiftlet_ocr_result_line(NULL, 0, &line), SWIFTLET_ERR_INVALID_HANDLE, "handle is NULL");
    EXPECT(swiftlet_ocr_result_json(by_file, NULL, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_json is NULL");
    EXPECT(swiftlet_ocr_result_json(by_file, &json, NULL), SWIFTLET_OK, "");  /* out_length is optional */
    CHECK(json && strncmp(json, "{\"image\":", 9) == 0, "JSON without out_length");
    EXPECT(swiftlet_ocr_result_json(NULL, &json, NULL), SWIFTLET_ERR_INVALID_HANDLE, "handle is NULL");
    EXPECT(swiftlet_ocr_result_free(by_file), SWIFTLET_OK, "");
    EXPECT(swiftlet_ocr_result_free(by_file), SWIFTLET_ERR_INVALID_HANDLE, "already been closed");
    EXPECT(swiftlet_ocr_result_count(by_file, &n), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    EXPECT(swiftlet_ocr_result_line(by_file, 0, &line), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    EXPECT(swiftlet_ocr_result_json(by_file, &json, NULL), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    EXPECT(swiftlet_ocr_result_free(NULL), SWIFTLET_OK, "");
}

/* ------------------------------------------------------------------ handle kinds, lifetime */

static void test_handles(const fixture *f, swiftlet_ocr *o) {
    swiftlet_embedder *e = NULL;
    EXPECT(swiftlet_embedder_open(f->embedder, NULL, &e), SWIFTLET_OK, "");
    const char *png = f->png;
    swiftlet_ocr_result *r = NULL, *bad = NULL;
    EXPECT(swiftlet_ocr_run_file(o, png, &r), SWIFTLET_OK, "");
    size_t n;
    float out[1024];
    const char *one = "x";
    swiftlet_ocr_line line;
    /* Every OCR kind where another is expected, and the other way round. */
    EXPECT(swiftlet_embedder_dimension((swiftlet_embedder *)o, &n), SWIFTLET_ERR_INVALID_HANDLE, "is a swiftlet_ocr, not a swiftlet_embedder");
    EXPECT(swiftlet_embedder_embed((swiftlet_embedder *)r, &one, NULL, 1, 0, out, 1024), SWIFTLET_ERR_INVALID_HANDLE, "is a swiftlet_ocr_result, not a swiftlet_embedder");
    EXPECT(swiftlet_tensors_count((swiftlet_tensors *)r, &n), SWIFTLET_ERR_INVALID_HANDLE, "is a swiftlet_ocr_result, not a swiftlet_tensors");
    EXPECT(swiftlet_ocr_run_file((swiftlet_ocr *)e, png, &bad), SWIFTLET_ERR_INVALID_HANDLE, "is a swiftlet_embedder, not a swiftlet_ocr");
    EXPECT(swiftlet_ocr_run_file((swiftlet_ocr *)r, png, &bad), SWIFTLET_ERR_INVALID_HANDLE, "is a swiftlet_ocr_result, not a swiftlet_ocr");
    EXPECT(swiftlet_ocr_result_count((swiftlet_ocr_result *)o, &n), SWIFTLET_ERR_INVALID_HANDLE, "is a swiftlet_ocr, not a swiftlet_ocr_result");
    EXPECT(swiftlet_ocr_result_line((swiftlet_ocr_result *)e, 0, &line), SWIFTLET_ERR_INVALID_HANDLE, "not a swiftlet_ocr_result");
    EXPECT(swiftlet_ocr_result_free((swiftlet_ocr_result *)o), SWIFTLET_ERR_INVALID_HANDLE, "not a swiftlet_ocr_result");
    EXPECT(swiftlet_ocr_close((swiftlet_ocr *)r), SWIFTLET_ERR_INVALID_HANDLE, "not a swiftlet_ocr");
    EXPECT(swiftlet_ocr_close((swiftlet_ocr *)e), SWIFTLET_ERR_INVALID_HANDLE, "not a swiftlet_ocr");
    EXPECT(swiftlet_embedder_close((swiftlet_embedder *)o), SWIFTLET_ERR_INVALID_HANDLE, "not a swiftlet_embedder");
    int local = 0;
    EXPECT(swiftlet_ocr_run_file((swiftlet_ocr *)&local, png, &bad), SWIFTLET_ERR_INVALID_HANDLE, "not a handle issued by libswiftlet");
    EXPECT(swiftlet_ocr_close((swiftlet_ocr *)(uintptr_t)0x85000000ffffffffULL), SWIFTLET_ERR_INVALID_HANDLE, "never issued");
    CHECK(bad == NULL, "a failed run wrote a result");
    EXPECT(swiftlet_embedder_close(e), SWIFTLET_OK, "");

    /* A result outlives its engine. */
    swiftlet_ocr *o2 = NULL;
    swiftlet_ocr_options small;
    memset(&small, 0, sizeof small);
    small.limit_side_len = 32;  /* a 2x2 image would otherwise be scaled up to 736x736 */
    EXPECT(swiftlet_ocr_open(f->det, f->rec, NULL, &small, &o2), SWIFTLET_OK, "");
    swiftlet_ocr_result *r2 = NULL;
    {
        uint8_t white[3 * 4] = {255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255};
        EXPECT(swiftlet_ocr_run_pixels(o2, white, sizeof white, 2, 2, 0, SWIFTLET_PIXEL_RGB, &r2), SWIFTLET_OK, "");
    }
    EXPECT(swiftlet_ocr_close(o2), SWIFTLET_OK, "");
    EXPECT(swiftlet_ocr_result_count(r2, &n), SWIFTLET_OK, "");
    EXPECT(swiftlet_ocr_result_free(r2), SWIFTLET_OK, "");
    EXPECT(swiftlet_ocr_result_count(r, &n), SWIFTLET_OK, "");
    EXPECT(swiftlet_ocr_result_free(r), SWIFTLET_OK, "");
    /* The closed engine is dead for every call. */
    EXPECT(swiftlet_ocr_close(o2), SWIFTLET_ERR_INVALID_HANDLE, "already been closed");
    EXPECT(swiftlet_ocr_run_file(o2, "x.png", &r2), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    EXPECT(swiftlet_ocr_run_encoded(o2, "x", 1, &r2), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    {
        uint8_t px[3] = {0, 0, 0};
        EXPECT(swiftlet_ocr_run_pixels(o2, px, 3, 1, 1, 0, SWIFTLET_PIXEL_RGB, &r2), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    }
    EXPECT(swiftlet_ocr_close(NULL), SWIFTLET_OK, "");
}

/* ------------------------------------------------------------------ page orientation (ABI 1.3) */

/* swiftlet_ocr_open_oriented's argument checks, a run through the classifier (the turn it
 * reports is one of the four and is in the JSON), and swiftlet_ocr_result_orientation on
 * results with and without a classifier and on handles of other kinds. */
static void test_orientation(const fixture *f, swiftlet_ocr *plain) {
    swiftlet_ocr *o = NULL;
    swiftlet_ocr_options opts;
    memset(&opts, 0, sizeof opts);
    EXPECT(swiftlet_ocr_open_oriented(f->det, f->rec, NULL, NULL, NULL, &o), SWIFTLET_ERR_INVALID_ARGUMENT, "orientation_path is NULL");
    EXPECT(swiftlet_ocr_open_oriented(NULL, f->rec, NULL, f->orientation, NULL, &o), SWIFTLET_ERR_INVALID_ARGUMENT, "det_path is NULL");
    EXPECT(swiftlet_ocr_open_oriented(f->det, f->rec, NULL, f->orientation, NULL, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_ocr is NULL");
    EXPECT(swiftlet_ocr_open_oriented(f->det, f->rec, NULL, "/nonexistent/ori.swl", NULL, &o), SWIFTLET_ERR_IO, "/nonexistent/ori.swl");
    EXPECT(swiftlet_ocr_open_oriented(f->det, f->rec, NULL, "/tmp/\xff.swl", NULL, &o), SWIFTLET_ERR_INVALID_UTF8, "orientation_path is not valid UTF-8");
    EXPECT(swiftlet_ocr_open_oriented(f->det, f->rec, NULL, f->det, NULL, &o), SWIFTLET_ERR_INVALID_MODEL, "not a document-orientation model");
    EXPECT(swiftlet_ocr_open_oriented(f->det, f->rec, NULL, f->embedder, NULL, &o), SWIFTLET_ERR_INVALID_MODEL, "not a document-orientation model");
    opts.reserved[0] = 1;
    EXPECT(swiftlet_ocr_open_oriented(f->det, f->rec, NULL, f->orientation, &opts, &o), SWIFTLET_ERR_INVALID_ARGUMENT, "options.reserved[0] is 1");
    CHECK(o == NULL, "a failed open wrote a handle");
    memset(&opts, 0, sizeof opts);
    opts.threads = 2;
    if (f->quick) opts.limit_side_len = 32;
    EXPECT(swiftlet_ocr_open_oriented(f->det, f->rec, f->cls, f->orientation, &opts, &o), SWIFTLET_OK, "");
    swiftlet_ocr_result *r = NULL, *p = NULL;
    EXPECT(swiftlet_ocr_run_file(o, f->png, &r), SWIFTLET_OK, "");
    int32_t turn = 12345;
    EXPECT(swiftlet_ocr_result_orientation(r, &turn), SWIFTLET_OK, "");
    CHECK(turn == 0 || turn == 90 || turn == 180 || turn == 270, "orientation %d", (int)turn);
    char tail[40];
    snprintf(tail, sizeof tail, ",\"orientation\":%d}", (int)turn);
    const char *js = json_of(r);
    CHECK(strlen(js) > strlen(tail) && strcmp(js + strlen(js) - strlen(tail), tail) == 0, "JSON %s does not end in %s", js, tail);
    /* Without a classifier: -1 and no "orientation" in the JSON. */
    EXPECT(swiftlet_ocr_run_file(plain, f->png, &p), SWIFTLET_OK, "");
    turn = 12345;
    EXPECT(swiftlet_ocr_result_orientation(p, &turn), SWIFTLET_OK, "");
    CHECK(turn == -1, "orientation without a classifier: %d", (int)turn);
    CHECK(strstr(json_of(p), "orientation") == NULL, "JSON without a classifier: %s", json_of(p));
    /* Errors. */
    EXPECT(swiftlet_ocr_result_orientation(r, NULL), SWIFTLET_ERR_INVALID_ARGUMENT, "out_degrees is NULL");
    EXPECT(swiftlet_ocr_result_orientation(NULL, &turn), SWIFTLET_ERR_INVALID_HANDLE, "is NULL");
    EXPECT(swiftlet_ocr_result_orientation((swiftlet_ocr_result *)o, &turn), SWIFTLET_ERR_INVALID_HANDLE, "is a swiftlet_ocr, not a swiftlet_ocr_result");
    EXPECT(swiftlet_ocr_result_free(r), SWIFTLET_OK, "");
    EXPECT(swiftlet_ocr_result_orientation(r, &turn), SWIFTLET_ERR_INVALID_HANDLE, "has been closed");
    EXPECT(swiftlet_ocr_result_free(p), SWIFTLET_OK, "");
    EXPECT(swiftlet_ocr_close(o), SWIFTLET_OK, "");
}

/* ------------------------------------------------------------------ quick: one line */

/* The valgrind run's only recognised line: every accessor on a result that holds text. */
static void test_one_line(const fixture *f, swiftlet_ocr *o) {
    char *path = join(f->samples, "text_cls.jpg");
    swiftlet_ocr_result *r = NULL;
    EXPECT(swiftlet_ocr_run_file(o, path, &r), SWIFTLET_OK, "");
    size_t n = 0;
    EXPECT(swiftlet_ocr_result_count(r, &n), SWIFTLET_OK, "");
    CHECK(n > 0, "text_cls.jpg: no lines");
    for (size_t i = 0; i < n; i++) {
        swiftlet_ocr_line line;
        EXPECT(swiftlet_ocr_result_line(r, i, &line), SWIFTLET_OK, "");
        CHECK(line.text_length > 0 && strlen(line.text) == line.text_length && strstr(json_of(r), line.text) != NULL,
              "line %zu: '%s' (%zu bytes)", i, line.text, line.text_length);
    }
    EXPECT(swiftlet_ocr_result_free(r), SWIFTLET_OK, "");
    free(path);
}

/* A small RGBA PNG with partial transparency and nothing text-like (the detector finds
 * no box, so no recognition runs), written to a temporary file. */
static char *write_small_png(void) {
    enum { W = 40, H = 24 };
    static uint8_t px[W * H * 4];
    for (int i = 0; i < W * H; i++) {
        /* Light colours under varying alpha: compositing has work to do, the detector none. */
        px[4 * i] = (uint8_t)(200 + i % 56); px[4 * i + 1] = (uint8_t)(255 - i % 40); px[4 * i + 2] = 230; px[4 * i + 3] = (uint8_t)(i * 11);
    }
    char *path = malloc(64);
    snprintf(path, 64, "/tmp/swiftlet-test-ocr-%ld.png", (long)getpid());
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = W;
    img.height = H;
    img.format = PNG_FORMAT_RGBA;
    if (!png_image_write_to_file(&img, path, 0, px, 0, NULL)) {
        fprintf(stderr, "libpng: cannot write %s: %s\n", path, img.message);
        free(path);
        return NULL;
    }
    return path;
}

/* ------------------------------------------------------------------ threads */

typedef struct ocr_worker {
    swiftlet_ocr *o;
    const char *path;
    swiftlet_ocr_result *expected;
    int rounds, mismatches, errors;
} ocr_worker;

static void *ocr_worker_run(void *arg) {
    ocr_worker *w = arg;
    for (int k = 0; k < w->rounds; k++) {
        swiftlet_ocr_result *r = NULL;
        if (swiftlet_ocr_run_file(w->o, w->path, &r) != SWIFTLET_OK) { w->errors++; fprintf(stderr, "ocr worker: %s\n", swiftlet_last_error()); continue; }
        /* Compared by JSON (boxes, texts and scores, shortest round-trip floats) so the
         * worker makes no CHECKs of its own: the counters are not atomic. */
        const char *a = NULL, *b = NULL;
        if (swiftlet_ocr_result_json(r, &a, NULL) != SWIFTLET_OK || swiftlet_ocr_result_json(w->expected, &b, NULL) != SWIFTLET_OK || strcmp(a, b) != 0)
            w->mismatches++;
        swiftlet_ocr_result_free(r);
    }
    return NULL;
}

/* Several threads OCR different images through one handle at once; each result must
 * equal the one its image gets alone. */
static void test_threads(const fixture *f, swiftlet_ocr *o) {
    enum { THREADS = 4 };
    static const char *images[THREADS] = {"ch_doc_server.png", "text_rec.jpg", "text_cls.jpg", "en_rec.jpg"};
    const int threads = f->quick ? 2 : THREADS;
    ocr_worker workers[THREADS];
    char *paths[THREADS];
    pthread_t tids[THREADS];
    for (int t = 0; t < threads; t++) {
        paths[t] = f->quick ? strdup(f->png) : join(f->samples, images[t]);
        workers[t] = (ocr_worker){o, paths[t], NULL, f->quick ? 1 : 2, 0, 0};
        EXPECT(swiftlet_ocr_run_file(o, paths[t], &workers[t].expected), SWIFTLET_OK, "");
    }
    for (int t = 0; t < threads; t++) pthread_create(&tids[t], NULL, ocr_worker_run, &workers[t]);
    for (int t = 0; t < threads; t++) pthread_join(tids[t], NULL);
    for (int t = 0; t < threads; t++) {
        CHECK(workers[t].errors == 0 && workers[t].mismatches == 0, "thread %d (%s): %d errors, %d results differ from the image alone",
              t, paths[t], workers[t].errors, workers[t].mismatches);
        EXPECT(swiftlet_ocr_result_free(workers[t].expected), SWIFTLET_OK, "");
        free(paths[t]);
    }
    printf("ocr: %d threads on one handle, results equal to each image alone\n", threads);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s MODELS_DIR GOLDEN_DIR SAMPLES_DIR [--quick]\n", argv[0]);
        return 2;
    }
    fixture f;
    memset(&f, 0, sizeof f);
    f.quick = argc > 4 && strcmp(argv[4], "--quick") == 0;
    f.det = join(argv[1], "ppocrv4-det.swl");
    f.rec = join(argv[1], "ppocrv4-rec.swl");
    f.cls = join(argv[1], "ppocr-cls-v2.swl");
    f.embedder = join(argv[1], "all-MiniLM-L6-v2.swl");
    f.orientation = join(argv[1], "doc-orientation.swl");
    f.golden = argv[2];
    f.samples = argv[3];
    const char *need[5] = {f.det, f.rec, f.cls, f.embedder, f.orientation};
    for (int i = 0; i < 5; i++) {
        if (!file_exists(need[i])) {
            fprintf(stderr, "FAIL: model %s is missing: run `bash tools/setup.sh` (CI runs it through .ci/run)\n", need[i]);
            return 1;
        }
    }
    char *probe = join(f.samples, "ch_doc_server.png");
    if (!file_exists(probe)) {
        fprintf(stderr, "FAIL: %s is missing: point SWIFTLET_OCR_SAMPLES at the ocr-samples directory\n", probe);
        return 1;
    }
    free(probe);
    EXPECT(swiftlet_check_abi(SWIFTLET_ABI_VERSION), SWIFTLET_OK, "");

    test_open_errors(&f);
    if (!f.quick) test_golden(&f);
    swiftlet_ocr_options opts;
    memset(&opts, 0, sizeof opts);
    opts.threads = 2;
    /* Under valgrind a small detector input keeps the run short; memory is what counts there. */
    if (f.quick) opts.limit_side_len = 32;
    f.png = f.quick ? write_small_png() : join(f.samples, "ch_doc_server.png");
    CHECK(f.png != NULL, "no test image");
    swiftlet_ocr *o = NULL;
    EXPECT(swiftlet_ocr_open(f.det, f.rec, f.cls, &opts, &o), SWIFTLET_OK, "");
    if (o && f.png) {
        test_inputs(&f, o);
        test_handles(&f, o);
        test_threads(&f, o);
        test_orientation(&f, o);
        if (f.quick) test_one_line(&f, o);
    }
    EXPECT(swiftlet_ocr_close(o), SWIFTLET_OK, "");
    if (f.quick && f.png) remove(f.png);
    free(f.png);

    free(f.det);
    free(f.rec);
    free(f.cls);
    free(f.embedder);
    free(f.orientation);
    printf("%d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
