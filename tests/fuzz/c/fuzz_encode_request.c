/*
 * fuzz_encode_request.c - the module's request path: PAM items (user, password, service, rhost,
 * tty, any bytes but NUL, any length) encoded by ob_encode_request into a buffer of any size.
 *
 * Input: byte 0 = flags (bit 0 allow_offline; bits 1-3 leave service/rhost/tty NULL; bit 4 leaves
 * the password NULL), bytes 1-2 = buffer size (modulo the largest frame + 64), bytes 3-6 = timeout_ms, then the fields separated by
 * NUL bytes (a field over its limit must be refused, never cut).
 *
 * Properties: the encoder never writes outside the buffer (ASan: the buffer is allocated at its exact
 * size); it succeeds exactly when every field fits and the frame fits the buffer and OB_MAX_BODY
 * (it may also refuse an empty password);
 * what it writes decodes (strictly, as the daemon's FrameParser does) to the same fields; and when it
 * refuses after writing, the buffer is zeroed: no password is left in it.
 */
#include "fuzz_common.h"

#define SENTINEL 0xA5

struct field { const char *s; size_t len; };

/* Reads one u16-prefixed field of the encoded body and compares it with the expected string. */
static void expect_field(const uint8_t *b, size_t blen, size_t *pos, const char *s, const char *what)
{
    size_t want = s == NULL ? 0 : strlen(s), n;
    FUZZ_CHECK(blen - *pos >= 2, what);
    n = ((size_t)b[*pos] << 8) | b[*pos + 1];
    *pos += 2;
    FUZZ_CHECK(n == want && blen - *pos >= n, what);
    FUZZ_CHECK(n == 0 || memcmp(b + *pos, s, n) == 0, what);
    FUZZ_CHECK(memchr(b + *pos, 0, n) == NULL, what);
    *pos += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy, *fields[5] = { NULL, NULL, NULL, NULL, NULL };
    struct ob_request req;
    size_t buflen, i, pos, body, total;
    uint8_t flags, *buf;
    int n, fits;
    static const size_t limits[5] = { OB_MAX_USER, OB_MAX_PASSWORD, OB_MAX_SERVICE, OB_MAX_RHOST, OB_MAX_TTY };

    if (size < 7)
        return 0;
    flags = data[0];
    buflen = (((size_t)data[1] << 8) | data[2]) % (OB_HEADER_SIZE + OB_MAX_BODY + 64);

    /* The fields: NUL-separated, each its own C string (as PAM hands them over). */
    copy = malloc(size - 7 + 1);
    memcpy(copy, data + 7, size - 7);
    copy[size - 7] = '\0';
    {
        char *p = copy, *end = copy + (size - 7);
        for (i = 0; i < 5 && p <= end; i++) {
            fields[i] = p;
            p += strlen(p) + 1;
        }
    }

    memset(&req, 0, sizeof req);
    req.user = fields[0];
    req.password = (flags & 0x10) ? NULL : fields[1];
    req.service = (flags & 0x02) ? NULL : fields[2];
    req.rhost = (flags & 0x04) ? NULL : fields[3];
    req.tty = (flags & 0x08) ? NULL : fields[4];
    req.allow_offline = flags & 0x01;
    req.timeout_ms = ((uint32_t)data[3] << 24) | ((uint32_t)data[4] << 16) | ((uint32_t)data[5] << 8) | data[6];

    buf = malloc(buflen ? buflen : 1);
    memset(buf, SENTINEL, buflen);
    n = ob_encode_request(&req, buf, buflen);

    /* What the protocol allows: the expected outcome. */
    {
        const char *v[5] = { req.user, req.password, req.service, req.rhost, req.tty };
        fits = req.user != NULL && req.user[0] != '\0' && req.password != NULL;
        body = 3 + 4;
        for (i = 0; i < 5; i++) {
            size_t len = v[i] == NULL ? 0 : strlen(v[i]);
            if (len > limits[i])
                fits = 0;
            body += 2 + len;
        }
        total = OB_HEADER_SIZE + body;
        if (total > buflen || body > OB_MAX_BODY)
            fits = 0;
    }

    /* An empty password may be refused by the encoder too (issue 10: empty passwords are never sent). */
    if (fits && n == -1 && req.password != NULL && req.password[0] == '\0')
        fits = 0;
    if (!fits) {
        FUZZ_CHECK(n == -1, "a request over a limit or over the buffer was encoded");
        for (i = 0; i < buflen; i++)
            FUZZ_CHECK(buf[i] == SENTINEL || buf[i] == 0, "a refused request left bytes in the buffer");
        if (buflen > 0 && buf[0] != SENTINEL)
            for (i = 0; i < buflen; i++)
                FUZZ_CHECK(buf[i] == 0, "a refused request was not zeroed");
    } else {
        FUZZ_CHECK(n == (int)total, "the encoded length is not the frame's length");
        FUZZ_CHECK(((size_t)buf[0] << 24 | (size_t)buf[1] << 16 | (size_t)buf[2] << 8 | buf[3]) == body,
                   "the header does not announce the body's length");
        for (i = (size_t)n; i < buflen; i++)
            FUZZ_CHECK(buf[i] == SENTINEL, "the encoder wrote past the frame");
        FUZZ_CHECK(buf[4] == OB_VERSION && buf[5] == OB_TYPE_AUTH_REQUEST, "bad version or type");
        FUZZ_CHECK(buf[6] == (req.allow_offline ? OB_REQ_FLAG_ALLOW_OFFLINE : 0), "bad flags");
        FUZZ_CHECK(memcmp(buf + 7, data + 3, 4) == 0, "bad timeout");
        pos = 11;
        expect_field(buf, (size_t)n, &pos, req.user, "user field");
        expect_field(buf, (size_t)n, &pos, req.password, "password field");
        expect_field(buf, (size_t)n, &pos, req.service, "service field");
        expect_field(buf, (size_t)n, &pos, req.rhost, "rhost field");
        expect_field(buf, (size_t)n, &pos, req.tty, "tty field");
        FUZZ_CHECK(pos == (size_t)n, "trailing bytes after the last field");
    }
    free(buf);
    free(copy);
    return 0;
}
