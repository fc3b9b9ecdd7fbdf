/*
 * The parent side of a launch (launch.h). Overview:
 * - The child is cloned with CLONE_VM|CLONE_VFORK onto a stack of its own: no copy of the
 *   manager's memory (its heap is large), and this thread waits until the child has exec'ed
 *   or _exit'ed - so the outcome is known when clone returns, as with posix_spawn.
 * - All signals are blocked around clone: no handler may run in the child on shared memory,
 *   and the child resets every disposition before unblocking at step 13.
 * - The child reports a failure on a close-on-exec pipe ({stage, errno}; EOF means exec
 *   succeeded) and _exits; it is reaped here at once, so its exit never reaches the manager's
 *   SIGCHLD handling as a service's. A pipe rather than shared memory: where CLONE_VFORK is
 *   emulated as a plain fork (qemu-user), the report still arrives and this thread still waits
 *   for the exec.
 * - Everything that allocates happens here, before clone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "steps.h"

/* Deep enough for the PATH search buffer and libc's calls; the pages are touched only as used. */
#define CHILD_STACK_SIZE (256 * 1024)
#define LISTEN_PID_ENTRY_SIZE 32

/* A copy of envp without LISTEN_PID and with a slot for ours; NULL when out of memory. */
static const char **environment_with_listen_pid(const char *const *envp, char *entry)
{
    size_t count = 0;
    while (envp[count] != NULL) count++;
    const char **copy = malloc((count + 2) * sizeof *copy);
    if (copy == NULL) return NULL;
    size_t kept = 0;
    for (size_t i = 0; i < count; i++)
        if (strncmp(envp[i], "LISTEN_PID=", 11) != 0) copy[kept++] = envp[i];
    copy[kept++] = entry;
    copy[kept] = NULL;
    return copy;
}

static int failed(int32_t *stage, int32_t *pid, int32_t which, int error)
{
    *stage = which;
    *pid = 0;
    return error;
}

/* Clones the child and waits for its exec or its report; report[1] is closed here. */
static int clone_child(struct ti_child *child, void *stack, int report[2], int32_t *pid, int32_t *stage)
{
    child->report_fd = report[1];
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    /* The stack grows down on x86_64 and aarch64: start at its (16-byte aligned) top. */
    int child_pid = clone(ti_child_main, (char *)stack + CHILD_STACK_SIZE, CLONE_VM | CLONE_VFORK | SIGCHLD, child);
    int clone_errno = errno;
    close(report[1]);
    report[1] = -1;
    int result = 0;
    if (child_pid < 0) {
        result = failed(stage, pid, TI_STAGE_DO_EXEC, clone_errno);
    } else {
        struct ti_failure failure;
        ssize_t got;
        while ((got = read(report[0], &failure, sizeof failure)) < 0 && errno == EINTR) { }
        if (got == (ssize_t)sizeof failure) {
            int status;
            while (waitpid(child_pid, &status, 0) < 0 && errno == EINTR) { }
            result = failed(stage, pid, failure.stage, failure.error);
        } else {
            *pid = child_pid;
        }
    }
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    return result;
}

int ti_launch_spawn(const struct ti_launch *request, int32_t *pid, int32_t *stage)
{
    *pid = 0;
    *stage = TI_STAGE_ARRANGE_FDS;
    if (request->argv == NULL || request->argv[0] == NULL) return failed(stage, pid, TI_STAGE_DO_EXEC, ENOENT);

    static const char *const no_environment[] = {NULL};
    struct ti_child child = {
        .request = request,
        .envp = request->envp != NULL ? request->envp : no_environment,
        .report_fd = -1,
    };
    char listen_pid_entry[LISTEN_PID_ENTRY_SIZE];
    const char **own_environment = NULL;
    if (request->set_listen_pid) {
        own_environment = environment_with_listen_pid(child.envp, listen_pid_entry);
        if (own_environment == NULL) return failed(stage, pid, TI_STAGE_SETUP_ACTIVATION_SOCKET, ENOMEM);
        child.envp = own_environment;
        child.listen_pid_entry = listen_pid_entry;
    }
    int32_t moved_fds_small[8];
    child.moved_fds = request->fd_map_count <= 8 ? moved_fds_small : malloc((size_t)request->fd_map_count * sizeof(int32_t));
    int report[2] = {-1, -1};
    void *stack = MAP_FAILED;
    int error = 0;
    if (child.moved_fds == NULL) error = ENOMEM;
    else if (pipe2(report, O_CLOEXEC) != 0) error = errno;
    else if ((stack = mmap(NULL, CHILD_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0)) == MAP_FAILED) error = errno;
    int result = error != 0 ? failed(stage, pid, TI_STAGE_ARRANGE_FDS, error) : clone_child(&child, stack, report, pid, stage);

    if (stack != MAP_FAILED) munmap(stack, CHILD_STACK_SIZE);
    if (report[0] >= 0) close(report[0]);
    if (report[1] >= 0) close(report[1]);
    if (child.moved_fds != moved_fds_small) free(child.moved_fds);
    free(own_environment);
    return result;
}

int ti_launch_size(void) { return (int)sizeof(struct ti_launch); }
