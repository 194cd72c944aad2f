#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

// libpng reports errors by longjmp-ing to png_jmpbuf; Swift cannot host a setjmp, so the
// whole decode lives in these header-only C functions and hands Swift plain status codes.

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t pos;
    char message[256];
} swl_png_source;

static void swl_png_read(png_structp png, png_bytep out, size_t n) {
    swl_png_source *src = (swl_png_source *)png_get_io_ptr(png);
    if (src->size - src->pos < n) png_error(png, "truncated PNG data");
    memcpy(out, src->data + src->pos, n);
    src->pos += n;
}

static void swl_png_error(png_structp png, png_const_charp msg) {
    swl_png_source *src = (swl_png_source *)png_get_error_ptr(png);
    strncpy(src->message, msg, sizeof(src->message) - 1);
    src->message[sizeof(src->message) - 1] = 0;
    png_longjmp(png, 1);
}

static void swl_png_warning(png_structp png, png_const_charp msg) {
    (void)png;
    (void)msg;
}

enum { SWL_PNG_OK = 0, SWL_PNG_ERROR = 1, SWL_PNG_TOO_LARGE = 2 };

// Decodes any PNG to 8-bit RGBA (palette and low bit depths expanded, tRNS turned into
// alpha, 16-bit reduced to the high byte, Adam7 de-interlaced). Header dimensions are
// checked against max_pixels before any pixel memory is allocated. On success *out is a
// malloc'd width*height*4 buffer the caller frees.
static inline int swl_png_decode(const unsigned char *data, size_t size, uint64_t max_pixels,
                                 unsigned char **out, uint32_t *width, uint32_t *height,
                                 char *message, size_t message_size) {
    swl_png_source src = {data, size, 0, {0}};
    unsigned char *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    volatile int status = SWL_PNG_ERROR;
    *out = NULL;
    *width = 0;
    *height = 0;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, swl_png_error, swl_png_warning);
    if (!png) {
        snprintf(message, message_size, "out of memory");
        return SWL_PNG_ERROR;
    }
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        snprintf(message, message_size, "out of memory");
        return SWL_PNG_ERROR;
    }
    if (setjmp(png_jmpbuf(png))) {
        snprintf(message, message_size, "%s", src.message[0] ? src.message : "corrupt PNG data");
        free(pixels);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        return SWL_PNG_ERROR;
    }
    png_set_read_fn(png, &src, swl_png_read);
    png_read_info(png, info);
    uint32_t w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    *width = w;
    *height = h;
    if (w == 0 || h == 0) png_error(png, "image has zero width or height");
    if ((uint64_t)w * (uint64_t)h > max_pixels) {
        png_destroy_read_struct(&png, &info, NULL);
        return SWL_PNG_TOO_LARGE;
    }
    int color = png_get_color_type(png, info);
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_gray_to_rgb(png);
    if (!(color & PNG_COLOR_MASK_ALPHA) && !png_get_valid(png, info, PNG_INFO_tRNS))
        png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t stride = (size_t)w * 4;
    if (png_get_rowbytes(png, info) != stride) png_error(png, "unexpected PNG row layout after conversion");
    pixels = (unsigned char *)malloc(stride * h);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * h);
    if (!pixels || !rows) png_error(png, "out of memory");
    for (uint32_t y = 0; y < h; y++) rows[y] = pixels + stride * y;
    png_read_image(png, rows);
    free(rows);
    rows = NULL;
    png_destroy_read_struct(&png, &info, NULL);
    *out = pixels;
    status = SWL_PNG_OK;
    return status;
}

// zlib inflate of a buffer whose decompressed size is known (test fixtures).
static inline int swl_inflate(const unsigned char *src, size_t src_len, unsigned char *dst, size_t dst_len) {
    uLongf n = (uLongf)dst_len;
    int r = uncompress(dst, &n, src, (uLong)src_len);
    return (r == Z_OK && n == dst_len) ? 0 : 1;
}
