/*
 * Step 7 of a launch for a service on the console (semantics.md §9.6, §14): fds 0-2 become the
 * terminal (the manager's own 0-2 are inherited as they are when console_fd is one of them). A terminal that is nobody's controlling terminal becomes the child's (in a
 * session of its own), so a shell on the console gets job control and ^C; the child leads a
 * process group of its own and, with exclusive use, that group becomes the foreground one.
 * Like the reference, a terminal that cannot be taken does not fail the launch: the service
 * still has its console for input and output. All signals are blocked here (step 1), so
 * tcsetpgrp from the background does not stop the child with SIGTTOU.
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "steps.h"

int ti_apply_console(const struct ti_launch *r)
{
    if (r->console_fd < 0) return 0;
    for (int fd = STDIN_FILENO; r->console_fd > STDERR_FILENO && fd <= STDERR_FILENO; fd++)
        if (dup2(r->console_fd, fd) < 0) return -1;
    if (tcgetsid(STDIN_FILENO) < 0 && setsid() >= 0)
        (void)ioctl(STDIN_FILENO, TIOCSCTTY, 0);
    (void)setpgid(0, 0);
    if (r->console_foreground) (void)tcsetpgrp(STDIN_FILENO, getpgrp());
    return 0;
}
