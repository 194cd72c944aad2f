/* Embeds a sentence and OCRs an image (tools/test-clients.sh builds and runs it).
 * usage: example EMBEDDER.swl DET.swl REC.swl CLS.swl IMAGE */
#include <stdio.h>
#include "swiftlet.h"

int main(int argc, char **argv) {
    swiftlet_embedder *e = NULL;
    swiftlet_ocr *ocr = NULL;
    swiftlet_ocr_result *r = NULL;
    const char *text = "Swiftlet runs on the CPU";
    float v[1024];
    size_t dim = 0, lines = 0;
    /* Every call returns SWIFTLET_OK (0) on success. */
    if (argc < 6 || swiftlet_check_abi(SWIFTLET_ABI_VERSION) || swiftlet_embedder_open(argv[1], NULL, &e) ||
        swiftlet_embedder_dimension(e, &dim) || swiftlet_embedder_embed(e, &text, NULL, 1, SWIFTLET_PREFIX_NONE, v, 1024) ||
        swiftlet_ocr_open(argv[2], argv[3], argv[4], NULL, &ocr) || swiftlet_ocr_run_file(ocr, argv[5], &r) ||
        swiftlet_ocr_result_count(r, &lines)) {
        fprintf(stderr, "swiftlet: %s\n", argc < 6 ? "usage: example EMBEDDER DET REC CLS IMAGE" : swiftlet_last_error());
        return 1;
    }
    printf("embedding: %zu floats, first %.4f\n", dim, v[0]);
    for (size_t i = 0; i < lines; i++) {
        swiftlet_ocr_line l;
        swiftlet_ocr_result_line(r, i, &l);
        printf("(%.0f, %.0f) %s  %.3f\n", l.box[0], l.box[1], l.text, l.score);
    }
    swiftlet_ocr_result_free(r);
    swiftlet_ocr_close(ocr);
    return swiftlet_embedder_close(e);
}
