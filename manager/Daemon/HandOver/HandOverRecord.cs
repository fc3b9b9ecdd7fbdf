using System.Text;

namespace Tinyinit.Daemon.HandOver;

/// <summary>
/// What a manager passes to its successor across a planned re-exec (<c>restart-manager</c>):
/// the engine's snapshot (manager/Engine/Snapshot.md) plus the daemon's own state the engine
/// does not hold. Descriptors are passed by number: they survive exec because the predecessor
/// cleared their close-on-exec flag.
///
/// Written and read by the same build in the common case, but <c>--exec</c> may hand over to
/// another build: the version lets a successor refuse a record it cannot read instead of
/// misreading it (it then starts afresh, see ServiceManager). Version 2 added the parked
/// descriptors' keys (the next key, the live keys, each readiness pipe's key); version 3 the
/// manager generation and each supervised process's start time; version 4 named sections, so
/// that a feature adds its own state (its section) without a new version, and a reader skips
/// the sections it does not know. Older records still read, with what they lack absent
/// (nothing parked, generation 0, no start times, no sections).
///
/// The same record, with every descriptor number -1, is the crash record a manager keeps in
/// tinyinit's state memfd (CrashRecordLayout) for a successor started after <c>kill -9</c>.
/// </summary>
internal sealed class HandOverRecord
{
    private const uint Magic = 0x4f484954; // "TIHO"
    private const int Version = 4;
    private const int OldestReadable = 1;

    public byte[] EngineSnapshot = [];
    public int ListenerFd = -1;
    public string SocketPath = "";
    public int LinkFd = -1;
    public int StateFd = -1;
    public bool AllStoppedPending;
    public bool BootFailureHandled;
    public List<KeyValuePair<string, string>> Environment = [];
    public List<(string Service, int Fd, bool Reported, int ParkKey)> ReadinessPipes = [];
    public List<(int Pid, int WaitStatus)> UnownedExits = [];
    public int NextParkKey = 1;
    public List<int> ParkKeys = [];
    /// <summary>Manager images that have run, this one included (1 for the first).</summary>
    public long ManagerGeneration;
    /// <summary>Field 22 of /proc/PID/stat for each supervised pid: tells the same process from a reused pid.</summary>
    public List<(int Pid, long StartTicks)> ProcessStarts = [];
    /// <summary>
    /// A feature's own state by section name (each name owned by one feature; payload format
    /// that feature's). A successor ignores a name it does not know, so a section is absent
    /// rather than misread when an older build takes over.
    /// </summary>
    public Dictionary<string, byte[]> Sections = new(StringComparer.Ordinal);

    public byte[] Encode() => Encode(Version);

    /// <summary>Writes the record in <paramref name="version"/>'s format (an older one for compatibility tests).</summary>
    internal byte[] Encode(int version)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(version);
            w.Write(EngineSnapshot.Length);
            w.Write(EngineSnapshot);
            w.Write(ListenerFd);
            w.Write(SocketPath);
            w.Write(LinkFd);
            w.Write(StateFd);
            w.Write(AllStoppedPending);
            w.Write(BootFailureHandled);
            w.Write(Environment.Count);
            foreach (var (name, value) in Environment)
            {
                w.Write(name);
                w.Write(value);
            }
            w.Write(ReadinessPipes.Count);
            foreach (var (service, fd, reported, _) in ReadinessPipes)
            {
                w.Write(service);
                w.Write(fd);
                w.Write(reported);
            }
            w.Write(UnownedExits.Count);
            foreach (var (pid, status) in UnownedExits)
            {
                w.Write(pid);
                w.Write(status);
            }
            if (version >= 2)
            {
                w.Write(NextParkKey);
                w.Write(ParkKeys.Count);
                foreach (var key in ParkKeys) w.Write(key);
                foreach (var (_, _, _, key) in ReadinessPipes) w.Write(key);
            }
            if (version >= 3)
            {
                w.Write(ManagerGeneration);
                w.Write(ProcessStarts.Count);
                foreach (var (pid, ticks) in ProcessStarts)
                {
                    w.Write(pid);
                    w.Write(ticks);
                }
            }
            if (version >= 4)
            {
                w.Write(Sections.Count);
                foreach (var (name, payload) in Sections)
                {
                    w.Write(name);
                    w.Write(payload.Length);
                    w.Write(payload);
                }
            }
        }
        return stream.ToArray();
    }

    /// <returns>The record, or null with <paramref name="error"/> when it cannot be read.</returns>
    public static HandOverRecord? Decode(byte[] bytes, out string? error)
    {
        error = null;
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            if (r.ReadUInt32() != Magic) { error = "not a hand-over record"; return null; }
            var version = r.ReadInt32();
            if (version is < OldestReadable or > Version) { error = $"hand-over record version {version} is not {OldestReadable}..{Version}"; return null; }
            var record = new HandOverRecord();
            record.EngineSnapshot = r.ReadBytes(r.ReadInt32());
            record.ListenerFd = r.ReadInt32();
            record.SocketPath = r.ReadString();
            record.LinkFd = r.ReadInt32();
            record.StateFd = r.ReadInt32();
            record.AllStoppedPending = r.ReadBoolean();
            record.BootFailureHandled = r.ReadBoolean();
            for (var n = r.ReadInt32(); n > 0; n--) record.Environment.Add(new(r.ReadString(), r.ReadString()));
            for (var n = r.ReadInt32(); n > 0; n--) record.ReadinessPipes.Add((r.ReadString(), r.ReadInt32(), r.ReadBoolean(), -1));
            for (var n = r.ReadInt32(); n > 0; n--) record.UnownedExits.Add((r.ReadInt32(), r.ReadInt32()));
            if (version >= 2)
            {
                record.NextParkKey = r.ReadInt32();
                for (var n = r.ReadInt32(); n > 0; n--) record.ParkKeys.Add(r.ReadInt32());
                for (var i = 0; i < record.ReadinessPipes.Count; i++)
                    record.ReadinessPipes[i] = record.ReadinessPipes[i] with { ParkKey = r.ReadInt32() };
            }
            if (version >= 3)
            {
                record.ManagerGeneration = r.ReadInt64();
                for (var n = r.ReadInt32(); n > 0; n--) record.ProcessStarts.Add((r.ReadInt32(), r.ReadInt64()));
            }
            if (version >= 4)
                for (var n = r.ReadInt32(); n > 0; n--)
                {
                    var name = r.ReadString();
                    var length = r.ReadInt32();
                    if (length < 0) { error = "hand-over record unreadable: negative section length"; return null; }
                    var payload = r.ReadBytes(length);
                    if (payload.Length != length) throw new EndOfStreamException();
                    record.Sections[name] = payload;
                }
            return record;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException)
        {
            error = $"hand-over record unreadable: {e.Message}";
            return null;
        }
    }
}
