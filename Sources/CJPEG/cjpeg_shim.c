#include "cjpeg_shim.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
} swl_jpeg_error;

static void swl_error_exit(j_common_ptr cinfo) {
    swl_jpeg_error *err = (swl_jpeg_error *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, err->message);
    longjmp(err->jump, 1);
}

// Warnings are tolerated (real files often carry stray bytes), except running out of
// data: libjpeg would silently fill the rest of the image with gray.
static void swl_emit_message(j_common_ptr cinfo, int level) {
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        swl_jpeg_error *err = (swl_jpeg_error *)cinfo->err;
        snprintf(err->message, sizeof(err->message), "truncated JPEG data");
        longjmp(err->jump, 1);
    }
    if (level < 0) cinfo->err->num_warnings++;
}

static void swl_output_message(j_common_ptr cinfo) { (void)cinfo; }

int swl_jpeg_decode(const unsigned char *data, size_t size, uint64_t max_pixels,
                    unsigned char **out, uint32_t *width, uint32_t *height, int *channels,
                    char *message, size_t message_size) {
    struct jpeg_decompress_struct cinfo;
    swl_jpeg_error err;
    unsigned char *volatile pixels = NULL;
    unsigned char *volatile row = NULL;
    *out = NULL;
    *width = 0;
    *height = 0;
    *channels = 0;
    memset(&cinfo, 0, sizeof(cinfo));
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = swl_error_exit;
    err.pub.emit_message = swl_emit_message;
    err.pub.output_message = swl_output_message;
    err.message[0] = 0;
    if (setjmp(err.jump)) {
        snprintf(message, message_size, "%s", err.message[0] ? err.message : "corrupt JPEG data");
        free(pixels);
        free(row);
        jpeg_destroy_decompress(&cinfo);
        return SWL_JPEG_ERROR;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    *width = cinfo.image_width;
    *height = cinfo.image_height;
    if (cinfo.image_width == 0 || cinfo.image_height == 0) {
        snprintf(message, message_size, "image has zero width or height");
        jpeg_destroy_decompress(&cinfo);
        return SWL_JPEG_ERROR;
    }
    if ((uint64_t)cinfo.image_width * cinfo.image_height > max_pixels) {
        jpeg_destroy_decompress(&cinfo);
        return SWL_JPEG_TOO_LARGE;
    }
    int cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    if (cmyk) cinfo.out_color_space = JCS_CMYK;
    else if (cinfo.jpeg_color_space == JCS_GRAYSCALE) cinfo.out_color_space = JCS_GRAYSCALE;
    else cinfo.out_color_space = JCS_RGB;
    jpeg_start_decompress(&cinfo);
    int comps = cinfo.output_components;
    int outc = cmyk ? 3 : comps;
    size_t w = cinfo.output_width, h = cinfo.output_height;
    pixels = (unsigned char *)malloc(w * h * (size_t)outc);
    row = (unsigned char *)malloc(w * (size_t)comps);
    if (!pixels || !row) {
        snprintf(err.message, sizeof(err.message), "out of memory");
        longjmp(err.jump, 1);
    }
    // Photoshop writes CMYK inverted and flags it with the Adobe marker; stored values are
    // then 255 - ink, so white paper reads as 255 and R = C' * K' / 255.
    int inverted = cinfo.saw_Adobe_marker;
    while (cinfo.output_scanline < cinfo.output_height) {
        size_t y = cinfo.output_scanline;
        JSAMPROW rp = row;
        jpeg_read_scanlines(&cinfo, &rp, 1);
        unsigned char *dst = pixels + y * w * (size_t)outc;
        if (!cmyk) {
            memcpy(dst, row, w * (size_t)comps);
            continue;
        }
        for (size_t x = 0; x < w; x++) {
            unsigned c = row[4 * x], m = row[4 * x + 1], yy = row[4 * x + 2], k = row[4 * x + 3];
            if (!inverted) { c = 255 - c; m = 255 - m; yy = 255 - yy; k = 255 - k; }
            dst[3 * x] = (unsigned char)((c * k + 127) / 255);
            dst[3 * x + 1] = (unsigned char)((m * k + 127) / 255);
            dst[3 * x + 2] = (unsigned char)((yy * k + 127) / 255);
        }
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    free(row);
    *out = pixels;
    *width = (uint32_t)w;
    *height = (uint32_t)h;
    *channels = outc;
    return SWL_JPEG_OK;
}
