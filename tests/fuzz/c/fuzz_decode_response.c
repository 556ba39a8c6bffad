/*
 * fuzz_decode_response.c - ob_decode_response on the body of a daemon answer: it runs inside sshd as
 * root. Never reads out of bounds (ASan), every string it returns is terminated within its limit, and
 * whatever it accepts re-encodes to exactly the same bytes (the decoder is strict).
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ob_response resp;
    /* An exact-size copy, so that ASan sees a read one byte past the body. */
    uint8_t *body = malloc(size ? size : 1);
    enum ob_result rc;

    memcpy(body, data, size);
    rc = ob_decode_response(body, size, &resp);
    fuzz_check_answer(rc, &resp, body, size);
    free(body);
    return 0;
}
