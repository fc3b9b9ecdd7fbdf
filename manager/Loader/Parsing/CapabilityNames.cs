namespace Tinyinit.Loader;

/// <summary>
/// libcap IAB text (<c>capabilities</c>, service-files.md §6.27), read as libcap's
/// cap_iab_from_text reads it: comma-separated entries, each a run of prefixes and a capability
/// name (<c>cap_…</c>, any case) or number. No prefix or <c>%</c>: inheritable; <c>^</c>:
/// ambient and inheritable; <c>!</c>: dropped from the bounding set. A single trailing comma is
/// accepted, as libcap does.
/// </summary>
internal static class CapabilityNames
{
    /// <summary>Names in capability-number order (linux/capability.h).</summary>
    private static readonly string[] ByNumber =
    [
        "cap_chown", "cap_dac_override", "cap_dac_read_search", "cap_fowner", "cap_fsetid", "cap_kill",
        "cap_setgid", "cap_setuid", "cap_setpcap", "cap_linux_immutable", "cap_net_bind_service",
        "cap_net_broadcast", "cap_net_admin", "cap_net_raw", "cap_ipc_lock", "cap_ipc_owner",
        "cap_sys_module", "cap_sys_rawio", "cap_sys_chroot", "cap_sys_ptrace", "cap_sys_pacct",
        "cap_sys_admin", "cap_sys_boot", "cap_sys_nice", "cap_sys_resource", "cap_sys_time",
        "cap_sys_tty_config", "cap_mknod", "cap_lease", "cap_audit_write", "cap_audit_control",
        "cap_setfcap", "cap_mac_override", "cap_mac_admin", "cap_syslog", "cap_wake_alarm",
        "cap_block_suspend", "cap_audit_read", "cap_perfmon", "cap_bpf", "cap_checkpoint_restore",
    ];

    private static readonly Dictionary<string, int> Numbers = ByNumber
        .Select((name, number) => (name, number))
        .ToDictionary(p => p.name, p => p.number, StringComparer.OrdinalIgnoreCase);

    public const int LastCapability = 40;

    /// <summary>Highest number accepted in numeric form: the width of the kernel's sets.</summary>
    private const int HighestNumber = 63;

    public static bool IsValidIab(string text) => Parse(text) != null;

    public static CapabilitySets? Parse(string text)
    {
        if (text.Length == 0) return default(CapabilitySets);
        var entries = text.Split(',');
        if (entries.Length > 1 && entries[^1].Length == 0) entries = entries[..^1];
        ulong inheritable = 0, ambient = 0, boundingDrop = 0;
        foreach (var raw in entries)
        {
            var entry = raw.AsSpan();
            bool inh = false, amb = false, drop = false;
            for (; entry.Length > 0 && entry[0] is '!' or '^' or '%'; entry = entry[1..])
            {
                if (entry[0] == '!') drop = true;
                else if (entry[0] == '^') amb = inh = true;
                else inh = true;
            }
            if (!inh && !amb && !drop) inh = true;
            if (Number(entry) is not { } number) return null;
            var bit = 1UL << number;
            if (inh) inheritable |= bit;
            if (amb) ambient |= bit;
            if (drop) boundingDrop |= bit;
        }
        return new CapabilitySets(inheritable, ambient, boundingDrop);
    }

    private static int? Number(ReadOnlySpan<char> name)
    {
        if (name.Length == 0) return null;
        if (Numbers.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var known)) return known;
        if (name.Length <= 3 && int.TryParse(name, System.Globalization.NumberStyles.None, null, out var n) && n <= HighestNumber) return n;
        return null;
    }
}
