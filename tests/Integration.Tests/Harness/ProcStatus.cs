namespace Tinyinit.Integration.Tests.Harness;

/// <summary>What /proc says a process got: fields of /proc/PID/status and /proc/PID/stat.</summary>
public static class ProcStatus
{
    /// <summary>The value of one <c>Name:\tvalue</c> line of /proc/PID/status.</summary>
    public static string Field(int pid, string name) =>
        File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();

    /// <summary>A hexadecimal mask line of /proc/PID/status (CapInh, CapAmb, SigBlk...).</summary>
    public static ulong Mask(int pid, string name) => Convert.ToUInt64(Field(pid, name), 16);

    /// <summary>Process group, session, controlling terminal and that terminal's foreground group (/proc/PID/stat).</summary>
    public static (int ProcessGroup, int Session, long Terminal, int ForegroundGroup) Terminal(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ": state ppid pgrp session tty_nr tpgid
        return (int.Parse(fields[2]), int.Parse(fields[3]), long.Parse(fields[4]), int.Parse(fields[5]));
    }

    /// <summary>The one child of <paramref name="parentPid"/> whose command line contains <paramref name="text"/>, once it exists.</summary>
    public static int ChildRunning(int parentPid, string text)
    {
        ProcInfo? found = null;
        Poll.Until(() => (found = ProcessTable.Snapshot().FirstOrDefault(p => p.HostParentPid == parentPid && p.CommandLine.Contains(text))) != null);
        Assert.That(found, Is.Not.Null, $"no child of {parentPid} running '{text}'");
        return found!.HostPid;
    }
}
