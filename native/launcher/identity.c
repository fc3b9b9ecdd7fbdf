/* Step 11 of the child: supplementary groups, gid, uid (run-as). */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <unistd.h>

#include "steps.h"

/*
 * Raw system calls, not glibc's setgroups/setresgid/setresuid: in a process with threads glibc
 * makes every thread change ids together, signalling the threads it knows of - which, in
 * this child sharing the manager's memory, are the manager's threads. The kernel call changes
 * this process only. The group list was read from the group database by the parent.
 */
int ti_apply_identity(const struct ti_launch *r)
{
    if (syscall(SYS_setgroups, (long)r->group_count, r->groups) != 0) return -1;
    if (syscall(SYS_setresgid, (long)r->gid, (long)r->gid, (long)r->gid) != 0) return -1;
    if (syscall(SYS_setresuid, (long)r->uid, (long)r->uid, (long)r->uid) != 0) return -1;
    return 0;
}
