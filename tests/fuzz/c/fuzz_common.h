/*
 * fuzz_common.h - shared by the libFuzzer harnesses of the C bridge client (tests/fuzz/README.md).
 * Each harness includes src/PamBridge/ob_bridge.c itself (compiled as is, never edited), so that
 * its static helpers (read_frame) can be reached too.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include "ob_bridge.c"

#include <stdlib.h>

/* A broken property: print it and abort, which libFuzzer reports as a crash with the input saved. */
#define FUZZ_CHECK(cond, what)                                                   \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "fuzz property failed: %s (%s:%d)\n", what, __FILE__, __LINE__); \
            abort();                                                             \
        }                                                                        \
    } while (0)

/* Re-encodes a decoded answer the way docs/PROTOCOL.md lays it out; returns the body length. */
static __attribute__((unused)) size_t fuzz_encode_answer(enum ob_result rc, const struct ob_response *r, uint8_t *out, size_t cap)
{
    struct writer w = { out, cap, 0, 0 };
    put_u8(&w, OB_VERSION);
    if (rc == OB_OK) {
        put_u8(&w, OB_TYPE_AUTH_RESPONSE);
        put_u8(&w, r->status);
        put_u8(&w, r->flags);
        put_u32(&w, r->seconds);
        put_str(&w, r->message, OB_MAX_MESSAGE);
        put_str(&w, r->gecos, OB_MAX_GECOS);
        put_str(&w, r->shell, OB_MAX_SHELL);
        put_str(&w, r->home, OB_MAX_HOME);
    } else {
        put_u8(&w, OB_TYPE_ERROR);
        put_u16(&w, r->error_code);
        put_str(&w, r->message, OB_MAX_MESSAGE);
    }
    FUZZ_CHECK(!w.failed, "a decoded answer does not fit its own limits");
    return w.pos;
}

/* The checks on any decoded answer: bounded, terminated strings and a byte-exact re-encoding. */
static __attribute__((unused)) void fuzz_check_answer(enum ob_result rc, const struct ob_response *r, const uint8_t *body, size_t len)
{
    static uint8_t again[OB_MAX_BODY + 16];
    size_t n;

    FUZZ_CHECK(rc == OB_OK || rc == OB_ERR_DAEMON || rc == OB_ERR_PROTOCOL, "unexpected result code");
    FUZZ_CHECK(memchr(r->message, 0, sizeof r->message) != NULL, "message not terminated");
    FUZZ_CHECK(memchr(r->gecos, 0, sizeof r->gecos) != NULL, "gecos not terminated");
    FUZZ_CHECK(memchr(r->shell, 0, sizeof r->shell) != NULL, "shell not terminated");
    FUZZ_CHECK(memchr(r->home, 0, sizeof r->home) != NULL, "home not terminated");
    if (rc == OB_ERR_PROTOCOL)
        return;
    if (rc == OB_OK) {
        FUZZ_CHECK(r->status <= OB_STATUS_MAX, "status out of range accepted");
        FUZZ_CHECK((r->flags & ~OB_RESP_FLAG_OFFLINE) == 0, "reserved flag accepted");
        FUZZ_CHECK(ob_status_name(r->status) != NULL, "status without a name");
    } else {
        FUZZ_CHECK(ob_error_code_name(r->error_code) != NULL, "error code without a name");
    }
    n = fuzz_encode_answer(rc, r, again, sizeof again);
    FUZZ_CHECK(n == len && memcmp(again, body, len) == 0, "an accepted answer does not re-encode to its bytes");
}

#endif
