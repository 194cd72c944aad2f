#ifndef SWIFTLET_CJPEG_SHIM_H
#define SWIFTLET_CJPEG_SHIM_H
// libjpeg reports errors by calling a function that must not return; the decoder
// wrapper (owned by the image decoding code) catches them with setjmp/longjmp.
#include <stddef.h>
#include <stdio.h>
#include <jpeglib.h>
#endif
