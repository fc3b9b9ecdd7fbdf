using System.Buffers.Binary;
using Tinyinit.Native;

namespace Tinyinit.Daemon.Os;

/// <summary>
/// The console's foreground process group while services borrow the console (semantics.md
/// §14). A service with exclusive use makes its own group the foreground one as it starts
/// (in the child, step 7); when the manager gets the console back it hands the foreground back
/// to the group that had it before the first service took it (a shell that started the
/// manager in the background keeps its terminal), or else to the manager's own group.
/// The console is the manager's standard input. That group outlives a hand-over or crash of the
/// manager in the record's section <see cref="SectionName"/> (protocol/InitLink/README.md).
/// </summary>
internal sealed class ConsoleForeground
{
    private const int Console = 0;
    public const string SectionName = "console";

    /// <summary>The group to hand back to, 0 while the manager holds the console.</summary>
    private int _previous;

    /// <summary>The console is lent to a service: remember who is in the foreground now.</summary>
    public void Lend()
    {
        if (_previous != 0) return;
        var group = Libc.tcgetpgrp(Console);
        _previous = group > 0 ? group : -1;
    }

    /// <summary>The manager has the console again: the foreground goes back.</summary>
    public void HandBack()
    {
        if (_previous == 0) return;
        var previous = _previous;
        _previous = 0;
        if (previous < 0) return;   // the console was nobody's terminal to begin with
        if (Libc.tcgetpgrp(Console) == previous) return;
        if (!SetForeground(previous)) SetForeground(Libc.getpgid(0));
    }

    /// <summary>The record section: the group to hand back to as i32 little-endian (-1: none); null while the manager holds the console.</summary>
    public byte[]? Section()
    {
        if (_previous == 0) return null;
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(payload, _previous);
        return payload;
    }

    /// <summary>
    /// A successor manager: the group its predecessor would have handed back to. A service holding
    /// the console without the section (a predecessor that did not write it) gives it back to this
    /// manager's group.
    /// </summary>
    public void Restore(byte[]? section, bool lentToAService)
    {
        if (section is { Length: 4 }) _previous = BinaryPrimitives.ReadInt32LittleEndian(section);
        else if (lentToAService) _previous = Libc.getpgid(0);
    }

    /// <summary>tcsetpgrp from a background group raises SIGTTOU, which would stop the manager: blocked around the call.</summary>
    private static unsafe bool SetForeground(int group)
    {
        var ttou = new SigSet();
        ttou.Add(Libc.SIGTTOU);
        SigSet old;
        Libc.sigprocmask(Libc.SIG_BLOCK, &ttou, &old);
        var ok = Libc.tcsetpgrp(Console, group) == 0;
        Libc.sigprocmask(Libc.SIG_SETMASK, &old, null);
        return ok;
    }
}
