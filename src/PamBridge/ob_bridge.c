/*
 * ob_bridge.c - client side of the Open Bastion bridge protocol v1 (docs/PROTOCOL.md).
 */
#include "ob_bridge.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char *const status_names[] = {
    "SUCCESS", "WRONG_PASSWORD", "LOCKED", "NOT_CACHED", "EXPIRED",
    "UNAVAILABLE", "BUSY", "ERROR", "TIMED_OUT",
};

static const char *const error_names[] = {
    "UNKNOWN", "BAD_VERSION", "BAD_TYPE", "MALFORMED", "TOO_LARGE",
    "FORBIDDEN", "TIMEOUT", "SHUTTING_DOWN",
};

const char *ob_status_name(unsigned status)
{
    return status <= OB_STATUS_MAX ? status_names[status] : "UNKNOWN";
}

const char *ob_error_code_name(unsigned code)
{
    return code < sizeof error_names / sizeof error_names[0] ? error_names[code] : "UNKNOWN";
}

const char *ob_result_text(enum ob_result result)
{
    switch (result) {
    case OB_OK: return "ok";
    case OB_ERR_ARGUMENT: return "request field over its limit";
    case OB_ERR_UNSAFE_SOCKET: return "unsafe socket";
    case OB_ERR_CONNECT: return "daemon unreachable";
    case OB_ERR_TIMEOUT: return "timed out";
    case OB_ERR_IO: return "i/o error";
    case OB_ERR_PROTOCOL: return "protocol error";
    case OB_ERR_DAEMON: return "daemon error";
    }
    return "unknown";
}

static void set_detail(char *detail, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_detail(char *detail, size_t len, const char *fmt, ...)
{
    va_list ap;
    if (detail == NULL || len == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(detail, len, fmt, ap);
    va_end(ap);
}

/* ---- encoding ---------------------------------------------------------- */

struct writer {
    uint8_t *buf;
    size_t len;
    size_t pos;
    int failed;
};

static void put_u8(struct writer *w, uint8_t v)
{
    if (w->failed || w->len - w->pos < 1) { w->failed = 1; return; }
    w->buf[w->pos++] = v;
}

static void put_u16(struct writer *w, uint16_t v)
{
    put_u8(w, (uint8_t)(v >> 8));
    put_u8(w, (uint8_t)v);
}

static void put_u32(struct writer *w, uint32_t v)
{
    put_u16(w, (uint16_t)(v >> 16));
    put_u16(w, (uint16_t)v);
}

static void put_str(struct writer *w, const char *s, size_t max)
{
    size_t n = s == NULL ? 0 : strnlen(s, max + 1);
    if (n > max || w->failed || w->len - w->pos < 2 + n) { w->failed = 1; return; }
    put_u16(w, (uint16_t)n);
    if (n > 0)
        memcpy(w->buf + w->pos, s, n);
    w->pos += n;
}

int ob_encode_request(const struct ob_request *req, uint8_t *buf, size_t len)
{
    struct writer w = { buf, len, OB_HEADER_SIZE, 0 };
    size_t body;

    if (len < OB_HEADER_SIZE || req->user == NULL || req->user[0] == '\0' || req->password == NULL)
        return -1;
    put_u8(&w, OB_VERSION);
    put_u8(&w, OB_TYPE_AUTH_REQUEST);
    put_u8(&w, req->allow_offline ? OB_REQ_FLAG_ALLOW_OFFLINE : 0);
    put_u32(&w, req->timeout_ms);
    put_str(&w, req->user, OB_MAX_USER);
    put_str(&w, req->password, OB_MAX_PASSWORD);
    put_str(&w, req->service, OB_MAX_SERVICE);
    put_str(&w, req->rhost, OB_MAX_RHOST);
    put_str(&w, req->tty, OB_MAX_TTY);
    body = w.pos - OB_HEADER_SIZE;
    if (w.failed || body > OB_MAX_BODY) {
        explicit_bzero(buf, len);
        return -1;
    }
    buf[0] = (uint8_t)(body >> 24);
    buf[1] = (uint8_t)(body >> 16);
    buf[2] = (uint8_t)(body >> 8);
    buf[3] = (uint8_t)body;
    return (int)w.pos;
}

/* ---- decoding ---------------------------------------------------------- */

struct reader {
    const uint8_t *buf;
    size_t len;
    size_t pos;
    int failed;
};

static uint8_t get_u8(struct reader *r)
{
    if (r->failed || r->len - r->pos < 1) { r->failed = 1; return 0; }
    return r->buf[r->pos++];
}

static uint16_t get_u16(struct reader *r)
{
    uint16_t hi = get_u8(r);
    return (uint16_t)((hi << 8) | get_u8(r));
}

static uint32_t get_u32(struct reader *r)
{
    uint32_t hi = get_u16(r);
    return (hi << 16) | get_u16(r);
}

/* Copies a string field into out (max + 1 bytes); over the limit, past the end or with NUL fails. */
static void get_str(struct reader *r, char *out, size_t max)
{
    size_t n = get_u16(r);
    out[0] = '\0';
    if (r->failed || n > max || r->len - r->pos < n || memchr(r->buf + r->pos, 0, n) != NULL) {
        r->failed = 1;
        return;
    }
    memcpy(out, r->buf + r->pos, n);
    out[n] = '\0';
    r->pos += n;
}

enum ob_result ob_decode_response(const uint8_t *body, size_t len, struct ob_response *resp)
{
    struct reader r = { body, len, 0, 0 };
    uint8_t version, type;

    memset(resp, 0, sizeof *resp);
    version = get_u8(&r);
    type = get_u8(&r);
    if (r.failed || version != OB_VERSION)
        return OB_ERR_PROTOCOL;
    if (type == OB_TYPE_AUTH_RESPONSE) {
        resp->status = get_u8(&r);
        resp->flags = get_u8(&r);
        resp->seconds = get_u32(&r);
        get_str(&r, resp->message, OB_MAX_MESSAGE);
        get_str(&r, resp->gecos, OB_MAX_GECOS);
        get_str(&r, resp->shell, OB_MAX_SHELL);
        get_str(&r, resp->home, OB_MAX_HOME);
        if (r.failed || r.pos != r.len || resp->status > OB_STATUS_MAX
            || (resp->flags & ~OB_RESP_FLAG_OFFLINE) != 0)
            return OB_ERR_PROTOCOL;
        return OB_OK;
    }
    if (type == OB_TYPE_ERROR) {
        resp->error_code = get_u16(&r);
        get_str(&r, resp->message, OB_MAX_MESSAGE);
        if (r.failed || r.pos != r.len)
            return OB_ERR_PROTOCOL;
        return OB_ERR_DAEMON;
    }
    return OB_ERR_PROTOCOL;
}

/* ---- transport --------------------------------------------------------- */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for events on fd until the deadline: OB_OK ready, OB_ERR_TIMEOUT, or OB_ERR_IO. */
static enum ob_result wait_fd(int fd, short events, int64_t deadline)
{
    for (;;) {
        struct pollfd p = { .fd = fd, .events = events, .revents = 0 };
        int64_t left = deadline - now_ms();
        int rc;
        if (left <= 0)
            return OB_ERR_TIMEOUT;
        rc = poll(&p, 1, left > 60000 ? 60000 : (int)left);
        if (rc > 0)
            return OB_OK;   /* readable, writable, or HUP/ERR: the next call reports it */
        if (rc < 0 && errno != EINTR)
            return OB_ERR_IO;
    }
}

static enum ob_result send_all(int fd, const uint8_t *buf, size_t len, int64_t deadline)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = send(fd, buf + done, len - done, MSG_NOSIGNAL);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            enum ob_result w = wait_fd(fd, POLLOUT, deadline);
            if (w != OB_OK)
                return w;
            continue;
        }
        return OB_ERR_IO;
    }
    return OB_OK;
}

/* Reads exactly len bytes; a peer closing early is OB_ERR_IO. */
static enum ob_result recv_all(int fd, uint8_t *buf, size_t len, int64_t deadline)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = recv(fd, buf + done, len - done, 0);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if (n == 0)
            return OB_ERR_IO;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            enum ob_result w = wait_fd(fd, POLLIN, deadline);
            if (w != OB_OK)
                return w;
            continue;
        }
        return OB_ERR_IO;
    }
    return OB_OK;
}

/* The socket must be a socket owned by root: the module sends passwords to it. */
static enum ob_result check_socket_path(const char *path, char *detail, size_t dlen)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        set_detail(detail, dlen, "cannot stat socket %s: %s", path, strerror(errno));
        return errno == ENOENT ? OB_ERR_CONNECT : OB_ERR_UNSAFE_SOCKET;
    }
    if (!S_ISSOCK(st.st_mode)) {
        set_detail(detail, dlen, "refusing %s: not a socket", path);
        return OB_ERR_UNSAFE_SOCKET;
    }
    if (st.st_uid != 0) {
        set_detail(detail, dlen, "refusing %s: owned by uid %u, not root", path, (unsigned)st.st_uid);
        return OB_ERR_UNSAFE_SOCKET;
    }
    return OB_OK;
}

static enum ob_result connect_socket(const char *path, int64_t deadline, int *out,
                                     char *detail, size_t dlen)
{
    struct sockaddr_un addr;
    struct ucred cred;
    socklen_t cred_len = sizeof cred;
    int64_t left;
    struct timeval tv;
    int fd, flags;

    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr.sun_path) {
        set_detail(detail, dlen, "socket path too long");
        return OB_ERR_CONNECT;
    }
    strcpy(addr.sun_path, path);

    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        set_detail(detail, dlen, "socket: %s", strerror(errno));
        return OB_ERR_IO;
    }
    /*
     * AF_UNIX has no asynchronous connect: a non-blocking connect to a full backlog fails with
     * EAGAIN at once and poll() cannot wait for room. So the connect blocks, bounded by
     * SO_SNDTIMEO (honoured by AF_UNIX while the backlog is full) set to the time left until
     * the exchange's one deadline, recomputed before every attempt: an EINTR (a signal handler
     * without SA_RESTART, e.g. an interval timer) retries with what is left, never with a
     * fresh timeout, and gives up once the deadline has passed.
     */
    for (;;) {
        int err;
        left = deadline - now_ms();
        if (left <= 0) {
            close(fd);
            set_detail(detail, dlen, "connect %s: deadline passed", path);
            return OB_ERR_TIMEOUT;
        }
        tv.tv_sec = (time_t)(left / 1000);
        tv.tv_usec = (suseconds_t)((left % 1000) * 1000);   /* never 0 (= no timeout): left >= 1 */
        if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0) {
            err = errno;
            close(fd);
            set_detail(detail, dlen, "setsockopt: %s", strerror(err));
            return OB_ERR_IO;
        }
        if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0)
            break;
        err = errno;
        if (err == EINTR)
            continue;
        if (err == EISCONN)
            break;
        close(fd);
        set_detail(detail, dlen, "connect %s: %s", path, strerror(err));
        return (err == EAGAIN || err == EINPROGRESS || err == ETIMEDOUT) ? OB_ERR_TIMEOUT : OB_ERR_CONNECT;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cred_len) != 0 || cred.uid != 0) {
        close(fd);
        set_detail(detail, dlen, "refusing %s: peer is not root", path);
        return OB_ERR_UNSAFE_SOCKET;
    }
    flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
        close(fd);
        set_detail(detail, dlen, "fcntl: %s", strerror(errno));
        return OB_ERR_IO;
    }
    *out = fd;
    return OB_OK;
}

/* Reads and decodes one frame: OB_OK (AUTH_RESPONSE), OB_ERR_DAEMON (ERROR) or a failure. */
static enum ob_result read_frame(int fd, struct ob_response *resp, int64_t deadline)
{
    uint8_t frame[OB_HEADER_SIZE + OB_MAX_BODY];
    uint32_t length;
    enum ob_result rc;

    memset(resp, 0, sizeof *resp);
    rc = recv_all(fd, frame, OB_HEADER_SIZE, deadline);
    if (rc != OB_OK)
        return rc;
    length = ((uint32_t)frame[0] << 24) | ((uint32_t)frame[1] << 16) | ((uint32_t)frame[2] << 8) | frame[3];
    if (length == 0 || length > OB_MAX_BODY)
        return OB_ERR_PROTOCOL;   /* refused before reading (or allocating) the body */
    rc = recv_all(fd, frame + OB_HEADER_SIZE, length, deadline);
    if (rc == OB_OK)
        rc = ob_decode_response(frame + OB_HEADER_SIZE, length, resp);
    explicit_bzero(frame, sizeof frame);
    return rc;
}

enum ob_result ob_authenticate(const char *socket_path, const struct ob_request *req,
                               struct ob_response *resp, char *detail, size_t detail_len)
{
    uint8_t frame[OB_HEADER_SIZE + OB_MAX_BODY];
    int64_t deadline = now_ms() + (int64_t)req->timeout_ms;
    enum ob_result rc;
    int fd = -1, n;

    memset(resp, 0, sizeof *resp);
    set_detail(detail, detail_len, "%s", "");

    n = ob_encode_request(req, frame, sizeof frame);
    if (n < 0) {
        set_detail(detail, detail_len, "request field over its limit");
        return OB_ERR_ARGUMENT;
    }
    rc = check_socket_path(socket_path, detail, detail_len);
    if (rc == OB_OK)
        rc = connect_socket(socket_path, deadline, &fd, detail, detail_len);
    if (rc == OB_OK) {
        rc = send_all(fd, frame, (size_t)n, deadline);
        if (rc != OB_OK)
            set_detail(detail, detail_len, "sending the request: %s", ob_result_text(rc));
    }
    explicit_bzero(frame, sizeof frame);   /* the request held the password */
    if (rc == OB_ERR_IO && fd >= 0) {
        /* The daemon may have refused the peer (ERROR FORBIDDEN) and closed before reading the
         * request: its ERROR frame is still queued for us, and says more than EPIPE. */
        struct ob_response early;
        if (read_frame(fd, &early, deadline) == OB_ERR_DAEMON) {
            *resp = early;
            set_detail(detail, detail_len, "daemon error %s", ob_error_code_name(resp->error_code));
            rc = OB_ERR_DAEMON;
        }
        explicit_bzero(&early, sizeof early);
        goto out;
    }
    if (rc != OB_OK)
        goto out;

    rc = read_frame(fd, resp, deadline);
    if (rc == OB_ERR_PROTOCOL)
        set_detail(detail, detail_len, "malformed response");
    else if (rc == OB_ERR_DAEMON)
        set_detail(detail, detail_len, "daemon error %s", ob_error_code_name(resp->error_code));
    else if (rc != OB_OK)
        set_detail(detail, detail_len, "reading the response: %s", ob_result_text(rc));
out:
    if (fd >= 0)
        close(fd);
    explicit_bzero(frame, sizeof frame);
    return rc;
}
