using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.Init;

/// <summary>
/// The published tinyinit as PID 1 of a throw-away PID namespace
/// (<c>env --default-signal unshare --pid --fork --mount-proc</c>) with fake-manager.py as its
/// manager: a test drives the manager through command files and reads what it received from
/// its log. The manager is started through a tiny sh wrapper that records the signal mask and
/// ignored set it inherited (python changes both at start-up). Disposing kills whatever is left.
/// </summary>
public sealed partial class FakeManagedInit : IDisposable
{
    private readonly Process _unshare;
    private readonly bool _asPid1;
    private readonly StringWriter _output = new();
    private readonly CancellationTokenRegistration _onTestTimeout;
    private int _commands;

    private FakeManagedInit(Process unshare, string workDir, bool asPid1 = true)
    {
        _unshare = unshare;
        _asPid1 = asPid1;
        WorkDir = workDir;
        _unshare.OutputDataReceived += (_, e) => { lock (_output) _output.WriteLine(e.Data); };
        _unshare.ErrorDataReceived += (_, e) => { lock (_output) _output.WriteLine(e.Data); };
        _unshare.BeginOutputReadLine();
        _unshare.BeginErrorReadLine();
        // [CancelAfter] only cancels a token: ending the namespace then ends every wait of the test.
        _onTestTimeout = TestContext.CurrentContext.CancellationToken.Register(KillAll);
    }

    public string WorkDir { get; }
    public string LogPath => Path.Combine(WorkDir, "manager.log");
    public string ManagerPath => Path.Combine(WorkDir, "manager.sh");
    /// <summary>tinyinit's stdout and stderr.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }
    public bool HasExited => _unshare.HasExited;
    /// <summary>unshare's exit code: 128 + N when PID 1 ended by reboot(2) (N = SIGINT halt/power-off, SIGHUP restart).</summary>
    public int ExitCode => _unshare.ExitCode;

    /// <summary>Starts tinyinit with the fake manager; waits for the manager's Hello unless told not to.</summary>
    /// <param name="prepare">Runs on the work directory before tinyinit starts (e.g. to create hold-hello).</param>
    /// <param name="asPid1">False: run tinyinit as an ordinary process (no namespace), where it is a subreaper.</param>
    /// <param name="hideProc">Mount an empty tmpfs on /proc in the namespace first, as at a kernel boot.</param>
    public static FakeManagedInit Start(string[]? managerArgs = null, Action<string>? prepare = null, bool waitForHello = true,
        bool asPid1 = true, bool hideProc = false, bool stuckStderr = false)
    {
        Binaries.Require("tinyinit");
        var work = Directory.CreateTempSubdirectory("tinyinit-init-it.").FullName;
        WriteWrapper(work);
        prepare?.Invoke(work);
        var init = new FakeManagedInit(StartUnshare(work, ["--manager", Path.Combine(work, "manager.sh"), .. managerArgs ?? []], asPid1: asPid1, hideProc: hideProc, stuckStderr: stuckStderr), work, asPid1);
        if (waitForHello && !Poll.Until(() => init.Log().Contains("hello sent") || init.HasExited))
            Assert.Fail("the fake manager never said Hello\n" + init.Describe());
        if (init.HasExited && waitForHello) Assert.Ignore("could not start a PID namespace here: " + init.Output);
        return init;
    }

    /// <summary>Runs tinyinit as PID 1 of a namespace with the given arguments only (no fake manager prepared).</summary>
    /// <param name="hideProc">Mount an empty tmpfs on /proc in the namespace first, as at a kernel boot.</param>
    public static FakeManagedInit StartBare(string[] args, IDictionary<string, string>? env = null, bool hideProc = false)
    {
        Binaries.Require("tinyinit");
        var work = Directory.CreateTempSubdirectory("tinyinit-init-it.").FullName;
        return new FakeManagedInit(StartUnshare(work, args, env, hideProc: hideProc), work);
    }

    /// <param name="stuckStderr">tinyinit's standard error is a pipe nobody reads (a stuck console); its output is lost.</param>
    private static Process StartUnshare(string work, string[] args, IDictionary<string, string>? env = null, bool asPid1 = true, bool hideProc = false,
        bool stuckStderr = false)
    {
        var psi = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] namespaced =
            !asPid1 ? [] :
            hideProc ? ["unshare", "--pid", "--fork", "--mount", "sh", "-c", "mount -t tmpfs none /proc && exec \"$0\" \"$@\""] :
            ["unshare", "--pid", "--fork", "--mount-proc"];
        string[] stuck = stuckStderr ? ["bash", "-c", "exec \"$@\" 2> >(exec sleep 100000)", "bash"] : [];
        foreach (var a in new[] { "--default-signal" }.Concat(stuck).Concat(namespaced).Append(Binaries.Path_("tinyinit")).Concat(args))
            psi.ArgumentList.Add(a);
        psi.Environment["FAKE_MANAGER_LOG"] = Path.Combine(work, "manager.log");
        psi.Environment["FAKE_MANAGER_DIR"] = work;
        psi.Environment.Remove("TINYINIT_MANAGER");
        if (env != null) foreach (var (k, v) in env) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    private static void WriteWrapper(string work)
    {
        var python = PythonPath.Value ?? "";
        if (python == "") Assert.Ignore("python3 is not installed: the fake manager needs it");
        var script = FakeManagerScript();
        var wrapper = Path.Combine(work, "manager.sh");
        File.WriteAllText(wrapper,
            "#!/bin/sh\n" +
            "while read key value rest; do case $key in SigBlk:|SigIgn:) printf '%s%s ' \"$key\" \"$value\";; esac; done </proc/$$/status >>\"$FAKE_MANAGER_LOG\"\n" +
            "echo >>\"$FAKE_MANAGER_LOG\"\n" +
            $"exec '{python}' '{script}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static readonly Lazy<string?> PythonPath = new(() =>
    {
        try
        {
            var r = CommandResult.Run("python3", ["-c", "import sys; print(sys.executable)"], TimeSpan.FromSeconds(20));
            return r.ExitCode == 0 ? r.StdOut.Trim() : null;
        }
        catch (global::System.ComponentModel.Win32Exception) { return null; }
    });

    /// <summary>fake-manager.py in the source tree: found from the repository root, else beside this source file.</summary>
    private static string FakeManagerScript([CallerFilePath] string thisFile = "")
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "tinyinit.slnx"))) dir = dir.Parent;
        return dir != null
            ? Path.Combine(dir.FullName, "tests", "Integration.Tests", "Init", "fake-manager.py")
            : Path.Combine(Path.GetDirectoryName(thisFile)!, "fake-manager.py");
    }

    public string Log() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    /// <summary>Gives the manager one command (see fake-manager.py); it runs within about 50 ms.</summary>
    public void Command(string command)
    {
        var n = Interlocked.Increment(ref _commands);
        var temp = Path.Combine(WorkDir, $"tmp.{n}");
        File.WriteAllText(temp, command);
        File.Move(temp, Path.Combine(WorkDir, $"cmd.{n}"));
    }

    /// <summary>Namespace pids of the managers started so far, in order.</summary>
    public IReadOnlyList<int> ManagerStarts() =>
        StartLine().Matches(Log()).Select(m => int.Parse(m.Groups[1].Value)).ToList();

    /// <summary>Gives the manager the command and returns the namespace pid of the grandchild it orphaned.</summary>
    public int Orphan(string command)
    {
        var before = OrphanLine().Matches(Log()).Count;
        Command(command);
        Assert.That(Poll.Until(() => OrphanLine().Matches(Log()).Count > before), "no orphan was started\n" + Describe());
        return int.Parse(OrphanLine().Matches(Log())[before].Groups[1].Value);
    }

    public bool Received(string line) => Log().Split('\n').Contains(line);

    /// <summary>Host pid of tinyinit: the namespace's PID 1 (unshare's forked child), or the process started (env execs it).</summary>
    public int InitHostPid => !_asPid1 ? _unshare.Id : ProcessTable.Snapshot().FirstOrDefault(p => p.HostParentPid == _unshare.Id)?.HostPid ?? -1;

    /// <summary>Every process in the namespace, PID 1 first.</summary>
    public IReadOnlyList<ProcInfo> Processes()
    {
        var init = InitHostPid;
        return init < 0 ? [] : ProcessTable.Descendants(init);
    }

    public ProcInfo? ProcessWithInnerPid(int innerPid) => Processes().FirstOrDefault(p => p.InnerPid == innerPid);

    /// <summary>Waits for the namespace to end, then for the last of its output.</summary>
    public bool WaitForExit(TimeSpan? timeout = null)
    {
        if (!_unshare.WaitForExit(timeout ?? Poll.DefaultTimeout)) return false;
        // WaitForExitAsync also waits for the end of the redirected output, which a process
        // that outlives tinyinit (possible when it is not PID 1) keeps open: bound that wait.
        using var outputDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { _unshare.WaitForExitAsync(outputDeadline.Token).Wait(); }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException) { }
        return true;
    }

    public string Describe() =>
        $"tinyinit output:\n{Output}\nmanager log:\n{Log()}\nprocesses:\n{string.Join("\n", Processes())}";

    private void KillAll()
    {
        try
        {
            if (!_unshare.HasExited) _unshare.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }      // it ended meanwhile
    }

    public void Dispose()
    {
        _onTestTimeout.Dispose();
        KillAll();
        _unshare.WaitForExit(5000);
        _unshare.Dispose();
        try { Directory.Delete(WorkDir, recursive: true); } catch (IOException) { }
    }

    [GeneratedRegex(@"^start pid=(\d+) ", RegexOptions.Multiline)]
    private static partial Regex StartLine();

    [GeneratedRegex(@"^orphan pid=(\d+)$", RegexOptions.Multiline)]
    private static partial Regex OrphanLine();
}
