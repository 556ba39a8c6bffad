/*
 * ob_bridge.h - client side of the Open Bastion bridge protocol v1 (docs/PROTOCOL.md).
 * Shared by the PAM module and the obclient test tool. libc only.
 */
#ifndef OB_BRIDGE_H
#define OB_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#define OB_DEFAULT_SOCKET "/run/open-bastion/obactors.sock"

#define OB_VERSION 1
#define OB_HEADER_SIZE 4
#define OB_MAX_BODY 8192

#define OB_MAX_USER 256
#define OB_MAX_PASSWORD 1024
#define OB_MAX_SERVICE 256
#define OB_MAX_RHOST 256
#define OB_MAX_TTY 256
#define OB_MAX_MESSAGE 1024
#define OB_MAX_GECOS 1024
#define OB_MAX_SHELL 1024
#define OB_MAX_HOME 1024

#define OB_TYPE_AUTH_REQUEST 0x01
#define OB_TYPE_AUTH_RESPONSE 0x02
#define OB_TYPE_ERROR 0x7F

#define OB_REQ_FLAG_ALLOW_OFFLINE 0x01
#define OB_RESP_FLAG_OFFLINE 0x01

/* AUTH_RESPONSE status byte. */
enum ob_status {
    OB_SUCCESS = 0,
    OB_WRONG_PASSWORD = 1,
    OB_LOCKED = 2,
    OB_NOT_CACHED = 3,
    OB_EXPIRED = 4,
    OB_UNAVAILABLE = 5,
    OB_BUSY = 6,
    OB_ERROR = 7,
    OB_TIMED_OUT = 8,
};
#define OB_STATUS_MAX OB_TIMED_OUT

/* Outcome of one exchange, seen from the client. */
enum ob_result {
    OB_OK = 0,              /* a valid AUTH_RESPONSE is in the response */
    OB_ERR_ARGUMENT,        /* a request field is over its limit or contains NUL */
    OB_ERR_UNSAFE_SOCKET,   /* the socket is not a socket, or not owned by root, or its peer is not root */
    OB_ERR_CONNECT,         /* no daemon listening (missing socket, refused) */
    OB_ERR_TIMEOUT,         /* the deadline passed */
    OB_ERR_IO,              /* read/write failure, or the daemon closed early */
    OB_ERR_PROTOCOL,        /* the answer is not a valid frame */
    OB_ERR_DAEMON,          /* the daemon answered with an ERROR frame (code in error_code) */
};

struct ob_request {
    const char *user;
    const char *password;
    const char *service;    /* NULL = not given */
    const char *rhost;      /* NULL = not given */
    const char *tty;        /* NULL = not given */
    int allow_offline;
    uint32_t timeout_ms;    /* also the client's own deadline for the whole exchange */
};

struct ob_response {
    uint8_t status;
    uint8_t flags;
    uint32_t seconds;
    uint16_t error_code;    /* ERROR frame code when the result is OB_ERR_DAEMON */
    char message[OB_MAX_MESSAGE + 1];
    char gecos[OB_MAX_GECOS + 1];
    char shell[OB_MAX_SHELL + 1];
    char home[OB_MAX_HOME + 1];
};

/*
 * Checks the socket (must be a socket owned by uid 0, and its peer must run as uid 0),
 * sends the request and reads the answer, all within req->timeout_ms. Never writes the
 * password anywhere but the socket; the request buffer is zeroed before returning.
 * detail (may be NULL) receives a short explanation without secrets.
 */
enum ob_result ob_authenticate(const char *socket_path, const struct ob_request *req,
                               struct ob_response *resp, char *detail, size_t detail_len);

const char *ob_status_name(unsigned status);
const char *ob_error_code_name(unsigned code);
const char *ob_result_text(enum ob_result result);

/* Encodes an AUTH_REQUEST frame (header included) into buf; returns its length or -1. */
int ob_encode_request(const struct ob_request *req, uint8_t *buf, size_t len);

/*
 * Decodes a frame body strictly. Returns OB_OK (AUTH_RESPONSE), OB_ERR_DAEMON (ERROR frame)
 * or OB_ERR_PROTOCOL.
 */
enum ob_result ob_decode_response(const uint8_t *body, size_t len, struct ob_response *resp);

#endif
