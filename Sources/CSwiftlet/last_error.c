// The thread-local error message behind swiftlet_last_error(). It lives in C because C11
// _Thread_local gives each thread a fixed buffer with no allocation and nothing to free
// when the thread ends; Swift has no thread-local storage of its own.
#include <string.h>

#include "../../include/swiftlet.h"
#include "swiftlet_internal.h"

enum { CAPACITY = 4096 };
static _Thread_local char message_buffer[CAPACITY];

void swl_set_last_error(const char *message, size_t length) {
    if (length > CAPACITY - 1) {
        length = CAPACITY - 1;
        // Never end inside a UTF-8 sequence: back up over continuation bytes (10xxxxxx)
        // and the lead byte they belong to.
        while (length > 0 && ((unsigned char)message[length] & 0xC0) == 0x80) length--;
    }
    memcpy(message_buffer, message, length);
    message_buffer[length] = '\0';
}

void swl_clear_last_error(void) { message_buffer[0] = '\0'; }

const char *swiftlet_last_error(void) { return message_buffer; }
