#ifndef SWIFTLET_CJPEG_SHIM_H
#define SWIFTLET_CJPEG_SHIM_H
// libjpeg reports errors by calling a function that must not return; the decoder
// wrapper (owned by the image decoding code) catches them with setjmp/longjmp.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jpeglib.h>

enum { SWL_JPEG_OK = 0, SWL_JPEG_ERROR = 1, SWL_JPEG_TOO_LARGE = 2 };

// Decodes a JPEG held in memory to 8-bit RGB (3 channels) or gray (1 channel, *channels
// = 1). CMYK/YCCK are converted to RGB (Adobe-inverted storage handled). The header's
// dimensions are checked against max_pixels before decompression starts. Premature end
// of data is an error (libjpeg would otherwise pad with gray). On success *out is a
// malloc'd width*height*channels buffer the caller frees.
int swl_jpeg_decode(const unsigned char *data, size_t size, uint64_t max_pixels,
                    unsigned char **out, uint32_t *width, uint32_t *height, int *channels,
                    char *message, size_t message_size);

#endif
