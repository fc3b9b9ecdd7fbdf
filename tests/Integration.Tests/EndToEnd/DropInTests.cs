using Tinyinit.Integration.Tests.Harness;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// The drop-in personality (spec README): the published binaries invoked under the reference's
/// names — symlinks <c>dinit</c>, <c>dinitctl</c>, <c>dinit-check</c>, as <c>make
/// install-dinit-names</c> makes them — take every default of the reference, so a user account
/// switches from Dinit without changing anything else. Under their own names they keep
/// tinyinit's defaults.
/// </summary>
[TestFixture, NonParallelizable]
public class DropInTests
{
    private string _home = null!;
    private string _config = null!;
    private string _runtime = null!;
    private string _links = null!;

    [SetUp]
    public void SetUp()
    {
        Binaries.Require("tinyinit", "tinyinitd", "tinyctl");
        _home = System.IO.Directory.CreateTempSubdirectory("tinyinit-dropin.").FullName;
        _config = Path.Combine(_home, "config");
        _runtime = Path.Combine(_home, "runtime");
        _links = Path.Combine(_home, "bin");
        foreach (var dir in new[] { _config, _runtime, _links, Path.Combine(_config, "dinit.d"), Path.Combine(_config, "tinyinit.d") })
            System.IO.Directory.CreateDirectory(dir);
        File.CreateSymbolicLink(Path.Combine(_links, "dinit"), Binaries.Path_("tinyinitd"));
        foreach (var name in new[] { "dinitctl", "dinit-check", "dinit-monitor" })
            File.CreateSymbolicLink(Path.Combine(_links, name), Binaries.Path_("tinyctl"));
    }

    [TearDown]
    public void TearDown()
    {
        try { System.IO.Directory.Delete(_home, recursive: true); } catch (IOException) { }
    }

    /// <summary>A user's environment: nothing on the command line says where things are.</summary>
    private Dictionary<string, string> UserEnvironment => new()
    {
        ["HOME"] = _home,
        ["XDG_CONFIG_HOME"] = _config,
        ["XDG_RUNTIME_DIR"] = _runtime,
        ["DINIT_SOCKET_PATH"] = "",
    };

    private string Link(string name) => Path.Combine(_links, name);

    private CommandResult Run(string program, params string[] args) =>
        CommandResult.Run(program.Contains('/') ? program : Link(program), args, TimeSpan.FromSeconds(20), UserEnvironment);

    private StandaloneManager StartDinit(params string[] services)
    {
        File.WriteAllText(Path.Combine(_config, "dinit.d", "boot"), "type = internal\n");
        File.WriteAllText(Path.Combine(_config, "dinit.d", "web"), "type = process\ncommand = /bin/sleep 1011\n");
        var manager = StandaloneManager.StartProgram(Link("dinit"), System.IO.Directory.CreateTempSubdirectory("tinyinitd-it.").FullName,
            UserEnvironment, ["-u", .. services]);
        Assert.That(Poll.Until(() => File.Exists(Path.Combine(_runtime, "dinitctl")) || manager.HasExited), "no socket at $XDG_RUNTIME_DIR/dinitctl\n" + manager.Output);
        return manager;
    }

    [Test]
    public void DinitUsesTheReferencesDirectoriesAndSocketAndDinitctlFindsIt()
    {
        using var manager = StartDinit("web");

        var list = Run("dinitctl", "-u", "list");

        Assert.That(list, Is.EqualTo(new CommandResult(0, "[[+]     ] web (pid: " + PidOf(list.StdOut) + ")\n", "")), list.ToString());
        Assert.That(File.Exists(Path.Combine(_runtime, "tinyinit.socket")), Is.False);
    }

    [Test]
    public void UnderItsOwnNameTinyctlLooksForTinyinitsSocket()
    {
        using var manager = StartDinit();

        var list = Run(Binaries.Path_("tinyctl"), "-u", "list");

        Assert.That(list, Is.EqualTo(new CommandResult(1, "",
            $"tinyctl: connecting to socket: {_runtime}/tinyinit.socket: No such file or directory\n" +
            "tinyctl: perhaps no user instance is running?\n")));
    }

    [Test]
    public void TheManagersLogLinesArePrefixedDinit()
    {
        using var manager = StartDinit();

        var start = Run("dinitctl", "-u", "start", "nosuch");

        Assert.That(start, Is.EqualTo(new CommandResult(1, "",
            "dinitctl: failed to find service description.\ndinitctl: check service description file exists / service name spelling.\n")));
        Assert.That(Poll.Until(() => manager.Output.Contains("dinit: Could not load service nosuch: service description not found.\n")), manager.Output);
        var shutdown = Run("dinitctl", "-u", "shutdown");
        Assert.That(shutdown, Is.EqualTo(new CommandResult(0, "Shutting down dinit...\nConnection closed.\n", "")));
        Assert.That(manager.WaitForExit(), Is.True);
    }

    [Test]
    public void DinitCheckUsesTheReferencesUserDirectories()
    {
        File.WriteAllText(Path.Combine(_config, "dinit.d", "web"), "type = process\ncommand = /bin/sleep 1\n");

        var check = Run("dinit-check", "-u", "web");

        Assert.That(check, Is.EqualTo(new CommandResult(0,
            "Checking service: web...\nPerforming secondary checks...\nNo problems found.\n", "Secondary checks complete.\n")));
        var own = Run(Binaries.Path_("tinyctl"), "check", "-u", "web");
        Assert.That(own, Is.EqualTo(new CommandResult(1,
            "Checking service: web...\nPerforming secondary checks...\nOne or more errors/warnings issued.\n",
            "Unable to load service 'web': service description not found.\nSecondary checks complete.\n")));
    }

    [Test]
    public void DinitOptionErrorsAndHelpUseTheName()
    {
        Assert.That(Run("dinit", "--bogus"), Is.EqualTo(new CommandResult(1, "", "dinit: unrecognized option: --bogus\n")));
        Assert.That(Run("dinit", "--help").StdOut, Does.StartWith("dinit: init/service manager daemon\n --help"));
        Assert.That(Run(Binaries.Path_("tinyinitd"), "--bogus"), Is.EqualTo(new CommandResult(1, "", "tinyinitd: unrecognized option: --bogus\n")));
    }

    [Test]
    public void EveryProgramPrintsItsVersionTheSameWay()
    {
        Assert.That(Run(Binaries.Path_("tinyinit"), "--version"), Is.EqualTo(new CommandResult(0, "tinyinit (tinyinit) 0.1.0\n", "")));
        Assert.That(Run(Binaries.Path_("tinyinitd"), "--version"), Is.EqualTo(new CommandResult(0, "tinyinitd (tinyinit) 0.1.0\n", "")));
        Assert.That(Run(Binaries.Path_("tinyctl"), "--version"), Is.EqualTo(new CommandResult(0, "tinyctl (tinyinit) 0.1.0\n", "")));
        // Under the reference's names the reference's own line comes first: scripts read it.
        Assert.That(Run("dinit", "--version"), Is.EqualTo(new CommandResult(0, "Dinit version 0.23.0.\ndinit (tinyinit) 0.1.0\n", "")));
        Assert.That(Run("dinitctl", "--version"), Is.EqualTo(new CommandResult(0, "Dinit version 0.23.0.\ndinitctl (tinyinit) 0.1.0\n", "")));
        Assert.That(Run("dinit-monitor", "--version"), Is.EqualTo(new CommandResult(0, "Dinit version 0.23.0.\ndinit-monitor (tinyinit) 0.1.0\n", "")));
    }

    private static string PidOf(string listLine)
    {
        var start = listLine.IndexOf("(pid: ", StringComparison.Ordinal);
        return start < 0 ? "?" : listLine[(start + 6)..listLine.IndexOf(')', start)];
    }
}
