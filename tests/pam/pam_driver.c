/*
 * pam_driver.c - a tiny PAM application for the module's tests (tests/pam/run.sh), for what
 * pamtester cannot do: pass PAM_DISALLOW_NULL_AUTHTOK, and run pam_authenticate while a
 * 300 ms interval timer interrupts every blocking call with SIGALRM (a handler installed without
 * SA_RESTART, as some PAM applications do).
 *
 *   pam_driver [-n] [-s] [-p PASSWORD] [-i INTERVAL_MS] SERVICE USER
 *
 *   -n   pam_authenticate(..., PAM_DISALLOW_NULL_AUTHTOK)
 *   -s   pam_authenticate(..., PAM_SILENT)
 *   -p   the password the conversation answers to every prompt (default: empty)
 *   -i   an ITIMER_REAL interval timer of INTERVAL_MS, SIGALRM handled without SA_RESTART
 *
 * Prints "result=CODE TEXT", "elapsed_ms=N" (pam_authenticate alone, CLOCK_MONOTONIC) and
 * "signals=N" (SIGALRMs delivered during the call); exits with the PAM code (0 = PAM_SUCCESS).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_appl.h>

static volatile sig_atomic_t signals;
static const char *password = "";

static void on_alarm(int sig)
{
    (void)sig;
    signals++;
}

static int conversation(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
    struct pam_response *r;
    (void)data;
    if (n <= 0 || n > PAM_MAX_NUM_MSG)
        return PAM_CONV_ERR;
    r = calloc((size_t)n, sizeof *r);
    if (r == NULL)
        return PAM_BUF_ERR;
    for (int i = 0; i < n; i++) {
        switch (msg[i]->msg_style) {
        case PAM_PROMPT_ECHO_OFF:
        case PAM_PROMPT_ECHO_ON:
            r[i].resp = strdup(password);
            if (r[i].resp == NULL) {
                for (int j = 0; j < i; j++)
                    free(r[j].resp);
                free(r);
                return PAM_BUF_ERR;
            }
            break;
        case PAM_TEXT_INFO:
        case PAM_ERROR_MSG:
            printf("message: %s\n", msg[i]->msg);
            break;
        default:
            free(r);
            return PAM_CONV_ERR;
        }
    }
    *resp = r;
    return PAM_SUCCESS;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
    struct pam_conv conv = { conversation, NULL };
    pam_handle_t *pamh = NULL;
    long interval_ms = 0;
    int flags = 0, opt, rc;
    long long t0, t1;

    while ((opt = getopt(argc, argv, "nsp:i:")) != -1) {
        switch (opt) {
        case 'n': flags |= PAM_DISALLOW_NULL_AUTHTOK; break;
        case 's': flags |= PAM_SILENT; break;
        case 'p': password = optarg; break;
        case 'i': interval_ms = strtol(optarg, NULL, 10); break;
        default:
            fprintf(stderr, "usage: pam_driver [-n] [-s] [-p PASSWORD] [-i INTERVAL_MS] SERVICE USER\n");
            return 2;
        }
    }
    if (optind != argc - 2 || interval_ms < 0 || interval_ms > 60000) {
        fprintf(stderr, "usage: pam_driver [-n] [-s] [-p PASSWORD] [-i INTERVAL_MS] SERVICE USER\n");
        return 2;
    }
    rc = pam_start(argv[optind], argv[optind + 1], &conv, &pamh);
    if (rc != PAM_SUCCESS) {
        fprintf(stderr, "pam_start: %d\n", rc);
        return 2;
    }
    if (interval_ms > 0) {
        struct sigaction sa;
        struct itimerval it;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0;   /* no SA_RESTART: blocking calls fail with EINTR */
        if (sigaction(SIGALRM, &sa, NULL) != 0)
            return 2;
        it.it_interval.tv_sec = interval_ms / 1000;
        it.it_interval.tv_usec = (interval_ms % 1000) * 1000;
        it.it_value = it.it_interval;
        if (setitimer(ITIMER_REAL, &it, NULL) != 0)
            return 2;
    }
    t0 = now_ms();
    rc = pam_authenticate(pamh, flags);
    t1 = now_ms();
    if (interval_ms > 0) {
        struct itimerval off;
        memset(&off, 0, sizeof off);
        (void)setitimer(ITIMER_REAL, &off, NULL);
    }
    printf("result=%d %s\nelapsed_ms=%lld\nsignals=%d\n", rc, pam_strerror(pamh, rc), t1 - t0, (int)signals);
    pam_end(pamh, rc);
    return rc;
}
