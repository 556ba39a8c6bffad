/*
 * fuzz_read_frame.c - what the module reads from the daemon's socket: the bytes are written into a
 * socket pair and read back by read_frame (header, length check, body, decode) as in ob_authenticate.
 * The outcome must agree with the header: a short stream is an I/O error, a bad length a protocol
 * error before any body is read, and a complete frame decodes as ob_decode_response decodes its body.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ob_response resp, direct;
    enum ob_result rc, expected;
    uint32_t length;
    int sv[2];

    if (size > 64 * 1024)
        return 0;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        abort();
    if (size > 0 && send(sv[0], data, size, MSG_NOSIGNAL) != (ssize_t)size)
        abort();
    close(sv[0]);
    if (fcntl(sv[1], F_SETFL, fcntl(sv[1], F_GETFL) | O_NONBLOCK) != 0)
        abort();

    rc = read_frame(sv[1], &resp, now_ms() + 1000);
    close(sv[1]);

    if (size < OB_HEADER_SIZE) {
        FUZZ_CHECK(rc == OB_ERR_IO, "a short header is not an I/O error");
        return 0;
    }
    length = ((uint32_t)data[0] << 24) | ((uint32_t)data[1] << 16) | ((uint32_t)data[2] << 8) | data[3];
    if (length == 0 || length > OB_MAX_BODY) {
        FUZZ_CHECK(rc == OB_ERR_PROTOCOL, "a bad length is not a protocol error");
        return 0;
    }
    if (size - OB_HEADER_SIZE < length) {
        FUZZ_CHECK(rc == OB_ERR_IO, "a short body is not an I/O error");
        return 0;
    }
    expected = ob_decode_response(data + OB_HEADER_SIZE, length, &direct);
    FUZZ_CHECK(rc == expected, "read_frame and ob_decode_response disagree");
    FUZZ_CHECK(memcmp(&resp, &direct, sizeof resp) == 0, "read_frame and ob_decode_response decode differently");
    fuzz_check_answer(rc, &resp, data + OB_HEADER_SIZE, length);
    return 0;
}
