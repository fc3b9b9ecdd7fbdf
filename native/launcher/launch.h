/*
 * tinyinit's service launcher: the child-side steps of a launch (semantics.md §9.6) that
 * managed code cannot run between fork and exec. The manager fills one ti_launch and calls
 * ti_launch_spawn; the child applies the settings in the spec's order and execs, or reports
 * the failed stage and errno (control-protocol.md §2.6 numbering, protocol/Control/ExecStage.cs)
 * before exec returns to the parent: the outcome is known synchronously, like posix_spawn's.
 *
 * Interface contract shared by the launcher's C files and the C# side (manager/Daemon/Os):
 * every field has a "leave as is" value, so a request with only path/argv/envp set behaves
 * like the plain posix_spawn launch it replaces. Layout is plain C on LP64 (x86_64, aarch64).
 */
#ifndef TINYINIT_LAUNCH_H
#define TINYINIT_LAUNCH_H

#include <stdint.h>

/* The launcher's entry points; everything else stays inside the library. */
#define TI_EXPORT __attribute__((visibility("default")))

/* Stages: the numbers of protocol/Control/ExecStage.cs. */
enum ti_stage {
    TI_STAGE_ARRANGE_FDS = 0,
    TI_STAGE_READ_ENV_FILE = 1,
    TI_STAGE_SET_NOTIFY_FD_VAR = 2,
    TI_STAGE_SETUP_ACTIVATION_SOCKET = 3,
    TI_STAGE_SETUP_CONTROL_SOCKET = 4,
    TI_STAGE_CHANGE_DIRECTORY = 5,
    TI_STAGE_SETUP_STDINOUTERR = 6,
    TI_STAGE_ENTER_CGROUP = 7,
    TI_STAGE_SET_RLIMITS = 8,
    TI_STAGE_SET_UIDGID = 9,
    TI_STAGE_OPEN_LOG_FILE = 10,
    TI_STAGE_SET_CAPS = 11,
    TI_STAGE_SET_PRIO = 12,
    TI_STAGE_DO_EXEC = 18,
};

#define TI_RLIM_KEEP UINT64_MAX         /* this half of the limit keeps its current value */
#define TI_RLIM_INFINITY (UINT64_MAX - 1)

struct ti_rlimit {
    int32_t resource;                   /* RLIMIT_NOFILE, RLIMIT_CORE, RLIMIT_DATA, RLIMIT_AS */
    int32_t pad;
    uint64_t soft, hard;                /* TI_RLIM_KEEP / TI_RLIM_INFINITY or a value */
};

struct ti_launch {
    /* What to run. argv[0] is searched in PATH as execvp does; envp is the whole environment. */
    const char *const *argv;
    const char *const *envp;
    const char *working_dir;            /* NULL: stay in the manager's directory */

    /* Descriptors: (source, target) pairs applied in order; every other fd above 2 is closed. */
    const int32_t *fd_map;              /* 2 * fd_map_count ints */
    int32_t fd_map_count;

    int32_t new_session;                /* setsid(): its own session and process group */
    int32_t set_listen_pid;             /* append LISTEN_PID=<child pid> to the environment */

    /* Console (runs-on-console / starts-on-console / shares-console): -1 = not on a console. */
    int32_t console_fd;                 /* the terminal, dup'ed to 0-2 in the child */
    int32_t console_foreground;         /* exclusive: make the child the terminal's foreground group */
    int32_t unmask_intr;                /* leave SIGINT unmasked on the console */

    /* Limits and priorities (step 8-9). */
    const struct ti_rlimit *rlimits;
    int32_t rlimit_count;
    int32_t set_nice, nice;
    int32_t set_ioprio, ioprio;         /* ioprio_set value (class << 13 | data) */
    int32_t set_oom_score_adj, oom_score_adj;

    /* cgroup v2 (step 10): absolute directory; the child writes itself to cgroup.procs. NULL: none. */
    const char *cgroup_dir;

    /* Identity (step 11): groups first, then gid, then uid. */
    int32_t set_ids;
    uint32_t uid, gid;
    const uint32_t *groups;
    int32_t group_count;

    /* Privileges (step 12). */
    int32_t set_caps;                   /* capabilities setting given: inheritable + ambient */
    uint64_t cap_inheritable, cap_ambient;
    int32_t set_securebits;
    uint32_t securebits;
    int32_t no_new_privs;
    int32_t pad2;
    uint64_t cap_bounding_drop;         /* capabilities `!cap` entries: dropped from the bounding set */
};

/*
 * Starts the process. Returns 0 with the child's pid in *pid once exec has succeeded.
 * Otherwise returns the errno and sets *stage to the step that failed; a child that failed
 * has already been reaped here (as glibc's posix_spawn does), so *pid is 0 and no exit of it
 * reaches the caller's SIGCHLD handling.
 */
TI_EXPORT int ti_launch_spawn(const struct ti_launch *request, int32_t *pid, int32_t *stage);

/* sizeof(struct ti_launch): the C# declaration (native/Launcher.cs) is tested against it. */
TI_EXPORT int ti_launch_size(void);

#endif
