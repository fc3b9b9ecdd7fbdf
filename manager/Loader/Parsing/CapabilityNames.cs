namespace Tinyinit.Loader;

/// <summary>
/// Validation of libcap IAB text (<c>capabilities</c>, service-files.md §6.27): comma-separated
/// entries, each an optional <c>!</c> (bounding drop), <c>^</c> (ambient+inheritable) or
/// <c>%</c> (inheritable) prefix and a capability name (<c>cap_…</c>, any case) or number.
/// </summary>
internal static class CapabilityNames
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "cap_chown", "cap_dac_override", "cap_dac_read_search", "cap_fowner", "cap_fsetid", "cap_kill",
        "cap_setgid", "cap_setuid", "cap_setpcap", "cap_linux_immutable", "cap_net_bind_service",
        "cap_net_broadcast", "cap_net_admin", "cap_net_raw", "cap_ipc_lock", "cap_ipc_owner",
        "cap_sys_module", "cap_sys_rawio", "cap_sys_chroot", "cap_sys_ptrace", "cap_sys_pacct",
        "cap_sys_admin", "cap_sys_boot", "cap_sys_nice", "cap_sys_resource", "cap_sys_time",
        "cap_sys_tty_config", "cap_mknod", "cap_lease", "cap_audit_write", "cap_audit_control",
        "cap_setfcap", "cap_mac_override", "cap_mac_admin", "cap_syslog", "cap_wake_alarm",
        "cap_block_suspend", "cap_audit_read", "cap_perfmon", "cap_bpf", "cap_checkpoint_restore",
    };

    public const int LastCapability = 40;

    public static bool IsValidIab(string text)
    {
        if (text.Length == 0) return true;
        foreach (var raw in text.Split(','))
        {
            var entry = raw;
            while (entry.Length > 0 && entry[0] is '!' or '^' or '%') entry = entry[1..];
            if (entry.Length == 0) return false;
            if (Names.Contains(entry)) continue;
            if (entry.All(char.IsAsciiDigit) && entry.Length <= 3 && int.Parse(entry) <= 63) continue;
            return false;
        }
        return true;
    }
}
