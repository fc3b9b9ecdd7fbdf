using System.Diagnostics;

namespace Tinyinit.Bench;

/// <summary>
/// The product as shipped (issue 2): sizes of the three AOT binaries, idle memory of tinyinit
/// (PID 1 of a throw-away PID namespace) and tinyinitd with a small service set running.
/// (The wall time of <c>tinyctl status</c> against such a system is in <see cref="CtlBench"/>.)
/// </summary>
public sealed class SystemBench : IBenchmarkGroup
{
    private static readonly string[] Shipped = ["tinyinit", "tinyinitd", "tinyctl"];

    public string Title => "system";

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        foreach (var name in Shipped)
        {
            var path = Path.Combine(context.BinDirectory, name);
            if (File.Exists(path)) yield return new BenchRow($"binary size: {name}", new FileInfo(path).Length / 1024.0, "KiB");
        }
        if (!Shipped.All(n => File.Exists(Path.Combine(context.BinDirectory, n)))) yield break;

        using var system = BootedSystem.Start(context.BinDirectory);
        Thread.Sleep(1000); // let start-up allocations settle before reading "idle" memory
        foreach (var (name, pid) in new[] { ("tinyinit", system.InitPid), ("tinyinitd", system.ManagerPid) })
        {
            var status = ProcStatus.Read(pid);
            yield return new BenchRow($"idle VmRSS: {name}", status.VmRssKiB, "KiB");
            yield return new BenchRow($"idle RssAnon: {name}", status.RssAnonKiB, "KiB", name == "tinyinit" ? "target ~1100 KiB private" : "");
        }
    }
}

/// <summary>VmRSS and RssAnon from /proc/PID/status.</summary>
internal readonly record struct ProcStatus(long VmRssKiB, long RssAnonKiB)
{
    public static ProcStatus Read(int pid)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/status");
        long Field(string key) => long.Parse(lines.First(l => l.StartsWith(key + ":"))[(key.Length + 1)..].Trim().Split(' ')[0]);
        return new ProcStatus(Field("VmRSS"), Field("RssAnon"));
    }
}

/// <summary>tinyinit booted as PID 1 of a new PID namespace with a two-service set; disposing shuts it down.</summary>
internal sealed class BootedSystem : IDisposable
{
    private readonly Process _unshare;
    private readonly string _binDir;
    private readonly string _workDir;

    private BootedSystem(Process unshare, string binDir, string workDir)
    {
        _unshare = unshare;
        _binDir = binDir;
        _workDir = workDir;
    }

    public string SocketPath => Path.Combine(_workDir, "ctl.socket");
    public int InitPid { get; private set; }
    public int ManagerPid { get; private set; }

    public static BootedSystem Start(string binDir)
    {
        var work = Directory.CreateTempSubdirectory("tinyinit-bench.").FullName;
        var services = Directory.CreateDirectory(Path.Combine(work, "services")).FullName;
        File.WriteAllText(Path.Combine(services, "boot"), "type = internal\ndepends-on: worker\n");
        File.WriteAllText(Path.Combine(services, "worker"), "type = process\ncommand = /bin/sleep 100000\n");
        var psi = new ProcessStartInfo("env") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--default-signal", "unshare", "--pid", "--fork", "--mount-proc", Path.Combine(binDir, "tinyinit"), "-q", "-d", services, "-p", Path.Combine(work, "ctl.socket"), "boot" })
            psi.ArgumentList.Add(a);
        var system = new BootedSystem(Process.Start(psi)!, binDir, work);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(system.SocketPath) || system.ManagerPid == 0)
        {
            if (system._unshare.HasExited || DateTime.UtcNow > deadline)
            {
                system.Dispose();
                throw new InvalidOperationException("tinyinit did not come up in a PID namespace: " + system._unshare.StandardError.ReadToEnd());
            }
            Thread.Sleep(20);
            system.FindPids();
        }
        return system;
    }

    private void FindPids()
    {
        InitPid = ChildrenOf(_unshare.Id).FirstOrDefault();
        ManagerPid = InitPid == 0 ? 0 : ChildrenOf(InitPid).FirstOrDefault(p => ReadName(p) == "tinyinitd");
    }

    private static IEnumerable<int> ChildrenOf(int pid)
    {
        var path = $"/proc/{pid}/task/{pid}/children";
        return File.Exists(path) ? File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse) : [];
    }

    private static string ReadName(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return ""; }
    }

    public int Ctl(params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(_binDir, "tinyctl")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-p");
        psi.ArgumentList.Add(SocketPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode;
    }

    public void Dispose()
    {
        if (!_unshare.HasExited)
        {
            Ctl("shutdown");
            if (!_unshare.WaitForExit(10_000)) _unshare.Kill(entireProcessTree: true);
        }
        _unshare.WaitForExit();
        _unshare.Dispose();
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { }
    }
}
