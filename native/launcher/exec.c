/* Step 14 of the child: exec, with execvp's PATH search over the service's own environment. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "steps.h"

/* glibc's execvp default when PATH is unset. */
static const char default_path[] = "/bin:/usr/bin";

static const char *path_of(const char *const *envp)
{
    for (const char *const *e = envp; *e != NULL; e++)
        if (strncmp(*e, "PATH=", 5) == 0) return *e + 5;
    return default_path;
}

/*
 * The reference sets environ to the built environment and calls execvp, so PATH comes from
 * the service's environment. Like execvp: an empty PATH element is the current directory,
 * EACCES is remembered while other elements are tried, and an error other than "not found
 * here" ends the search.
 */
int ti_exec(const char *const *argv, const char *const *envp)
{
    const char *file = argv[0];
    if (file == NULL || *file == 0) {
        errno = ENOENT;
        return -1;
    }
    if (strchr(file, '/') != NULL) {
        execve(file, (char *const *)argv, (char *const *)envp);
        return -1;
    }
    size_t file_length = strlen(file);
    if (file_length >= NAME_MAX + 1) {
        errno = ENAMETOOLONG;
        return -1;
    }
    char candidate[PATH_MAX];
    int denied = 0;
    const char *element = path_of(envp);
    for (;;) {
        const char *end = strchrnul(element, ':');
        size_t length = (size_t)(end - element);
        if (length + 1 + file_length < sizeof candidate) {
            memcpy(candidate, length == 0 ? "." : element, length == 0 ? 1 : length);
            if (length == 0) length = 1;
            candidate[length] = '/';
            memcpy(candidate + length + 1, file, file_length + 1);
            execve(candidate, (char *const *)argv, (char *const *)envp);
            switch (errno) {
            case EACCES: denied = 1; break;
            case ENOENT: case ENOTDIR: case ESTALE: case ENODEV: case ETIMEDOUT: case ELOOP: case ENAMETOOLONG: break;
            default: return -1;
            }
        }
        if (*end == 0) break;
        element = end + 1;
    }
    errno = denied ? EACCES : ENOENT;
    return -1;
}
