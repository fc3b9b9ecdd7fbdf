/*
 * Step 10 of a launch (semantics.md §9.6, service-files.md §6.26): the child moves itself into
 * an existing cgroup v2 by writing "0" (the writer) to its cgroup.procs. The manager resolved
 * the directory beforehand; nothing is created here. Runs in the child: raw system calls only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "steps.h"

int ti_enter_cgroup(const struct ti_launch *r)
{
    if (r->cgroup_dir == NULL) return 0;
    int dir = open(r->cgroup_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return -1;
    int procs = openat(dir, "cgroup.procs", O_WRONLY | O_CLOEXEC);
    if (procs < 0) return -1;   /* dir is close-on-exec: exec or _exit closes it */
    if (write(procs, "0", 1) != 1) {
        if (errno == 0) errno = EIO;
        return -1;
    }
    close(procs);
    close(dir);
    return 0;
}
