using System.Diagnostics;

namespace Tinyinit.Integration.Tests.Harness;

/// <summary>
/// tinyinitd started directly (user mode, no tinyinit, no namespace), as a user's service
/// manager or a container's would be. Disposing kills it and whatever it started.
/// </summary>
public sealed class StandaloneManager : IDisposable
{
    private readonly Process _process;
    private readonly StringWriter _output = new();

    private StandaloneManager(Process process, string workDir)
    {
        _process = process;
        WorkDir = workDir;
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.WriteLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.WriteLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string WorkDir { get; }
    public string SocketPath => Path.Combine(WorkDir, "ctl.socket");
    public string Output { get { lock (_output) return _output.ToString(); } }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>Writes the service files and starts <c>tinyinitd -u -d DIR -p SOCK</c> plus <paramref name="args"/>.</summary>
    public static StandaloneManager Start(IReadOnlyDictionary<string, string> services, params string[] args) =>
        StartIn(System.IO.Directory.CreateTempSubdirectory("tinyinitd-it.").FullName, services, args);

    public static StandaloneManager StartIn(string work, IReadOnlyDictionary<string, string> services, params string[] args)
    {
        Binaries.Require("tinyinitd", "tinyctl");
        System.IO.Directory.CreateDirectory(Path.Combine(work, "services"));
        foreach (var (name, text) in services) File.WriteAllText(Path.Combine(work, "services", name), text);
        var psi = new ProcessStartInfo(Binaries.Path_("tinyinitd")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-u", "-d", Path.Combine(work, "services"), "-p", Path.Combine(work, "ctl.socket") }.Concat(args))
            psi.ArgumentList.Add(a);
        return new StandaloneManager(Process.Start(psi)!, work);
    }

    /// <summary>
    /// Starts <paramref name="program"/> (tinyinitd, or a symlink to it such as <c>dinit</c>)
    /// with exactly <paramref name="args"/> and the given environment additions: for tests of
    /// the defaults, where nothing may be passed on the command line.
    /// </summary>
    public static StandaloneManager StartProgram(string program, string workDir, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        Binaries.Require("tinyinitd", "tinyctl");
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        return new StandaloneManager(Process.Start(psi)!, workDir);
    }

    /// <summary>Waits until the control socket exists (or the manager has exited).</summary>
    public StandaloneManager WaitReady()
    {
        Assert.That(Poll.Until(() => File.Exists(SocketPath) || HasExited), "control socket never appeared\n" + Output);
        return this;
    }

    public CommandResult Ctl(params string[] args) =>
        CommandResult.Run(Binaries.Path_("tinyctl"), new[] { "-p", SocketPath }.Concat(args));

    public bool WaitForExit(TimeSpan? timeout = null)
    {
        if (!_process.WaitForExit(timeout ?? Poll.DefaultTimeout)) return false;
        _process.WaitForExit(); // the overload without a timeout also waits for the output to be read
        return true;
    }

    /// <summary>Processes started by the manager (its children, as /proc shows them).</summary>
    public IReadOnlyList<ProcInfo> Children() =>
        ProcessTable.Snapshot().Where(p => p.HostParentPid == _process.Id).ToList();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            _process.WaitForExit(5000);
        }
        _process.Dispose();
        try { System.IO.Directory.Delete(WorkDir, recursive: true); } catch (IOException) { }
    }
}
