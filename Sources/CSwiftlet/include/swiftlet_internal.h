/* Library-internal helpers, implemented in C; hidden from libswiftlet.so's exports. */
#ifndef SWIFTLET_INTERNAL_H
#define SWIFTLET_INTERNAL_H

#include <stddef.h>

/* Stores message (length bytes of UTF-8) as the calling thread's last error. */
__attribute__((visibility("hidden"))) void swl_set_last_error(const char *message, size_t length);
/* Makes the calling thread's last error "". */
__attribute__((visibility("hidden"))) void swl_clear_last_error(void);

#endif
