using Tinyinit.Protocol;
using System.Diagnostics;
using System.Net.Sockets;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Bench;

/// <summary>
/// tinyinitd on its own (issue 8): anonymous memory per running process service and per
/// started internal service, idle VmRSS, start-up and exit time, and the end-to-end time to
/// start and stop a <c>boot</c> that depends on thousands of internal services. Every figure
/// is taken against the real daemon (<c>tinyinitd -u</c>, no tinyinit). With
/// TINYINIT_BASELINE_BIN_DIR set, the same figures are taken from that build's tinyinitd in
/// the same run (timings interleaved) and shown in the comparison column.
/// </summary>
public sealed class ManagerBench : IBenchmarkGroup
{
    public string Title => "manager";

    public IEnumerable<BenchRow> Run(BenchContext context)
    {
        var current = Path.Combine(context.BinDirectory, "tinyinitd");
        var ctl = Path.Combine(context.BinDirectory, "tinyctl");
        if (!File.Exists(current) || !File.Exists(ctl)) yield break;
        var baselineDir = Environment.GetEnvironmentVariable("TINYINIT_BASELINE_BIN_DIR");
        var baseline = baselineDir is { Length: > 0 } && File.Exists(Path.Combine(baselineDir, "tinyinitd")) ? Path.Combine(baselineDir, "tinyinitd") : null;
        var binaries = baseline == null ? [current] : new[] { current, baseline };
        BenchRow Row(string name, double[] values, string unit, string note = "") =>
            new(name, values[0], unit, string.Join("; ", new[] { values.Length > 1 ? $"baseline {values[1]:0.###} {unit} ({values[0] / values[1]:0.00}x)" : "", note }.Where(s => s.Length > 0)));

        // Memory: the manager settled after everything it was asked to start has started.
        var empty = binaries.Select(b => Settled(b, ctl, ServiceSets.Boot(0, "process"))).ToArray();
        yield return Row("idle VmRSS: tinyinitd (boot, internal, no deps)", empty.Select(m => (double)m.VmRssKiB).ToArray(), "KiB", "target <= 4096 KiB");
        yield return Row("idle RssAnon: tinyinitd (boot, internal, no deps)", empty.Select(m => (double)m.RssAnonKiB).ToArray(), "KiB");
        foreach (var n in context.Quick ? new[] { 200 } : [1000, 5000])
        {
            var running = binaries.Select(b => Settled(b, ctl, ServiceSets.Boot(n, "process"))).ToArray();
            yield return Row($"RssAnon with {n} running process services (sleep)", running.Select(m => (double)m.RssAnonKiB).ToArray(), "KiB");
            yield return Row($"  per running process service ({n})", running.Zip(empty, (m, e) => (m.RssAnonKiB - e.RssAnonKiB) / (double)n).ToArray(), "KiB", "target <= 2.5 KiB; Dinit 1.9");
        }
        var wide = context.Quick ? 500 : 5000;
        var internals = binaries.Select(b => Settled(b, ctl, ServiceSets.Boot(wide, "internal"))).ToArray();
        yield return Row($"RssAnon with {wide} started internal services", internals.Select(m => (double)m.RssAnonKiB).ToArray(), "KiB");
        yield return Row($"  per started internal service ({wide})", internals.Zip(empty, (m, e) => (m.RssAnonKiB - e.RssAnonKiB) / (double)wide).ToArray(), "KiB", "target <= 1 KiB; Dinit 0.7");

        // Start-up and exit, interleaved between binaries so that load on the machine hits both alike.
        var runs = context.Quick ? 5 : 20;
        var startUp = binaries.Select(_ => new List<double>()).ToArray();
        var exit = binaries.Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < runs; i++)
            for (var b = 0; b < binaries.Length; b++)
            {
                var (up, down) = StartAndExit(binaries[b]);
                startUp[b].Add(up);
                exit[b].Add(down);
            }
        yield return Row($"start-up: launch to first reply, idle (median of {runs})", startUp.Select(Median).ToArray(), "ms", "launch until QUERYVERSION is answered; Dinit 15 ms");
        yield return Row($"exit: SHUTDOWN request to process exit (median of {runs})", exit.Select(Median).ToArray(), "ms", "request sent until waitpid; Dinit 8 ms");

        // Wide graph: `tinyctl start boot` / `tinyctl stop boot` wall time; an unrelated internal
        // service stays up so that the manager does not exit when boot stops.
        var cycles = context.Quick ? 3 : 10;
        var load = binaries.Select(_ => new List<double>()).ToArray();
        var start = binaries.Select(_ => new List<double>()).ToArray();
        var stop = binaries.Select(_ => new List<double>()).ToArray();
        var status = binaries.Select(_ => new List<double>()).ToArray();
        var managers = binaries.Select(b => RunningManager.Launch(b, ServiceSets.Boot(wide, "internal"), "hold")).ToArray();
        try
        {
            for (var b = 0; b < binaries.Length; b++)
            {
                managers[b].WaitAnswering();
                load[b].Add(managers[b].TimedCtl(ctl, "start", "boot"));
                stop[b].Add(managers[b].TimedCtl(ctl, "stop", "boot"));
            }
            for (var i = 1; i < cycles; i++)
                for (var b = 0; b < binaries.Length; b++)
                {
                    start[b].Add(managers[b].TimedCtl(ctl, "start", "boot"));
                    stop[b].Add(managers[b].TimedCtl(ctl, "stop", "boot"));
                    status[b].Add(managers[b].TimedCtl(ctl, "status", "hold"));
                }
        }
        finally
        {
            foreach (var m in managers) m.Dispose();
        }
        yield return Row($"tinyctl status hold, same manager (median of {cycles - 1})", status.Select(Median).ToArray(), "ms", "tinyctl's own cost in the figures below");
        yield return Row($"tinyctl start boot, {wide} wide internal, first (loads)", load.Select(Median).ToArray(), "ms", "wall time of tinyctl, incl. loading the files");
        yield return Row($"tinyctl start boot, {wide} wide internal, loaded (median of {cycles - 1})", start.Select(Median).ToArray(), "ms", "wall time of tinyctl");
        yield return Row($"tinyctl stop boot, {wide} wide internal (median of {cycles})", stop.Select(Median).ToArray(), "ms", "wall time of tinyctl; Dinit 10.9 ms");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>Memory of a manager that has started <c>boot</c> and then sat idle for a second.</summary>
    private static ProcStatus Settled(string tinyinitd, string ctl, IReadOnlyDictionary<string, string> services)
    {
        using var manager = RunningManager.Launch(tinyinitd, services, "boot");
        manager.WaitAnswering();
        // `start` waits for boot, hence for all its dependencies, to have started.
        manager.TimedCtl(ctl, "start", "boot");
        Thread.Sleep(1000);
        return ProcStatus.Read(manager.Pid);
    }

    private static (double StartUp, double Exit) StartAndExit(string tinyinitd)
    {
        var sw = Stopwatch.StartNew();
        using var manager = RunningManager.Launch(tinyinitd, ServiceSets.Boot(0, "internal"), "boot");
        manager.WaitAnswering();
        var startUp = sw.Elapsed.TotalMilliseconds;
        Thread.Sleep(100);
        using var socket = manager.Connect()!;
        sw.Restart();
        socket.Send(ControlRequests.Shutdown(ShutdownType.Halt));
        manager.WaitForExit();
        return (startUp, sw.Elapsed.TotalMilliseconds);
    }
}

/// <summary>Service directories for <see cref="ManagerBench"/>.</summary>
internal static class ServiceSets
{
    /// <summary>An internal <c>boot</c> depending on <paramref name="width"/> services of the given type, and an independent <c>hold</c>.</summary>
    public static IReadOnlyDictionary<string, string> Boot(int width, string type)
    {
        var set = new Dictionary<string, string>();
        var boot = new System.Text.StringBuilder("type = internal\n");
        for (var i = 0; i < width; i++)
        {
            set[$"s{i}"] = type == "process" ? "type = process\ncommand = /bin/sleep 100000\n" : "type = internal\n";
            boot.Append($"depends-on: s{i}\n");
        }
        set["boot"] = boot.ToString();
        set["hold"] = "type = internal\n";
        return set;
    }
}

/// <summary><c>tinyinitd -u -q</c> started directly on a fresh service directory; disposing kills it and its children.</summary>
internal sealed class RunningManager : IDisposable
{
    private readonly Process _process;
    private readonly string _work;

    private RunningManager(Process process, string work)
    {
        _process = process;
        _work = work;
    }

    public int Pid => _process.Id;
    private string SocketPath => Path.Combine(_work, "ctl.socket");

    /// <param name="crashRecord">Give the manager a state file as tinyinit does (fd 4, a tmpfs file
    /// standing in for the memfd), so it writes its crash record after every turn that changed something.</param>
    public static RunningManager Launch(string tinyinitd, IReadOnlyDictionary<string, string> services, string initial, bool crashRecord = false)
    {
        var work = Directory.CreateTempSubdirectory("tinyinitd-bench.").FullName;
        var dir = Directory.CreateDirectory(Path.Combine(work, "services")).FullName;
        foreach (var (name, text) in services) File.WriteAllText(Path.Combine(dir, name), text);
        var psi = new ProcessStartInfo(crashRecord ? "/bin/sh" : tinyinitd) { UseShellExecute = false, RedirectStandardOutput = false, RedirectStandardError = false, RedirectStandardInput = true };
        if (crashRecord)
        {
            var state = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : work, $"tinyinitd-bench-state.{Environment.ProcessId}.{Guid.NewGuid():N}");
            File.WriteAllBytes(state, []);
            psi.Environment["TINYINIT_STATE_FD"] = "4";
            // The shell opens fd 4 then becomes tinyinitd (same pid); the file can go at once.
            foreach (var a in new[] { "-c", "exec 4<>\"$0\" && rm -f \"$0\" && exec \"$@\"", state, tinyinitd }) psi.ArgumentList.Add(a);
        }
        foreach (var a in new[] { "-u", "-q", "-d", dir, "-p", Path.Combine(work, "ctl.socket"), initial }) psi.ArgumentList.Add(a);
        return new RunningManager(Process.Start(psi)!, work);
    }

    /// <summary>A fresh work folder with <paramref name="services"/> written to its <c>services</c> folder.</summary>
    public static string Prepare(IReadOnlyDictionary<string, string> services)
    {
        var work = Directory.CreateTempSubdirectory("tinyinitd-bench.").FullName;
        var dir = Directory.CreateDirectory(Path.Combine(work, "services")).FullName;
        foreach (var (name, text) in services) File.WriteAllText(Path.Combine(dir, name), text);
        return work;
    }

    /// <summary>A manager started some other way (its own stdout or options) on a folder from <see cref="Prepare"/>.</summary>
    public static RunningManager Of(Process process, string work) => new(process, work);

    /// <summary>MANAGERSTATUS: the last crash record's size and write time (null if the manager does not say).</summary>
    public ManagerStatusInfo? ManagerStatus()
    {
        using var socket = Connect();
        if (socket == null) return null;
        socket.Send(ControlRequests.ManagerStatus());
        var reply = new byte[64];
        var n = socket.Receive(reply);
        return n >= ManagerStatusInfo.ReplyLength && reply[0] == (byte)ReplyCode.ManagerStatus ? ManagerStatusInfo.Read(reply) : null;
    }

    /// <summary>Returns once the manager has answered QUERYVERSION on its control socket.</summary>
    public void WaitAnswering()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var socket = Connect();
            if (socket != null)
            {
                socket.Send(ControlRequests.QueryVersion());
                var reply = new byte[64];
                if (socket.Receive(reply) > 0) return;
            }
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(30))
                throw new InvalidOperationException("tinyinitd never answered on its control socket");
            Thread.Sleep(TimeSpan.FromMilliseconds(0.2));
        }
    }

    public Socket? Connect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>Wall time of one tinyctl command against this manager.</summary>
    public double TimedCtl(string ctl, params string[] args)
    {
        var psi = new ProcessStartInfo(ctl) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-p", SocketPath }.Concat(args)) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        var elapsed = sw.Elapsed.TotalMilliseconds;
        if (p.ExitCode != 0) throw new InvalidOperationException($"tinyctl {string.Join(' ', args)} exited {p.ExitCode}: {error}");
        return elapsed;
    }

    public void WaitForExit()
    {
        if (!_process.WaitForExit(30_000)) throw new InvalidOperationException("tinyinitd did not exit");
    }

    public void Dispose()
    {
        // SIGTERM: the manager stops its services and exits. Killing it first would orphan its
        // processes (and a kill racing a restart leaves one behind).
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
            kill.WaitForExit();
            _process.WaitForExit(60_000);
        }
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
    }
}
