/*
 * Weak stand-ins for the steps the `privileges` work implements (steps.h, "Hooks"). A setting
 * they cannot apply fails its stage with ENOSYS: never run the process without it. Delete a
 * stand-in when its real definition exists (it is overridden anyway: build.sh links ld -r).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>

#include "steps.h"

__attribute__((weak)) int ti_apply_console(const struct ti_launch *r)
{
    (void)r;
    errno = ENOSYS;
    return -1;
}

__attribute__((weak)) int ti_enter_cgroup(const struct ti_launch *r)
{
    (void)r;
    errno = ENOSYS;
    return -1;
}

__attribute__((weak)) int ti_apply_privileges(const struct ti_launch *r)
{
    if (!r->set_caps && !r->set_securebits && !r->no_new_privs) return 0;
    errno = ENOSYS;
    return -1;
}

/* The program starts with nothing blocked (the console's masks come with ti_apply_console). */
__attribute__((weak)) void ti_child_signal_mask(const struct ti_launch *r)
{
    (void)r;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}
