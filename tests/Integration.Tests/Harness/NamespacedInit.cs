using System.Diagnostics;

namespace Tinyinit.Integration.Tests.Harness;

/// <summary>
/// tinyinit as PID 1 of a throw-away PID namespace (<c>unshare --pid --fork --mount-proc</c>),
/// with a service directory and control socket of the test's own. Anything that signals
/// broadly or reboots runs only in here. Disposing kills whatever is left.
/// </summary>
public sealed class NamespacedInit : IDisposable
{
    private readonly Process _unshare;
    private readonly StringWriter _output = new();

    private NamespacedInit(Process unshare, string workDir)
    {
        _unshare = unshare;
        WorkDir = workDir;
        _unshare.OutputDataReceived += (_, e) => { lock (_output) _output.WriteLine(e.Data); };
        _unshare.ErrorDataReceived += (_, e) => { lock (_output) _output.WriteLine(e.Data); };
        _unshare.BeginOutputReadLine();
        _unshare.BeginErrorReadLine();
    }

    public string WorkDir { get; }
    public string ServiceDir => Path.Combine(WorkDir, "services");
    public string SocketPath => Path.Combine(WorkDir, "ctl.socket");
    public int UnsharePid => _unshare.Id;
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Writes service files, then boots tinyinit with <c>-d DIR -p SOCK</c> plus <paramref name="extraArgs"/>.</summary>
    public static NamespacedInit Boot(IReadOnlyDictionary<string, string> services, params string[] extraArgs)
    {
        Binaries.Require("tinyinit", "tinyinitd", "tinyctl");
        var work = System.IO.Directory.CreateTempSubdirectory("tinyinit-it.").FullName;
        System.IO.Directory.CreateDirectory(Path.Combine(work, "services"));
        foreach (var (name, text) in services) File.WriteAllText(Path.Combine(work, "services", name), text);

        // env --default-signal: PID 1 must start with default dispositions even when the test
        // runner itself was started with some signals ignored.
        var psi = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--default-signal", "unshare", "--pid", "--fork", "--mount-proc", Binaries.Path_("tinyinit"),
                     "-d", Path.Combine(work, "services"), "-p", Path.Combine(work, "ctl.socket") })
            psi.ArgumentList.Add(a);
        foreach (var a in extraArgs) psi.ArgumentList.Add(a);
        var init = new NamespacedInit(Process.Start(psi)!, work);
        if (!Poll.Until(() => File.Exists(init.SocketPath) || init.HasExited))
            Assert.Fail("control socket never appeared\n" + init.Output);
        if (init.HasExited) Assert.Ignore("could not start a PID namespace here: " + init.Output);
        return init;
    }

    public bool HasExited => _unshare.HasExited;

    /// <summary>unshare's exit code: 128 + N when PID 1 ended by reboot(2) (N = SIGINT halt/power-off, SIGHUP restart).</summary>
    public int ExitCode => _unshare.ExitCode;

    /// <summary>Host pid of the namespace's PID 1 (unshare's forked child).</summary>
    public int InitHostPid => ProcessTable.Snapshot().FirstOrDefault(p => p.HostParentPid == UnsharePid)?.HostPid ?? -1;

    /// <summary>Every process in the namespace, PID 1 first.</summary>
    public IReadOnlyList<ProcInfo> Processes()
    {
        var init = InitHostPid;
        return init < 0 ? [] : ProcessTable.Descendants(init);
    }

    public CommandResult Ctl(params string[] args) =>
        CommandResult.Run(Binaries.Path_("tinyctl"), new[] { "-p", SocketPath }.Concat(args));

    public bool WaitForExit(TimeSpan? timeout = null)
    {
        if (!_unshare.WaitForExit(timeout ?? Poll.DefaultTimeout)) return false;
        _unshare.WaitForExit(); // the overload without a timeout also waits for the output to be read
        return true;
    }

    public void Dispose()
    {
        if (!_unshare.HasExited)
        {
            try { _unshare.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            _unshare.WaitForExit(5000);
        }
        _unshare.Dispose();
        try { System.IO.Directory.Delete(WorkDir, recursive: true); } catch (IOException) { }
    }
}
