/* The C example of docs/C-ABI.md; tools/test-clients.sh builds and runs it. */
#include <stdio.h>
#include "swiftlet.h"

int main(int argc, char **argv) {
    const char *model = argc > 1 ? argv[1] : "models/all-MiniLM-L6-v2.swl";
    swiftlet_embedder *e = NULL;
    swiftlet_embedder_options opts = {2, 0};  /* 2 threads, default batch */
    const char *texts[2] = {"Hello world", "Swiftlet runs on the CPU"};
    float out[2 * 384];
    size_t dim = 0;
    if (swiftlet_check_abi(SWIFTLET_ABI_VERSION) != SWIFTLET_OK ||
        swiftlet_embedder_open(model, &opts, &e) != SWIFTLET_OK ||
        swiftlet_embedder_dimension(e, &dim) != SWIFTLET_OK || dim > 384 ||
        swiftlet_embedder_embed(e, texts, NULL, 2, SWIFTLET_PREFIX_NONE, out, 2 * 384) != SWIFTLET_OK) {
        fprintf(stderr, "swiftlet: %s\n", swiftlet_last_error());
        swiftlet_embedder_close(e);
        return 1;
    }
    printf("dimension %zu, first values %.4f %.4f\n", dim, out[0], out[dim]);
    return swiftlet_embedder_close(e) == SWIFTLET_OK ? 0 : 1;
}
