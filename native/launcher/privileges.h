/*
 * The child-side steps of a launch that the `privileges` part of issue 12 owns (semantics.md
 * §9.6 steps 7 on the console, 10, 12 and 13, with the keep-caps step that must come just
 * before step 11's uid change). Each runs in the launched child between clone and exec, so each
 * is async-signal-safe: raw system calls, no allocation, no locks. Each returns 0, or -1 with
 * errno set: the launch fails at the stage the launcher reports for it (launch.h's ti_stage).
 */
#ifndef TINYINIT_PRIVILEGES_H
#define TINYINIT_PRIVILEGES_H

#include "launch.h"

/* Step 7 on the console (TI_STAGE_SETUP_STDINOUTERR): fds 0-2 already are the terminal. Takes
 * the terminal as controlling terminal when no session has it, gives the child a process group
 * of its own and, when exclusive, makes that group the terminal's foreground. */
int ti_apply_console(const struct ti_launch *request);

/* Step 10 (TI_STAGE_ENTER_CGROUP): writes the child into request->cgroup_dir/cgroup.procs. */
int ti_enter_cgroup(const struct ti_launch *request);

/* Just before step 11 (TI_STAGE_SET_CAPS): the uid change would clear the permitted and ambient
 * sets that step 12 needs, unless the process keeps its capabilities across it. */
int ti_keep_caps_across_uid_change(const struct ti_launch *request);

/* Step 12 (TI_STAGE_SET_CAPS): inheritable + ambient capabilities, securebits, no-new-privs. */
int ti_apply_privileges(const struct ti_launch *request);

/* Step 13: the mask the program starts with (nothing blocked, or the console's set). */
void ti_child_signal_mask(const struct ti_launch *request);

#endif
