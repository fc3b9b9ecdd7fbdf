/*
 * Step 13 of a launch (semantics.md §9.6): the signal mask the program starts with. The manager
 * started with nothing blocked that it hands on (the signals it handles are its own business),
 * so the base mask is empty. A service in the console's foreground keeps the terminal's job
 * control signals masked, and ^C too unless `options = unmask-intr`.
 */
#define _GNU_SOURCE
#include <signal.h>

#include "steps.h"

void ti_child_signal_mask(const struct ti_launch *r)
{
    sigset_t mask;
    sigemptyset(&mask);
    if (r->console_fd >= 0 && r->console_foreground) {
        if (!r->unmask_intr) sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGQUIT);
        sigaddset(&mask, SIGTSTP);
        sigaddset(&mask, SIGTTIN);
        sigaddset(&mask, SIGTTOU);
    }
    sigprocmask(SIG_SETMASK, &mask, NULL);
}
