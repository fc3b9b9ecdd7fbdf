/*
 * The child side of a launch, one function per step of semantics.md §9.6, called in that
 * order by ti_child_main (child.c). Everything here runs in the child of
 * clone(CLONE_VM|CLONE_VFORK): it shares the manager's memory until exec, so only
 * async-signal-safe calls, no allocation, no locks, and raw system calls where glibc would
 * act on the whole (parent's) thread list (set*id: see identity.c).
 *
 * Every step returns 0, or -1 with errno set; ti_child_main reports the step's stage.
 *
 * The console, cgroup, capabilities and final signal mask steps are in console.c, cgroup.c,
 * privileges.c and signal_mask.c.
 */
#ifndef TINYINIT_STEPS_H
#define TINYINIT_STEPS_H

#include "launch.h"

/* What the parent prepared for the child; lives in the parent's memory (shared until exec). */
struct ti_child {
    const struct ti_launch *request;
    const char *const *envp;            /* the request's environment, with LISTEN_PID's slot */
    char *listen_pid_entry;             /* "LISTEN_PID=" followed by room for the pid, or NULL */
    int32_t *moved_fds;                 /* fd_map_count scratch slots */
    int report_fd;                      /* close-on-exec pipe: {stage, errno} on failure, EOF on exec */
};

/* What a failed child writes to report_fd. */
struct ti_failure {
    int32_t stage;
    int32_t error;
};

/* child.c: the whole child, from clone to exec. Never returns. */
int ti_child_main(void *child);

/* Step 1 (fds.c): all signals to default dispositions (they are blocked since clone). */
void ti_reset_signal_dispositions(void);
/* Step 1 (fds.c): every fd_map target in place, every other descriptor above 2 closed but the
   report pipe, which is moved above the targets (*report_fd updated). */
int ti_arrange_fds(const struct ti_launch *request, int32_t *moved_fds, int *report_fd);

/* Step 3 (child.c): LISTEN_PID=<this process> in its slot of the environment. */
void ti_fill_listen_pid(char *entry);

/* Step 8 (limits.c). */
int ti_apply_rlimits(const struct ti_launch *request);
/* Step 9 (limits.c): nice (and the autogroup's), ioprio, oom_score_adj. */
int ti_apply_priorities(const struct ti_launch *request);

/* Step 11 (identity.c): supplementary groups, gid, then uid. */
int ti_apply_identity(const struct ti_launch *request);

/* Step 14 (exec.c): execve, searching PATH of envp (not the manager's) as execvp would. */
int ti_exec(const char *const *argv, const char *const *envp);

/* Decimal text of value at out (room for 12 bytes); returns the end (not terminated). */
char *ti_format_int(char *out, int32_t value);

/* Step 7 on the console (console.c): fds 0-2 the terminal, the terminal as controlling terminal
 * when nobody's, own process group, the terminal's foreground if exclusive. */
int ti_apply_console(const struct ti_launch *request);
/* Step 10 (cgroup.c): write this process into request->cgroup_dir/cgroup.procs (when not NULL). */
int ti_enter_cgroup(const struct ti_launch *request);
/* Just before step 11 (privileges.c): keep the permitted set across the uid change, which
 * would otherwise clear it along with the ambient set step 12 raises. */
int ti_keep_caps_across_uid_change(const struct ti_launch *request);
/* Step 12 (privileges.c): capabilities (inheritable + ambient, bounding drops), securebits, no-new-privs. */
int ti_apply_privileges(const struct ti_launch *request);
/* Step 13 (signal_mask.c): the signal mask the program starts with. */
void ti_child_signal_mask(const struct ti_launch *request);

#endif
