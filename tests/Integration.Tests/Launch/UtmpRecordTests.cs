using System.Buffers.Binary;
using System.Text;
using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.Launch;

/// <summary>
/// <c>inittab-id</c> / <c>inittab-line</c> (issue 12, semantics.md §17.9): the manager writes an
/// INIT_PROCESS utmp entry for the launched process and turns it into DEAD_PROCESS when the
/// process exits; each is appended to wtmp. A starts-rwfs service's start writes the boot record. Runs under tinyinit in a PID and mount namespace,
/// where a first service puts the test's own files in place of /run/utmp and /var/log/wtmp.
/// </summary>
[TestFixture, NonParallelizable]
public class UtmpRecordTests
{
    private const int RecordSize = 384;
    private const short BootTime = 2, UserProcess = 7, InitProcess = 5, DeadProcess = 8;

    private sealed record Entry(short Type, int Pid, string Line, string Id);

    [Test]
    public void TheProcessGetsAnInitProcessEntryThatBecomesDeadProcessWhenItExits()
    {
        if (!File.Exists("/var/log/wtmp")) Assert.Ignore("no /var/log/wtmp to stand in for here");
        var work = System.IO.Directory.CreateTempSubdirectory("tinyinit-utmp.").FullName;
        var utmp = Path.Combine(work, "utmp");
        var wtmp = Path.Combine(work, "wtmp");
        File.WriteAllBytes(utmp, Record(UserProcess, 4242, "pts/7", "ts/7"));   // a login left from "the previous boot"
        File.WriteAllBytes(wtmp, []);
        using var init = NamespacedInit.Boot(new Dictionary<string, string>
        {
            ["boot"] = "type = internal\ndepends-on: rootrw\n",
            ["rootrw"] = "type = scripted\ncommand = /bin/true\noptions: starts-rwfs\ndepends-on: login-files\n",
            ["login-files"] = "type = scripted\ncommand = /bin/sh -c \"mount -t tmpfs tmpfs /run && touch /run/utmp && " +
                              $"mount --bind {utmp} /run/utmp && mount --bind {wtmp} /var/log/wtmp\"\n",
            ["getty"] = "type = process\ninittab-id = t9\ninittab-line = tty9\ncommand = /bin/sleep 3021\n",
        });
        Assert.That(Poll.Until(() => init.Ctl("is-started", "boot").ExitCode == 0), init.Output);
        Assert.That(init.Ctl("start", "getty").ExitCode, Is.EqualTo(0), init.Output);
        var pid = init.Processes().First(p => p.CommandLine == "/bin/sleep 3021").InnerPid;

        var boot = new Entry(BootTime, 0, "~", "~~");
        Assert.That(Entries(utmp), Is.EqualTo(new[] { boot, new Entry(InitProcess, pid, "tty9", "t9") }),
            "the starts-rwfs service emptied utmp and wrote the boot record; the launch added its entry\n" + init.Output);
        Assert.That(init.Ctl("stop", "getty").ExitCode, Is.EqualTo(0), init.Output);
        Assert.That(Poll.Until(() => Entries(utmp).SequenceEqual([boot, new Entry(DeadProcess, pid, "tty9", "t9")])),
            string.Join("\n", Entries(utmp)) + init.Output);
        Assert.That(Entries(wtmp), Is.EqualTo(new[] { boot, new Entry(InitProcess, pid, "tty9", "t9"), new Entry(DeadProcess, pid, "tty9", "t9") }));
    }

    private static byte[] Record(short type, int pid, string line, string id)
    {
        var record = new byte[RecordSize];
        BinaryPrimitives.WriteInt16LittleEndian(record, type);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(4), pid);
        Encoding.UTF8.GetBytes(line).CopyTo(record, 8);
        Encoding.UTF8.GetBytes(id).CopyTo(record, 40);
        return record;
    }

    /// <summary>glibc's struct utmpx records (x86_64/aarch64 layout).</summary>
    private static List<Entry> Entries(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var entries = new List<Entry>();
        for (var at = 0; at + RecordSize <= bytes.Length; at += RecordSize)
        {
            var record = bytes.AsSpan(at, RecordSize);
            entries.Add(new Entry(BinaryPrimitives.ReadInt16LittleEndian(record), BinaryPrimitives.ReadInt32LittleEndian(record[4..]),
                Text(record.Slice(8, 32)), Text(record.Slice(40, 4))));
        }
        return entries;
    }

    private static string Text(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }
}
