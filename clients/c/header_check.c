/* Compiled as C99 and as C++ by tools/test-clients.sh: the header must stand alone
 * and be warning-free under -Wall -Wextra -Werror -pedantic in both languages. */
#include "swiftlet.h"

int swiftlet_header_check(void);
int swiftlet_header_check(void) {
    swiftlet_embedder_options e = {0, 0};
    swiftlet_session_options s = {0};
    swiftlet_tensor t = {0, SWIFTLET_DTYPE_FLOAT32, 0, 0, 0, 0};
    swiftlet_value_info v = {0, SWIFTLET_DTYPE_INT64, 0, 0};
    return e.threads + s.threads + (int)t.rank + (int)v.rank + SWIFTLET_OK;
}
