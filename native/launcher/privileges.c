/*
 * Step 12 of a launch (semantics.md §9.6): capabilities as libcap's cap_iab_set_proc applies an
 * IAB (the inheritable set replaced, the ambient set cleared then raised), securebits and
 * no-new-privs; and, before step 11, keep-caps so that the uid change leaves the permitted set
 * (which ambient raising needs) in place. Runs in the child: raw system calls only.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "steps.h"

#define CAP_WORDS 2 /* _LINUX_CAPABILITY_U32S_3 */

static int capabilities_get(struct __user_cap_data_struct data[CAP_WORDS])
{
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    return syscall(SYS_capget, &header, data) == 0 ? 0 : -1;
}

static int capabilities_set(struct __user_cap_data_struct data[CAP_WORDS])
{
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    return syscall(SYS_capset, &header, data) == 0 ? 0 : -1;
}

static int wants_capability_changes(const struct ti_launch *r)
{
    return r->set_caps || r->set_securebits;
}

int ti_keep_caps_across_uid_change(const struct ti_launch *r)
{
    if (!r->set_ids || !wants_capability_changes(r)) return 0;
    return prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) == 0 ? 0 : -1;
}

/*
 * The uid change cleared the effective set (keep-caps keeps only the permitted one), and the
 * steps below need CAP_SETPCAP effective: raise the effective set back to the permitted one.
 * exec recomputes every set, so nothing of this outlives the launch but the ambient and
 * inheritable sets asked for.
 */
static int set_inheritable_and_effective(const struct ti_launch *r)
{
    struct __user_cap_data_struct data[CAP_WORDS];
    if (capabilities_get(data) != 0) return -1;
    for (int i = 0; i < CAP_WORDS; i++) {
        data[i].effective = data[i].permitted;
        if (r->set_caps) data[i].inheritable = (uint32_t)(r->cap_inheritable >> (32 * i));
    }
    return capabilities_set(data);
}

static int set_ambient(uint64_t ambient)
{
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0L, 0L, 0L) != 0) return -1;
    for (unsigned long cap = 0; cap < 64; cap++)
        if ((ambient >> cap) & 1)
            if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0L, 0L) != 0) return -1;
    return 0;
}

static int drop_from_bounding_set(uint64_t drop)
{
    for (unsigned long cap = 0; cap < 64; cap++)
        if ((drop >> cap) & 1)
            if (prctl(PR_CAPBSET_DROP, cap, 0L, 0L, 0L) != 0) return -1;
    return 0;
}

int ti_apply_privileges(const struct ti_launch *r)
{
    if (wants_capability_changes(r) && set_inheritable_and_effective(r) != 0) return -1;
    if (r->set_caps && (set_ambient(r->cap_ambient) != 0 || drop_from_bounding_set(r->cap_bounding_drop) != 0)) return -1;
    if (r->set_securebits && prctl(PR_SET_SECUREBITS, (unsigned long)r->securebits, 0L, 0L, 0L) != 0) return -1;
    if (r->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) != 0) return -1;
    return 0;
}
