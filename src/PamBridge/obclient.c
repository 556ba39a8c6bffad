/*
 * obclient - talk to the obactors daemon like the PAM module does (docs/PROTOCOL.md).
 *
 *   obclient [-s socket] [-t timeout_seconds] [-n] [-S service] [-r rhost] [-T tty] USER   < password
 *
 * Reads the password from the first line of stdin. Prints the status name, flags, seconds and
 * message; exits with the status number (0 = SUCCESS), or 100 + the client error when no
 * AUTH_RESPONSE was obtained (101 argument, 102 unsafe socket, 103 unreachable, 104 timeout,
 * 105 i/o, 106 protocol, 107 daemon ERROR frame).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ob_bridge.h"

static void usage(void)
{
    fprintf(stderr, "usage: obclient [-s socket] [-t timeout_seconds] [-n] [-S service] [-r rhost] [-T tty] USER < password\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *socket_path = OB_DEFAULT_SOCKET, *service = "obclient", *rhost = NULL, *tty = NULL;
    long timeout = 10;
    int allow_offline = 1, opt;
    char password[OB_MAX_PASSWORD + 2];
    char detail[256];
    struct ob_request req;
    struct ob_response resp;
    enum ob_result r;
    size_t n;

    while ((opt = getopt(argc, argv, "s:t:nS:r:T:h")) != -1) {
        switch (opt) {
        case 's': socket_path = optarg; break;
        case 't':
            timeout = strtol(optarg, NULL, 10);
            if (timeout < 1 || timeout > 300) usage();
            break;
        case 'n': allow_offline = 0; break;
        case 'S': service = optarg; break;
        case 'r': rhost = optarg; break;
        case 'T': tty = optarg; break;
        default: usage();
        }
    }
    if (optind != argc - 1)
        usage();

    if (fgets(password, sizeof password, stdin) == NULL)
        password[0] = '\0';
    n = strcspn(password, "\r\n");
    if (password[n] == '\0' && n == sizeof password - 1) {
        fprintf(stderr, "obclient: password longer than %d bytes\n", OB_MAX_PASSWORD);
        explicit_bzero(password, sizeof password);
        return 100 + OB_ERR_ARGUMENT;
    }
    password[n] = '\0';

    memset(&req, 0, sizeof req);
    req.user = argv[optind];
    req.password = password;
    req.service = service;
    req.tty = tty;
    req.rhost = rhost;
    req.allow_offline = allow_offline;
    req.timeout_ms = (uint32_t)timeout * 1000u;

    r = ob_authenticate(socket_path, &req, &resp, detail, sizeof detail);
    explicit_bzero(password, sizeof password);
    if (r == OB_ERR_DAEMON) {
        printf("ERROR_FRAME %s message=\"%s\"\n", ob_error_code_name(resp.error_code), resp.message);
        return 100 + r;
    }
    if (r != OB_OK) {
        fprintf(stderr, "obclient: %s: %s\n", ob_result_text(r), detail);
        return 100 + r;
    }
    printf("%s flags=%u%s seconds=%u message=\"%s\"", ob_status_name(resp.status), resp.flags,
           (resp.flags & OB_RESP_FLAG_OFFLINE) ? "(offline)" : "", (unsigned)resp.seconds, resp.message);
    if (resp.status == OB_SUCCESS)
        printf(" gecos=\"%s\" shell=\"%s\" home=\"%s\"", resp.gecos, resp.shell, resp.home);
    printf("\n");
    return resp.status;
}
