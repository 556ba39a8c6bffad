/*
 * pam_obactors.c - PAM module of OpenBastion.Actors: forwards a login to the obactors daemon
 * over its Unix socket (docs/PROTOCOL.md) and maps the answer to a PAM code.
 *
 * auth     [success=done authinfo_unavail=ignore default=die] pam_obactors.so [socket=PATH]
 *          [timeout=SECONDS] [offline_cache|no_offline_cache] [use_first_pass|try_first_pass] [debug]
 * account  [success=ok ignore=ignore user_unknown=ignore default=bad] pam_obactors.so
 *          (PAM_SUCCESS if this module authenticated the user, else PAM_IGNORE; it never refuses, so
 *          its account line goes AFTER pam_nologin, pam_access and pam_unix and never ends the stack:
 *          see README, "Installing on a real system")
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#define PAM_SM_AUTH
#define PAM_SM_ACCOUNT
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "ob_bridge.h"

#define OB_EXPORT __attribute__((visibility("default")))
#define DATA_AUTHENTICATED "pam_obactors_authenticated"
#define DEFAULT_TIMEOUT 10
#define MAX_TIMEOUT 300

struct options {
    const char *socket;
    int socket_ok;
    unsigned timeout;
    int allow_offline;
    int use_first_pass;
    int try_first_pass;
    int debug;
};

static void parse_options(pam_handle_t *pamh, int argc, const char **argv, struct options *o)
{
    o->socket = OB_DEFAULT_SOCKET;
    o->socket_ok = 1;
    o->timeout = DEFAULT_TIMEOUT;
    o->allow_offline = 1;
    o->use_first_pass = o->try_first_pass = o->debug = 0;

    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "debug") == 0) {
            o->debug = 1;
        } else if (strcmp(a, "offline_cache") == 0) {
            o->allow_offline = 1;
        } else if (strcmp(a, "no_offline_cache") == 0) {
            o->allow_offline = 0;
        } else if (strcmp(a, "use_first_pass") == 0) {
            o->use_first_pass = 1;
        } else if (strcmp(a, "try_first_pass") == 0) {
            o->try_first_pass = 1;
        } else if (strncmp(a, "socket=", 7) == 0) {
            o->socket = a + 7;
            o->socket_ok = o->socket[0] == '/' && strlen(o->socket) < 108;
            if (!o->socket_ok)
                pam_syslog(pamh, LOG_ERR, "socket= must be an absolute path shorter than 108 bytes");
        } else if (strncmp(a, "timeout=", 8) == 0) {
            char *end = NULL;
            long v;
            errno = 0;
            v = strtol(a + 8, &end, 10);
            if (errno != 0 || end == a + 8 || *end != '\0' || v < 1 || v > MAX_TIMEOUT)
                pam_syslog(pamh, LOG_ERR, "timeout= must be 1..%d seconds; using %d", MAX_TIMEOUT, DEFAULT_TIMEOUT);
            else
                o->timeout = (unsigned)v;
        } else {
            pam_syslog(pamh, LOG_ERR, "unknown option: %s", a);
        }
    }
}

/* Sends a message through the conversation unless the application asked for silence. */
static void tell(pam_handle_t *pamh, int flags, int style, const char *text)
{
    if (!(flags & PAM_SILENT))
        (void)pam_prompt(pamh, style, NULL, "%s", text);
}

/*
 * The password: use_first_pass takes PAM_AUTHTOK or fails; try_first_pass takes it when set,
 * else prompts; otherwise the module prompts. A prompted password is stored as PAM_AUTHTOK for
 * the modules stacked after this one. *authtok points into PAM's item; PAM owns it.
 */
static int get_password(pam_handle_t *pamh, const struct options *o, const char **authtok)
{
    const void *item = NULL;
    char *resp = NULL;
    int rc;

    *authtok = NULL;
    if (o->use_first_pass || o->try_first_pass) {
        rc = pam_get_item(pamh, PAM_AUTHTOK, &item);
        if (rc == PAM_SUCCESS && item != NULL) {
            *authtok = item;
            return PAM_SUCCESS;
        }
        if (o->use_first_pass) {
            if (o->debug)
                pam_syslog(pamh, LOG_DEBUG, "use_first_pass: no password from an earlier module");
            return PAM_AUTH_ERR;
        }
    }
    rc = pam_prompt(pamh, PAM_PROMPT_ECHO_OFF, &resp, "Password: ");
    if (rc != PAM_SUCCESS || resp == NULL) {
        free(resp);
        return rc == PAM_SUCCESS ? PAM_CONV_ERR : rc;
    }
    rc = pam_set_item(pamh, PAM_AUTHTOK, resp);
    explicit_bzero(resp, strlen(resp));
    free(resp);
    if (rc != PAM_SUCCESS)
        return rc;
    rc = pam_get_item(pamh, PAM_AUTHTOK, &item);
    if (rc != PAM_SUCCESS || item == NULL)
        return PAM_AUTH_ERR;
    *authtok = item;
    return PAM_SUCCESS;
}

static const char *item_string(pam_handle_t *pamh, int type)
{
    const void *v = NULL;
    if (pam_get_item(pamh, type, &v) != PAM_SUCCESS || v == NULL)
        return NULL;
    return v;
}

/* An optional field over its limit is sent as "not given" rather than failing the login. */
static const char *fit(const char *s, size_t max)
{
    return s != NULL && strnlen(s, max + 1) <= max ? s : NULL;
}

static int map_status(pam_handle_t *pamh, int flags, const struct options *o,
                      const char *user, const struct ob_response *resp)
{
    int offline = (resp->flags & OB_RESP_FLAG_OFFLINE) != 0;

    if (o->debug)
        pam_syslog(pamh, LOG_DEBUG, "user '%s': %s%s (seconds=%u)", user, ob_status_name(resp->status),
                   offline ? " offline" : "", (unsigned)resp->seconds);
    switch (resp->status) {
    case OB_SUCCESS:
        if (offline)
            tell(pamh, flags, PAM_TEXT_INFO, "Authenticated with cached credentials (offline mode)");
        return PAM_SUCCESS;
    case OB_WRONG_PASSWORD:
        return PAM_AUTH_ERR;
    case OB_LOCKED: {
        char text[96];
        snprintf(text, sizeof text, "Account locked (offline mode): try again in %u seconds",
                 (unsigned)resp->seconds);
        tell(pamh, flags, PAM_ERROR_MSG, text);
        return PAM_MAXTRIES;
    }
    case OB_NOT_CACHED:
    case OB_EXPIRED:
    case OB_UNAVAILABLE:
    case OB_BUSY:
    case OB_ERROR:
    case OB_TIMED_OUT:
    default:
        return PAM_AUTHINFO_UNAVAIL;
    }
}

static void cleanup_flag(pam_handle_t *pamh, void *data, int error_status)
{
    (void)pamh;
    (void)error_status;
    free(data);
}

static void remember_authenticated(pam_handle_t *pamh, const char *user)
{
    char *copy = strdup(user);
    if (copy == NULL || pam_set_data(pamh, DATA_AUTHENTICATED, copy, cleanup_flag) != PAM_SUCCESS)
        free(copy);
}

OB_EXPORT int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    struct options o;
    struct ob_request req;
    struct ob_response resp;
    const char *user = NULL, *password = NULL;
    char detail[256];
    enum ob_result r;
    int rc;

    parse_options(pamh, argc, argv, &o);
    /* A stale mark from an earlier attempt in this handle must not authorise the account step. */
    (void)pam_set_data(pamh, DATA_AUTHENTICATED, NULL, NULL);

    rc = pam_get_user(pamh, &user, NULL);
    if (rc != PAM_SUCCESS)
        return rc;
    if (user == NULL || user[0] == '\0')
        return PAM_USER_UNKNOWN;
    if (!o.socket_ok)
        return PAM_AUTHINFO_UNAVAIL;

    rc = get_password(pamh, &o, &password);
    if (rc != PAM_SUCCESS)
        return rc;
    /* The application forbids empty passwords: refused here, never sent to the daemon. */
    if ((flags & PAM_DISALLOW_NULL_AUTHTOK) && password[0] == '\0') {
        if (o.debug)
            pam_syslog(pamh, LOG_DEBUG, "user '%s': empty password refused (PAM_DISALLOW_NULL_AUTHTOK)", user);
        return PAM_AUTH_ERR;
    }
    if (strnlen(user, OB_MAX_USER + 1) > OB_MAX_USER || strnlen(password, OB_MAX_PASSWORD + 1) > OB_MAX_PASSWORD) {
        pam_syslog(pamh, LOG_NOTICE, "user name or password longer than the protocol allows");
        return PAM_AUTH_ERR;
    }

    memset(&req, 0, sizeof req);
    req.user = user;
    req.password = password;
    req.service = fit(item_string(pamh, PAM_SERVICE), OB_MAX_SERVICE);
    req.rhost = fit(item_string(pamh, PAM_RHOST), OB_MAX_RHOST);
    req.tty = fit(item_string(pamh, PAM_TTY), OB_MAX_TTY);
    req.allow_offline = o.allow_offline;
    req.timeout_ms = o.timeout * 1000u;

    if (o.debug)
        pam_syslog(pamh, LOG_DEBUG, "asking %s for user '%s' (offline %s, timeout %us)", o.socket, user,
                   o.allow_offline ? "allowed" : "refused", o.timeout);
    r = ob_authenticate(o.socket, &req, &resp, detail, sizeof detail);
    password = NULL;   /* PAM's item; the request buffer was zeroed by ob_authenticate */
    if (r != OB_OK) {
        int prio = r == OB_ERR_UNSAFE_SOCKET ? LOG_ERR : LOG_WARNING;
        pam_syslog(pamh, prio, "%s: %s", ob_result_text(r), detail);
        return PAM_AUTHINFO_UNAVAIL;
    }
    rc = map_status(pamh, flags, &o, user, &resp);
    explicit_bzero(&resp, sizeof resp);
    if (rc == PAM_SUCCESS)
        remember_authenticated(pamh, user);
    return rc;
}

OB_EXPORT int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    (void)pamh;
    (void)flags;
    (void)argc;
    (void)argv;
    return PAM_SUCCESS;
}

OB_EXPORT int pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    const void *data = NULL;
    const char *user = NULL;
    struct options o;

    (void)flags;
    parse_options(pamh, argc, argv, &o);
    if (pam_get_data(pamh, DATA_AUTHENTICATED, &data) != PAM_SUCCESS || data == NULL)
        return PAM_IGNORE;
    /* Only for the user this module authenticated (the application may have changed PAM_USER). */
    if (pam_get_item(pamh, PAM_USER, (const void **)&user) != PAM_SUCCESS || user == NULL
        || strcmp(user, (const char *)data) != 0)
        return PAM_IGNORE;
    if (o.debug)
        pam_syslog(pamh, LOG_DEBUG, "account of '%s' accepted: authenticated by this module", user);
    return PAM_SUCCESS;
}
