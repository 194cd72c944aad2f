/* Readers for the reference files the C client test compares against: .npy arrays
 * (golden embeddings, raw graph I/O), JSON-lines files (the corpus texts, the
 * reference token ids) and the OCR reference runs. Just enough of each format for
 * those files. */
#ifndef GOLDEN_IO_H
#define GOLDEN_IO_H

#include <stddef.h>
#include <stdint.h>

typedef struct npy_array {
    char dtype[8];      /* "<f4", "<i8" */
    size_t rank;
    size_t shape[8];
    size_t count;       /* elements */
    void *data;         /* malloc'd; free with npy_free */
} npy_array;

/* 0 on success; on failure prints why and returns -1. */
int npy_read(const char *path, npy_array *out);
void npy_free(npy_array *a);

typedef struct text_list {
    size_t count;
    char **texts;       /* UTF-8, not NUL-terminated (texts may contain NUL) */
    size_t *lengths;
} text_list;

/* Reads the "text" string of every line of a JSONL file. */
int jsonl_read_texts(const char *path, text_list *out);
void text_list_free(text_list *t);

typedef struct id_list {
    size_t count;
    int32_t **ids;
    size_t *lengths;
} id_list;

/* Reads the "ids" integer array of every line of a JSONL file. */
int jsonl_read_ids(const char *path, id_list *out);
void id_list_free(id_list *l);

/* The whole file, NUL-terminated (malloc'd; free it), its length in *size; NULL on failure. */
char *file_read_all(const char *path, size_t *size);

/* One RapidOCR reference run (golden/ocr/pipeline/<image>.json): the sample image's name,
 * the preset, and the lines it returned. */
typedef struct ocr_line_ref {
    float box[8];       /* x, y of the 4 corners */
    char *text;         /* UTF-8, NUL-terminated */
    size_t length;
} ocr_line_ref;

typedef struct ocr_ref {
    char *image;        /* e.g. "ch_en_num.jpg", or "paddle-japan.jpg" for the paddle preset */
    char *preset;       /* "rapidocr" or "paddle" */
    size_t count;
    ocr_line_ref *lines;
} ocr_ref;

int ocr_ref_read(const char *path, ocr_ref *out);
void ocr_ref_free(ocr_ref *r);

#endif
