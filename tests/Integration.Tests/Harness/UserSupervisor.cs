using System.Diagnostics;

namespace Tinyinit.Integration.Tests.Harness;

/// <summary>
/// <c>tinyinit -u -d DIR -p SOCK boot</c> run as an ordinary process — no namespace, not PID 1 —
/// and, when <c>setpriv</c> and the user <c>nobody</c> are there, as that unprivileged user, with
/// a temporary service directory it can read. Disposing kills tinyinit and everything below it.
/// </summary>
public sealed class UserSupervisor : IDisposable
{
    private readonly Process _process;
    private readonly StringWriter _output = new();

    private UserSupervisor(Process process, string workDir, bool unprivileged)
    {
        _process = process;
        WorkDir = workDir;
        Unprivileged = unprivileged;
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.WriteLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.WriteLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string WorkDir { get; }
    public bool Unprivileged { get; }
    public string SocketPath => Path.Combine(WorkDir, "ctl.socket");
    public string Output { get { lock (_output) return _output.ToString(); } }
    /// <summary>tinyinit's pid (setpriv and env exec it).</summary>
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public static UserSupervisor Start(IReadOnlyDictionary<string, string> services)
    {
        Binaries.Require("tinyinit", "tinyinitd", "tinyctl");
        var work = Directory.CreateTempSubdirectory("tinyinit-user-it.").FullName;
        Directory.CreateDirectory(Path.Combine(work, "services"));
        foreach (var (name, text) in services) File.WriteAllText(Path.Combine(work, "services", name), text);
        var unprivileged = Libc.IsRoot && CommandResult.Run("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "true"]).ExitCode == 0;
        if (unprivileged && !OperatingSystem.IsWindows())
            foreach (var path in new[] { work, Path.Combine(work, "services") })
                File.SetUnixFileMode(path, (UnixFileMode)0x1ff);   // rwxrwxrwx: nobody creates its socket here
        var psi = new ProcessStartInfo(unprivileged ? "setpriv" : "env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] prefix = unprivileged ? ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "env", "--default-signal"] : ["--default-signal"];
        foreach (var a in prefix.Concat([Binaries.Path_("tinyinit"), "-u", "-d", Path.Combine(work, "services"), "-p", Path.Combine(work, "ctl.socket"), "boot"]))
            psi.ArgumentList.Add(a);
        psi.Environment.Remove("TINYINIT_MANAGER");
        var supervisor = new UserSupervisor(Process.Start(psi)!, work, unprivileged);
        if (!Poll.Until(() => supervisor.Ctl("list").ExitCode == 0 || supervisor.HasExited))
            Assert.Fail("the control socket never answered\n" + supervisor.Output);
        return supervisor;
    }

    public CommandResult Ctl(params string[] args) =>
        CommandResult.Run(Binaries.Path_("tinyctl"), new[] { "-u", "-p", SocketPath }.Concat(args));

    /// <summary>tinyinit's descendants (it first).</summary>
    public IReadOnlyList<ProcInfo> Processes() => HasExited ? [] : ProcessTable.Descendants(Pid);

    public bool WaitForExit(TimeSpan? timeout = null)
    {
        if (!_process.WaitForExit(timeout ?? Poll.DefaultTimeout)) return false;
        _process.WaitForExit();
        return true;
    }

    public void Dispose()
    {
        var left = Processes();
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            _process.WaitForExit(5000);
        }
        foreach (var p in left)
            try { Process.GetProcessById(p.HostPid).Kill(); } catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
        _process.Dispose();
        try { Directory.Delete(WorkDir, recursive: true); } catch (IOException) { }
    }

    private static class Libc
    {
        public static bool IsRoot => Environment.UserName == "root";
    }
}
