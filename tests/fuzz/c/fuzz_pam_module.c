/*
 * fuzz_pam_module.c - the whole module path inside a PAM application: libpam loads the module
 * (src/PamBridge/pam_obactors.c and ob_bridge.c as they are, built with the same sanitizers into
 * pam_obactors_fuzz.so beside this program) from a private configuration directory, and
 * pam_authenticate / pam_acct_mgmt run it with fuzzed PAM items and password against a fake daemon on
 * a root-owned socket that answers with fuzzed bytes.
 *
 * Input: byte 0 = flags (bits 0-1 pick one of four module lines, see STACKS; bit 2 rhost set, bit 3
 * tty set, bit 4 PAM_SILENT), then NUL-separated: user, password, rhost, tty; the rest (NULs
 * included) is what the daemon answers.
 *
 * Properties: no memory error (ASan, UBSan); the daemon receives exactly the request that the PAM
 * items make (fields over their limits sent as "not given", never cut); pam_authenticate succeeds,
 * and the account step accepts the user, exactly when the daemon's answer starts with a well-formed
 * AUTH_RESPONSE SUCCESS frame.
 */
#include "fuzz_common.h"

#include <errno.h>
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <security/pam_appl.h>

#define BARRIER "BARR"

/* The module lines (service obfuzz0..3); what each one expects of the request. */
static const struct { const char *args; int offline; int sends; } STACKS[4] = {
    { "", 1, 1 },
    { "no_offline_cache try_first_pass", 0, 1 },
    { "use_first_pass", 1, 0 },                       /* no PAM_AUTHTOK yet: refused before sending */
    { "debug offline_cache bogus timeout=0 timeout=x socket=relative", 1, 1 },
};

static char sock_path[108];
static char conf_dir[64];

/* What the current input expects of the request, and what the daemon answers (set by the main thread
 * before the module runs; read by the daemon thread only while the module runs). */
static const char *want_user, *want_password, *want_service, *want_rhost, *want_tty;
static int want_offline;
static const uint8_t *answer;
static size_t answer_len;
static int request_seen;
static sem_t barrier_done;

static int fuzz_conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
    struct pam_response *r = calloc((size_t)n, sizeof *r);
    (void)data;
    if (r == NULL)
        return PAM_BUF_ERR;
    for (int i = 0; i < n; i++)
        if (msg[i]->msg_style == PAM_PROMPT_ECHO_OFF || msg[i]->msg_style == PAM_PROMPT_ECHO_ON)
            r[i].resp = strdup(want_password);
    *resp = r;
    return PAM_SUCCESS;
}

static int read_exact(int fd, uint8_t *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = recv(fd, buf + done, len - done, 0);
        if (n < 0 && errno == EINTR)
            continue;   /* libFuzzer's timer signal, not the module */
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

/* Checks one u16-prefixed field of the request against the string the module should have sent. */
static void check_field(const uint8_t *b, size_t len, size_t *pos, const char *want, const char *what)
{
    size_t n, wl = want == NULL ? 0 : strlen(want);
    FUZZ_CHECK(len - *pos >= 2, what);
    n = ((size_t)b[*pos] << 8) | b[*pos + 1];
    *pos += 2;
    FUZZ_CHECK(n == wl && len - *pos >= n && (n == 0 || memcmp(b + *pos, want, n) == 0), what);
    *pos += n;
}

static void *daemon_thread(void *arg)
{
    int lfd = *(int *)arg;
    static uint8_t body[OB_MAX_BODY];
    for (;;) {
        uint8_t hdr[4];
        uint32_t len;
        size_t pos;
        int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        if (read_exact(fd, hdr, 4) != 0) {
            close(fd);
            continue;
        }
        if (memcmp(hdr, BARRIER, 4) == 0) {
            close(fd);
            sem_post(&barrier_done);
            continue;
        }
        len = ((uint32_t)hdr[0] << 24) | ((uint32_t)hdr[1] << 16) | ((uint32_t)hdr[2] << 8) | hdr[3];
        FUZZ_CHECK(len > 0 && len <= OB_MAX_BODY, "the module sent a frame over the body limit");
        FUZZ_CHECK(read_exact(fd, body, len) == 0, "the module closed in the middle of its request");
        request_seen = 1;
        FUZZ_CHECK(len >= 7 && body[0] == OB_VERSION && body[1] == OB_TYPE_AUTH_REQUEST, "request version or type");
        FUZZ_CHECK(body[2] == (want_offline ? OB_REQ_FLAG_ALLOW_OFFLINE : 0), "request flags");
        pos = 7;
        check_field(body, len, &pos, want_user, "request user");
        check_field(body, len, &pos, want_password, "request password");
        check_field(body, len, &pos, want_service, "request service");
        check_field(body, len, &pos, want_rhost, "request rhost");
        check_field(body, len, &pos, want_tty, "request tty");
        FUZZ_CHECK(pos == len, "trailing bytes in the request");
        explicit_bzero(body, len);
        if (answer_len > 0)
            (void)send(fd, answer, answer_len, MSG_NOSIGNAL);
        shutdown(fd, SHUT_WR);
        close(fd);
    }
    return NULL;
}

/* Returns once the daemon thread has finished every connection the module made. */
static void wait_for_daemon(void)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    strcpy(a.sun_path, sock_path);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0 || send(fd, BARRIER, 4, MSG_NOSIGNAL) != 4)
        abort();
    /* libFuzzer's SIGALRM timer interrupts sem_wait (EINTR): returning early would let the daemon
     * thread send from the fuzz input after libFuzzer has freed it. Wait for real. */
    while (sem_wait(&barrier_done) != 0) {
        if (errno != EINTR)
            abort();
    }
    close(fd);
}

/* Removes the private directory when the fuzzer exits normally. */
static void remove_conf_dir(void)
{
    char path[PATH_MAX];
    unlink(sock_path);
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/obfuzz%d", conf_dir, i);
        unlink(path);
    }
    rmdir(conf_dir);
}

static void no_delay(int retval, unsigned usec_delay, void *appdata)
{
    (void)retval;
    (void)usec_delay;
    (void)appdata;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static char dir[] = "/tmp/obfuzz-pam.XXXXXX";
    static int lfd;
    char exe[PATH_MAX], module[PATH_MAX + 32], conf[PATH_MAX];
    struct sockaddr_un a;
    pthread_t t;
    ssize_t n;
    (void)argc;
    (void)argv;

    if (geteuid() != 0) {
        fprintf(stderr, "fuzz_pam_module: must run as root (the module only talks to a root-owned socket)\n");
        exit(1);
    }
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        abort();
    exe[n] = '\0';
    *strrchr(exe, '/') = '\0';
    snprintf(module, sizeof module, "%s/pam_obactors_fuzz.so", exe);
    /* Kept loaded, so that pam_end never unmaps it (and each pam_start maps nothing). */
    if (dlopen(module, RTLD_NOW | RTLD_GLOBAL) == NULL) {
        fprintf(stderr, "fuzz_pam_module: %s\n", dlerror());
        exit(1);
    }
    if (mkdtemp(dir) == NULL)
        abort();
    snprintf(conf_dir, sizeof conf_dir, "%s", dir);
    snprintf(sock_path, sizeof sock_path, "%s/obactors.sock", dir);
    atexit(remove_conf_dir);
    for (int i = 0; i < 4; i++) {
        FILE *f;
        snprintf(conf, sizeof conf, "%s/obfuzz%d", dir, i);
        f = fopen(conf, "w");
        if (f == NULL
            || fprintf(f, "auth required %s %s socket=%s timeout=5\naccount required %s\n",
                       module, STACKS[i].args, sock_path, module) < 0
            || fclose(f) != 0)
            abort();
    }

    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    strcpy(a.sun_path, sock_path);
    lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 16) != 0)
        abort();
    sem_init(&barrier_done, 0, 0);
    if (pthread_create(&t, NULL, daemon_thread, &lfd) != 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct pam_conv conv = { fuzz_conv, NULL };
    char *copy, *fields[4] = { "", "", "", "" };
    char service[16];
    pam_handle_t *pamh = NULL;
    int flags_byte, stack, rc, acct, expect_success = 0;
    size_t rest, i;
    struct ob_response resp;

    if (size < 1)
        return 0;
    flags_byte = data[0];
    stack = flags_byte & 3;
    copy = malloc(size);
    memcpy(copy, data + 1, size - 1);
    copy[size - 1] = '\0';
    {
        size_t p = 0, n = size - 1;
        for (i = 0; i < 4 && p < n; i++) {
            fields[i] = copy + p;
            p += strnlen(copy + p, n - p) + 1;
        }
        rest = p < n ? p : n;
    }
    answer = data + 1 + rest;
    answer_len = size - 1 - rest;

    snprintf(service, sizeof service, "obfuzz%d", stack);
    if (pam_start_confdir(service, fields[0], &conv, conf_dir, &pamh) != PAM_SUCCESS)
        abort();
    pam_set_item(pamh, PAM_FAIL_DELAY, (const void *)no_delay);
    if (flags_byte & 0x04)
        pam_set_item(pamh, PAM_RHOST, fields[2]);
    if (flags_byte & 0x08)
        pam_set_item(pamh, PAM_TTY, fields[3]);

    /* What the daemon must receive. */
    want_user = fields[0];
    want_password = fields[1];
    want_service = service;
    want_rhost = (flags_byte & 0x04) && strlen(fields[2]) <= OB_MAX_RHOST ? fields[2] : NULL;
    want_tty = (flags_byte & 0x08) && strlen(fields[3]) <= OB_MAX_TTY ? fields[3] : NULL;
    want_offline = STACKS[stack].offline;
    request_seen = 0;

    rc = pam_authenticate(pamh, (flags_byte & 0x10) ? PAM_SILENT : 0);
    wait_for_daemon();
    acct = pam_acct_mgmt(pamh, 0);
    pam_end(pamh, rc);

    if (!STACKS[stack].sends)
        FUZZ_CHECK(!request_seen, "use_first_pass without a password sent a request");
    /* Success exactly when the answer starts with a well-formed AUTH_RESPONSE SUCCESS. */
    if (request_seen && answer_len >= OB_HEADER_SIZE) {
        uint32_t len = ((uint32_t)answer[0] << 24) | ((uint32_t)answer[1] << 16)
                       | ((uint32_t)answer[2] << 8) | answer[3];
        if (len > 0 && len <= OB_MAX_BODY && answer_len - OB_HEADER_SIZE >= len
            && ob_decode_response(answer + OB_HEADER_SIZE, len, &resp) == OB_OK && resp.status == OB_SUCCESS)
            expect_success = 1;
    }
    if (expect_success) {
        FUZZ_CHECK(rc == PAM_SUCCESS, "a SUCCESS answer did not authenticate");
        FUZZ_CHECK(acct == PAM_SUCCESS, "the account step refused a user the module authenticated");
    } else {
        FUZZ_CHECK(rc != PAM_SUCCESS, "the module authenticated without a SUCCESS answer");
        FUZZ_CHECK(acct != PAM_SUCCESS, "the account step accepted a user the module did not authenticate");
    }
    free(copy);
    return 0;
}
