/* Steps 8 and 9 of the child: resource limits, then nice, I/O priority and OOM score. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "steps.h"

#define IOPRIO_WHO_PROCESS 1

static rlim_t to_rlim(uint64_t value) { return value == TI_RLIM_INFINITY ? RLIM_INFINITY : (rlim_t)value; }

/* service-files.md §6.24: an unspecified half keeps the current value. */
int ti_apply_rlimits(const struct ti_launch *r)
{
    for (int i = 0; i < r->rlimit_count; i++) {
        const struct ti_rlimit *wanted = &r->rlimits[i];
        struct rlimit limit;
        if ((wanted->soft == TI_RLIM_KEEP || wanted->hard == TI_RLIM_KEEP) && getrlimit(wanted->resource, &limit) != 0)
            return -1;
        if (wanted->soft != TI_RLIM_KEEP) limit.rlim_cur = to_rlim(wanted->soft);
        if (wanted->hard != TI_RLIM_KEEP) limit.rlim_max = to_rlim(wanted->hard);
        if (setrlimit(wanted->resource, &limit) != 0) return -1;
    }
    return 0;
}

/* Writes a number to a /proc file; -1 with errno when it cannot be opened or written. */
static int write_number(const char *path, int32_t value)
{
    char text[16];
    char *end = ti_format_int(text, value);
    *end++ = '\n';
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t written = write(fd, text, (size_t)(end - text));
    int saved = errno;
    close(fd);
    errno = saved;
    return written == end - text ? 0 : -1;
}

/*
 * service-files.md §6.25, §6.28, §6.29. The kernel clamps nice to [-20, 19]. The session's
 * autogroup (new since setsid) weighs the whole service against other sessions, so it gets
 * the same nice; that part is best effort, as in the reference.
 */
int ti_apply_priorities(const struct ti_launch *r)
{
    if (r->set_nice) {
        if (setpriority(PRIO_PROCESS, 0, r->nice) != 0) return -1;
        int saved = errno;
        write_number("/proc/self/autogroup", r->nice);
        errno = saved;
    }
    if (r->set_ioprio && syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, r->ioprio) != 0) return -1;
    if (r->set_oom_score_adj && write_number("/proc/self/oom_score_adj", r->oom_score_adj) != 0) return -1;
    return 0;
}
