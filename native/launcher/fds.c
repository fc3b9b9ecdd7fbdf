/* Step 1 of the child: signal dispositions and descriptors. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "steps.h"

#ifndef SYS_close_range
#define SYS_close_range 436             /* the same number on every architecture */
#endif

/* glibc's own signals (cancellation, set*id broadcast) cannot be set through sigaction. */
#define FIRST_GLIBC_SIGNAL 32
#define LAST_GLIBC_SIGNAL 33

/*
 * Handlers of the manager must not run in the child (they would run on shared memory), and
 * ignored signals would stay ignored across exec (NativeAOT ignores SIGPIPE).
 */
void ti_reset_signal_dispositions(void)
{
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; s++) {
        if (s == SIGKILL || s == SIGSTOP || (s >= FIRST_GLIBC_SIGNAL && s <= LAST_GLIBC_SIGNAL)) continue;
        sigaction(s, &dfl, NULL);
    }
}

static int is_target(const struct ti_launch *r, int fd)
{
    for (int i = 0; i < r->fd_map_count; i++)
        if (r->fd_map[2 * i + 1] == fd) return 1;
    return 0;
}

/* Closes every descriptor from lowest to highest (inclusive). */
static void close_range_of(int lowest, unsigned highest)
{
    if ((unsigned)lowest > highest) return;
    if (syscall(SYS_close_range, (unsigned)lowest, highest, 0u) == 0) return;
    /* Kernels before 5.9: every possible number up to the descriptor limit. */
    struct rlimit limit;
    unsigned last = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < (1u << 20) ? (unsigned)limit.rlim_cur : 1u << 16;
    if (highest < last) last = highest;
    for (unsigned fd = (unsigned)lowest; fd <= last; fd++) close((int)fd);
}

/*
 * A source may be another pair's target (readiness at pipefd:1 over stdout, a mapping onto
 * itself): every source that a dup2 could overwrite is first moved above all targets, then the
 * pairs are applied in order (dup2 also clears close-on-exec). Descriptors above 2 that are not
 * targets are closed: not all of the manager's descriptors are close-on-exec. The report pipe
 * stays open (it is close-on-exec) after moving out of the targets' way.
 */
int ti_arrange_fds(const struct ti_launch *r, int32_t *moved, int *report_fd)
{
    int highest_target = 2;
    for (int i = 0; i < r->fd_map_count; i++)
        if (r->fd_map[2 * i + 1] > highest_target) highest_target = r->fd_map[2 * i + 1];
    if (*report_fd <= highest_target) {
        int report = fcntl(*report_fd, F_DUPFD_CLOEXEC, highest_target + 1);
        if (report < 0) return -1;
        *report_fd = report;
    }

    for (int i = 0; i < r->fd_map_count; i++) {
        int source = r->fd_map[2 * i];
        moved[i] = source;
        if (source <= highest_target) {
            moved[i] = fcntl(source, F_DUPFD_CLOEXEC, highest_target + 1);
            if (moved[i] < 0) return -1;
        }
    }
    for (int i = 0; i < r->fd_map_count; i++)
        if (dup2(moved[i], r->fd_map[2 * i + 1]) < 0) return -1;

    for (int fd = 3; fd <= highest_target; fd++)
        if (!is_target(r, fd)) close(fd);
    close_range_of(highest_target + 1, (unsigned)*report_fd - 1);
    close_range_of(*report_fd + 1, ~0u);
    return 0;
}
