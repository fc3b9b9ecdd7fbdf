/* The child of a launch: semantics.md §9.6's steps in the spec's order, then exec. */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>

#include "steps.h"

/* Reports the failed step to the parent and ends; the parent reaps us. */
static __attribute__((noreturn)) void fail(struct ti_child *child, int32_t stage)
{
    struct ti_failure failure = {stage, errno != 0 ? errno : EINVAL};
    while (write(child->report_fd, &failure, sizeof failure) < 0 && errno == EINTR) { }
    _exit(127);
}

int ti_child_main(void *argument)
{
    struct ti_child *child = argument;
    const struct ti_launch *r = child->request;

    /* 1. Signals arrive blocked (the parent blocked them around clone). */
    ti_reset_signal_dispositions();
    if (ti_arrange_fds(r, child->moved_fds, &child->report_fd) != 0) fail(child, TI_STAGE_ARRANGE_FDS);

    /* 2-5. The environment is built by the manager; only the pid is the child's own. */
    if (child->listen_pid_entry != NULL) ti_fill_listen_pid(child->listen_pid_entry);

    /* 6. */
    if (r->working_dir != NULL && chdir(r->working_dir) != 0) fail(child, TI_STAGE_CHANGE_DIRECTORY);

    /* 7. Standard descriptors are fd_map targets (step 1); here the session or the console. */
    if (r->console_fd >= 0) {
        if (ti_apply_console(r) != 0) fail(child, TI_STAGE_SETUP_STDINOUTERR);
    } else if (r->new_session && setsid() < 0) {
        fail(child, TI_STAGE_SETUP_STDINOUTERR);
    }

    /* 8-9. */
    if (ti_apply_rlimits(r) != 0) fail(child, TI_STAGE_SET_RLIMITS);
    if (ti_apply_priorities(r) != 0) fail(child, TI_STAGE_SET_PRIO);

    /* 10. */
    if (r->cgroup_dir != NULL && ti_enter_cgroup(r) != 0) fail(child, TI_STAGE_ENTER_CGROUP);

    /* 11-12. Capabilities after the ids: changing uid from root would clear them (service-files.md §6.27). */
    if (ti_keep_caps_across_uid_change(r) != 0) fail(child, TI_STAGE_SET_CAPS);
    if (r->set_ids && ti_apply_identity(r) != 0) fail(child, TI_STAGE_SET_UIDGID);
    if (ti_apply_privileges(r) != 0) fail(child, TI_STAGE_SET_CAPS);

    /* 13-14. */
    ti_child_signal_mask(r);
    ti_exec(r->argv, child->envp);
    fail(child, TI_STAGE_DO_EXEC);
}

void ti_fill_listen_pid(char *entry)
{
    static const char name[] = "LISTEN_PID=";
    char *p = entry;
    for (const char *n = name; *n != 0; n++) *p++ = *n;
    p = ti_format_int(p, (int32_t)getpid());
    *p = 0;
}

char *ti_format_int(char *out, int32_t value)
{
    char digits[12];
    int count = 0;
    uint32_t magnitude = value < 0 ? 0u - (uint32_t)value : (uint32_t)value;
    do {
        digits[count++] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude != 0);
    if (value < 0) *out++ = '-';
    while (count > 0) *out++ = digits[--count];
    return out;
}
