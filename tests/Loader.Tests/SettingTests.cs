namespace Tinyinit.Loader.Tests;

/// <summary>Every setting of service-files.md §6: valid values, defaults, each invalid form and its message.</summary>
public class SettingTests
{
    private ServiceDir _dir = null!;

    [SetUp] public void SetUp() => _dir = new ServiceDir();
    [TearDown] public void TearDown() => _dir.Dispose();

    private ServiceDescription Proc(string lines)
    {
        _dir.Write("s", "type = process\ncommand = /bin/true\n" + lines + "\n");
        return _dir.Get("s");
    }

    /// <summary>The load error's daemon log line for a process service with one extra line (line 3).</summary>
    private string ProcError(string line) => _dir.Error("type = process\ncommand = /bin/true\n" + line + "\n").LogLines[^1];

    private string Positioned(string message) => $"Error in service description for 's' (file {_dir.File("s")}, line 3): {message}";
    private string WithSetting(string setting, string message) =>
        $"Error in service description for 's': setting '{setting}' (file {_dir.File("s")}, line 3): {message}";

    [Test]
    public void Defaults()
    {
        _dir.Write("s", "");
        var d = _dir.Get("s");
        Assert.Multiple(() =>
        {
            Assert.That(d.Type, Is.EqualTo(ServiceType.Internal));
            Assert.That(d.Restart, Is.EqualTo(RestartMode.Yes));
            Assert.That(d.RestartDelay, Is.EqualTo(TimeSpan.FromMilliseconds(200)));
            Assert.That(d.RestartLimitInterval, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(d.RestartLimitCount, Is.EqualTo(3));
            Assert.That(d.StartTimeout, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(d.StopTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(d.TermSignal, Is.EqualTo(15));
            Assert.That(d.LogType, Is.EqualTo(LogType.None));
            Assert.That(d.SocketPermissions, Is.EqualTo(Convert.ToInt32("666", 8)));
            Assert.That(d.LogFilePermissions, Is.EqualTo(Convert.ToInt32("600", 8)));
            Assert.That(d.LogBufferSize, Is.EqualTo(4096));
            Assert.That(d.WorkingDirectory, Is.Null);
            Assert.That(d.ServiceDirectory, Is.EqualTo(_dir.Path));
            Assert.That(d.SourcePath, Is.EqualTo(_dir.File("s")));
        });
    }

    [TestCase("process", ServiceType.Process)]
    [TestCase("bgprocess", ServiceType.BgProcess)]
    [TestCase("scripted", ServiceType.Scripted)]
    [TestCase("internal", ServiceType.Internal)]
    [TestCase("triggered", ServiceType.Triggered)]
    public void TypeValues(string text, ServiceType type)
    {
        _dir.Write("s", $"type = {text}\ncommand = /bin/true\npid-file = /run/p\n");
        Assert.That(_dir.Get("s").Type, Is.EqualTo(type));
    }

    [TestCase("Process")]
    [TestCase("proc")]
    [TestCase("")]
    public void TypeInvalid(string value)
    {
        var e = _dir.Error($"\n\ntype = {value}\n");
        Assert.That(e.LogLines.Single(), Is.EqualTo(WithSetting("type",
            "service type must be one of: \"scripted\", \"process\", \"bgprocess\", \"internal\" or \"triggered\"")));
        Assert.That(e.Kind, Is.EqualTo(LoadErrorKind.DescriptionError));
    }

    [TestCase("process")]
    [TestCase("bgprocess")]
    [TestCase("scripted")]
    public void CommandRequired(string type)
    {
        var e = _dir.Error($"type = {type}\npid-file = /p\n");
        Assert.That(e.LogLines.Single(), Is.EqualTo("Could not load service s: 'command' setting not specified."));
        Assert.That(e.Kind, Is.EqualTo(LoadErrorKind.LoadFailed));
    }

    [Test]
    public void WorkingDirRunAsEnvAndPaths()
    {
        var d = Proc("working-dir = /srv/x\nrun-as = alice\npid-file = /run/s.pid\nsocket-listen = /run/s.sock\nrun-in-cgroup = /sys/x");
        Assert.That(d.WorkingDirectory, Is.EqualTo("/srv/x"));
        Assert.That(d.RunAs, Is.EqualTo(new UserSpec("alice", 1000, 1001, true)));
        Assert.That(d.PidFile, Is.EqualTo("/run/s.pid"));
        Assert.That(d.SocketListen, Is.EqualTo("/run/s.sock"));
        Assert.That(d.RunInCgroup, Is.EqualTo("/sys/x"));
    }

    [Test]
    public void SocketListenPlusEqualsAddsASocketAndEqualsStartsTheListAgain()
    {
        var d = Proc("socket-listen = /run/old.sock\nsocket-listen = /run/a.sock\nsocket-listen += @abstract\nsocket-listen += /run/b.sock");
        Assert.That(d.SocketListenPaths, Is.EqualTo(new[] { "/run/a.sock", "@abstract", "/run/b.sock" }));
        Assert.That(d.SocketListen, Is.EqualTo("/run/a.sock"));
        Assert.That(Proc("socket-listen += /run/only.sock").SocketListenPaths, Is.EqualTo(new[] { "/run/only.sock" }), "+= without a previous value is =");
        Assert.That(Proc("type = process").SocketListenPaths, Is.Empty);
    }

    [Test]
    public void RunAsByNumberKeepsTheManagersGroup() =>
        Assert.That(Proc("run-as = 1000").RunAs, Is.EqualTo(new UserSpec("1000", 1000, 0, false)));

    [TestCase("run-as = nobody-here", "run-as: specified user \"nobody-here\" does not exist in system database.")]
    [TestCase("run-as = 123abc", "run-as: specified user id contains invalid numeric characters or is outside allowed range.")]
    [TestCase("run-as = 4294967296", "run-as: specified user id contains invalid numeric characters or is outside allowed range.")]
    [TestCase("run-as = 12345678901234567890123", "specified user id contains invalid numeric characters or is outside allowed range.")]
    [TestCase("socket-uid = ghost", "socket-uid: specified user \"ghost\" does not exist in system database.")]
    [TestCase("logfile-uid = 1x", "logfile-uid: specified user id contains invalid numeric characters or is outside allowed range.")]
    [TestCase("socket-gid = ghosts", "socket-gid: specified group \"ghosts\" does not exist in system database.")]
    [TestCase("logfile-gid = 12345678901234567890123", "logfile-gid: specified group id contains invalid numeric characters or is outside allowed range.")]
    public void UserAndGroupErrors(string line, string message) => Assert.That(ProcError(line), Is.EqualTo(Positioned(message)));

    [Test]
    public void SocketAndLogfileGroupsDefaultToTheNamedUsersPrimaryGroup()
    {
        var d = Proc("socket-uid = alice\nlogfile-uid = alice\nlogfile = /tmp/x");
        Assert.That(d.SocketGid!.Gid, Is.EqualTo(1001));
        Assert.That(d.LogFileGid!.Gid, Is.EqualTo(1001));
        var e = Proc("socket-uid = alice\nsocket-gid = staff");
        Assert.That(e.SocketGid!.Gid, Is.EqualTo(50));
    }

    [TestCase("yes", RestartMode.Yes)]
    [TestCase("true", RestartMode.Yes)]
    [TestCase("on-failure", RestartMode.OnFailure)]
    [TestCase("no", RestartMode.No)]
    [TestCase("false", RestartMode.No)]
    public void Restart(string value, RestartMode mode) => Assert.That(Proc($"restart = {value}").Restart, Is.EqualTo(mode));

    [Test]
    public void RestartInvalid() =>
        Assert.That(ProcError("restart = always"), Is.EqualTo(WithSetting("restart", "restart must be one of: \"yes\", \"true\", \"no\", \"false\" or \"on-failure\"")));

    [TestCase("yes", true)]
    [TestCase("true", true)]
    [TestCase("no", false)]
    [TestCase("false", false)]
    public void SmoothRecovery(string value, bool on) => Assert.That(Proc($"smooth-recovery = {value}").SmoothRecovery, Is.EqualTo(on));

    [Test]
    public void SmoothRecoveryInvalid() =>
        Assert.That(ProcError("smooth-recovery = on-failure"), Is.EqualTo(WithSetting("smooth-recovery", "smooth-recovery must be one of: \"yes\", \"true\", \"no\" or \"false\"")));

    [TestCase("5", 5_000_000_000L)]
    [TestCase("0.5", 500_000_000L)]
    [TestCase("1,25", 1_250_000_000L)]
    [TestCase(".5", 500_000_000L)]
    [TestCase("3.", 3_000_000_000L)]
    [TestCase("\"\"", 0L)]
    [TestCase("0.1234567891", 123_456_700L)]
    public void TimeValues(string text, long nanos)
    {
        var d = Proc($"restart-delay = {text}\nrestart-limit-interval = {text}\nstart-timeout = {text}\nstop-timeout = {text}");
        var expected = TimeSpan.FromTicks(nanos / 100);
        Assert.That(new[] { d.RestartDelay, d.RestartLimitInterval, d.StartTimeout, d.StopTimeout }, Is.All.EqualTo(expected));
    }

    [TestCase("restart-delay", "1.2.3")]
    [TestCase("stop-timeout", "1,5,")]
    [TestCase("start-timeout", "-1")]
    [TestCase("restart-limit-interval", "1e3")]
    [TestCase("start-timeout", "5s")]
    public void TimeBadValue(string setting, string value) =>
        Assert.That(ProcError($"{setting} = {value}"), Is.EqualTo(Positioned($"bad value for {setting}")));

    [Test]
    public void TimeTooLarge() =>
        Assert.That(ProcError("stop-timeout = 12345678901234567890"), Is.EqualTo(Positioned("too-large value for stop-timeout")));

    [TestCase("restart-limit-count = 7", 7)]
    [TestCase("restart-limit-count = 0x10", 16)]
    [TestCase("restart-limit-count = 010", 8)]
    [TestCase("restart-limit-count = 0", 0)]
    public void RestartLimitCount(string line, int count) => Assert.That(Proc(line).RestartLimitCount, Is.EqualTo(count));

    [TestCase("restart-limit-count = 2147483648")]
    [TestCase("restart-limit-count = -1")]
    [TestCase("restart-limit-count = 08")]
    [TestCase("restart-limit-count = 5x")]
    [TestCase("log-buffer-size = 2147483648")]
    [TestCase("log-buffer-size = junk")]
    [TestCase("nice = 1073741824")]
    [TestCase("nice = x")]
    [TestCase("oom-score-adj = 1001")]
    [TestCase("oom-score-adj = -1001")]
    [TestCase("ready-notification = pipefd:x")]
    [TestCase("ready-notification = pipefd:2147483648")]
    [TestCase("ioprio = realtime:8")]
    [TestCase("ioprio = best-effort:")]
    public void NumericErrors(string line) =>
        Assert.That(ProcError(line), Is.EqualTo(Positioned("specified value contains invalid numeric characters or is outside allowed range.")));

    [Test]
    public void NumericValues()
    {
        var d = Proc("log-buffer-size = 2147483647\nnice = -5\noom-score-adj = -1000\nnice = 100");
        Assert.That((d.LogBufferSize, d.Nice, d.OomScoreAdj), Is.EqualTo((int.MaxValue, 100, -1000)));
    }

    [Test]
    public void BgprocessNeedsPidFileAndRefusesReadyNotification()
    {
        Assert.That(_dir.Error("type = bgprocess\ncommand = /bin/d\n").LogLines.Single(),
            Is.EqualTo("Could not load service s: process ID file ('pid-file') not specified for bgprocess service."));
        Assert.That(_dir.Error("type = bgprocess\ncommand = /bin/d\npid-file = /p\nready-notification = pipefd:3\n").LogLines.Single(),
            Is.EqualTo("Could not load service s: readiness notification ('ready-notification') is not supported for bgprocess services."));
    }

    [Test]
    public void DependencySettingsAccumulateInFileOrder()
    {
        foreach (var n in new[] { "a", "b", "c", "d", "e", "f" }) _dir.Write(n, "");
        _dir.Write("s", "depends-on: a\ndepends-ms: b\nwaits-for: c\nprepared-by: d\nafter: e\nbefore: f\ndepends-on: a\n");
        Assert.That(_dir.Get("s").Dependencies, Is.EqualTo(new[]
        {
            new DependencySpec("a", DependencyType.Regular), new DependencySpec("b", DependencyType.Milestone),
            new DependencySpec("c", DependencyType.WaitsFor), new DependencySpec("d", DependencyType.PreparedBy),
            new DependencySpec("e", DependencyType.After), new DependencySpec("f", DependencyType.Before),
            new DependencySpec("a", DependencyType.Regular),
        }));
    }

    [TestCase("depends-on")]
    [TestCase("depends-ms")]
    [TestCase("waits-for")]
    [TestCase("prepared-by")]
    public void InvalidDependencyNamePrintsTheDependencyAsTheServiceReferenceQuirk(string setting)
    {
        var e = _dir.Error($"\n\n{setting}: .hidden\n");
        Assert.That(e.LogLines.Single(), Is.EqualTo(
            $"Error in service description for '.hidden': setting '{setting}' (file {_dir.File("s")}, line 3): invalid dependency name '.hidden'"));
    }

    [TestCase("after", "invalid service name '@x'")]
    [TestCase("before", "invalid service name '@x'")]
    [TestCase("consumer-of", "invalid service name '@x'")]
    [TestCase("chain-to", "invalid chain-to service name '@x'")]
    public void InvalidServiceNames(string setting, string message) =>
        Assert.That(ProcError($"{setting} = @x"), Is.EqualTo(WithSetting(setting, message)));

    [Test]
    public void AfterAndBeforeDoNotLoadTheirTargets()
    {
        _dir.Write("s", "after: missing1\nbefore: missing2\n");
        var outcome = _dir.Load("s");
        Assert.That(outcome.Error, Is.Null);
        Assert.That(outcome.Services.Select(x => x.Name), Is.EqualTo(new[] { "s" }));
    }

    [Test]
    public void ChainToIsNotLoaded()
    {
        _dir.Write("s", "chain-to = nothere\n");
        Assert.That(_dir.Get("s").ChainTo, Is.EqualTo("nothere"));
    }

    [TestCase("600", 384)]
    [TestCase("0640", 416)]
    [TestCase("-1", -1)]
    public void OctalPermissions(string text, int mode)
    {
        var d = Proc($"socket-permissions = {text}\nlogfile-permissions = {text}");
        Assert.That((d.SocketPermissions, d.LogFilePermissions), Is.EqualTo((mode, mode)));
    }

    /// <summary>
    /// Reference quirk (§4.5): the reference swaps message and setting name. We print the intended
    /// text (the spec's SHOULD); the setting name stays in the setting position.
    /// </summary>
    [TestCase("socket-permissions = 800", "socket-permissions")]
    [TestCase("logfile-permissions = rw", "logfile-permissions")]
    public void OctalPermissionErrorsUseTheIntendedText(string line, string setting) =>
        Assert.That(ProcError(line), Is.EqualTo(WithSetting(setting, "badly-formed or out-of-range numeric value")));

    [TestCase("HUP", 1)]
    [TestCase("INT", 2)]
    [TestCase("QUIT", 3)]
    [TestCase("KILL", 9)]
    [TestCase("USR1", 10)]
    [TestCase("USR2", 12)]
    [TestCase("TERM", 15)]
    [TestCase("CONT", 18)]
    [TestCase("STOP", 19)]
    [TestCase("none", 0)]
    [TestCase("NONE", 0)]
    public void TermSignal(string name, int number)
    {
        Assert.That(Proc($"term-signal = {name}").TermSignal, Is.EqualTo(number));
        Assert.That(Proc($"termsignal = {name}").TermSignal, Is.EqualTo(number));
    }

    [TestCase("SIGTERM")]
    [TestCase("15")]
    [TestCase("term")]
    public void TermSignalInvalid(string value) =>
        Assert.That(ProcError($"term-signal = {value}"), Is.EqualTo(WithSetting("term-signal", $"unknown/unsupported termination signal: {value}")));

    [Test]
    public void ReadyNotification()
    {
        Assert.That(Proc("ready-notification = pipefd:3").ReadyNotification, Is.EqualTo(new ReadyNotification(ReadyNotificationKind.PipeFd, 3, null)));
        Assert.That(Proc("ready-notification = pipevar:READY_FD").ReadyNotification!.Variable, Is.EqualTo("READY_FD"));
        Assert.That(ProcError("ready-notification = pipevar:"), Is.EqualTo(WithSetting("ready-notification", "invalid pipevar variable name")));
        Assert.That(ProcError("ready-notification = fd:3"), Is.EqualTo(WithSetting("ready-notification", "unrecognised setting: fd:3")));
    }

    [Test]
    public void SdNotifyAndWatchdogTimeoutAreOurOwnSettings()
    {
        var d = Proc("ready-notification = sd_notify\nwatchdog-timeout = 2.5");
        Assert.That(d.ReadyNotification, Is.EqualTo(new ReadyNotification(ReadyNotificationKind.SdNotify, -1, null)));
        Assert.That(d.UsesSdNotify, Is.True);
        Assert.That(d.WatchdogTimeout, Is.EqualTo(TimeSpan.FromSeconds(2.5)));
        Assert.That(Proc("ready-notification = sd_notify").WatchdogTimeout, Is.EqualTo(TimeSpan.Zero), "no watchdog unless asked for");
    }

    [Test]
    public void AWatchdogWithoutSdNotifyFailsTheLoad()
    {
        var e = _dir.Error("type = process\ncommand = /bin/true\nwatchdog-timeout = 5\n");
        Assert.That(e.LogLines.Single(), Does.Contain("'watchdog-timeout' needs 'ready-notification = sd_notify'"));
        Assert.That(e.Kind, Is.EqualTo(LoadErrorKind.LoadFailed));
    }

    [TestCase("file", LogType.File)]
    [TestCase("buffer", LogType.Buffer)]
    [TestCase("pipe", LogType.Pipe)]
    [TestCase("none", LogType.None)]
    public void LogTypes(string value, LogType type) => Assert.That(Proc($"log-type = {value}").LogType, Is.EqualTo(type));

    [Test]
    public void LogTypeInvalid() =>
        Assert.That(ProcError("log-type = syslog"), Is.EqualTo(WithSetting("log-type", "log type must be one of: \"file\", \"buffer\", \"pipe\", or \"none\"")));

    [Test]
    public void LogfileSelectsFileOnlyWhileTypeIsNone()
    {
        var d = Proc("logfile = /tmp/a.log");
        Assert.That((d.LogType, d.LogFile), Is.EqualTo((LogType.File, "/tmp/a.log")));
        var later = Proc("logfile = /tmp/a.log\nlog-type = buffer");
        Assert.That((later.LogType, later.LogFile), Is.EqualTo((LogType.Buffer, (string?)null)));
        var earlier = Proc("log-type = buffer\nlogfile = /tmp/a.log");
        Assert.That(earlier.LogType, Is.EqualTo(LogType.Buffer));
    }

    [Test]
    public void ConsumerOf()
    {
        Assert.That(Proc("consumer-of = producer").ConsumerOf, Is.EqualTo("producer"));
        Assert.That(ProcError("consumer-of = s"), Is.EqualTo(WithSetting("consumer-of", "service cannot be its own consumer")));
        Assert.That(_dir.Error("consumer-of = p\n").LogLines.Single(),
            Is.EqualTo("Could not load service s: only a process or bgprocess service can be a log consumer ('consumer-of') another service."));
    }

    [Test]
    public void ConsumerOfChecksALoadedProducer()
    {
        _dir.Write("p", "type = process\ncommand = /bin/p\n");
        var producer = _dir.Get("p");
        _dir.Write("s", "type = process\ncommand = /bin/true\nconsumer-of = p\n");
        var outcome = _dir.Loader(findLoaded: n => n == "p" ? producer : null).Load("s", n => n == "p");
        Assert.That(outcome.Error!.Message,
            Is.EqualTo("the 'consumer-of' setting specifies a service that does not log via a pipe ('log-type = pipe')"));
    }

    [Test]
    public void OptionsAccumulate()
    {
        var d = Proc("options: starts-rwfs starts-log\noptions: pass-cs-fd start-interruptible skippable signal-process-only always-chain unmask-intr no-new-privs");
        Assert.That(d.Options, Is.EqualTo(ServiceOptions.StartsRwfs | ServiceOptions.StartsLog | ServiceOptions.PassCsFd
            | ServiceOptions.StartInterruptible | ServiceOptions.Skippable | ServiceOptions.SignalProcessOnly
            | ServiceOptions.AlwaysChain | ServiceOptions.UnmaskIntr | ServiceOptions.NoNewPrivs));
    }

    [Test]
    public void ConsoleOptionsLastOneWins()
    {
        Assert.That(Proc("options: runs-on-console").Options, Is.EqualTo(ServiceOptions.RunsOnConsole | ServiceOptions.StartsOnConsole));
        Assert.That(Proc("options: runs-on-console shares-console").Options, Is.EqualTo(ServiceOptions.SharesConsole));
        Assert.That(Proc("options: shares-console starts-on-console").Options, Is.EqualTo(ServiceOptions.StartsOnConsole));
    }

    [Test]
    public void UnknownOption() =>
        Assert.That(ProcError("options: runs-on-console frobnicate"), Is.EqualTo(WithSetting("options", "unknown option: frobnicate")));

    [Test]
    public void KillAllOnStopOnlyForScriptedOrInternal()
    {
        Assert.That(ProcError("options: kill-all-on-stop"), Is.EqualTo("Could not load service s: kill-all-on-stop can only be set on scripted or internal services."));
        _dir.Write("i", "options: kill-all-on-stop\n");
        Assert.That(_dir.Get("i").Options, Is.EqualTo(ServiceOptions.KillAllOnStop));
    }

    [Test]
    public void LoadOptions()
    {
        var d = Proc("load-options: export-service-name sub-vars\nload-options: export-passwd-vars\nrun-as = alice");
        Assert.That(d.LoadOptions, Is.EqualTo(Loader.LoadOptions.ExportPasswdVars | Loader.LoadOptions.ExportServiceName | Loader.LoadOptions.SubVars));
        Assert.That(d.Environment["DINIT_SERVICE"], Is.EqualTo("s"));
        Assert.That(d.Environment["USER"], Is.EqualTo("alice"));
        Assert.That(d.Environment["LOGNAME"], Is.EqualTo("alice"));
        Assert.That(d.Environment["HOME"], Is.EqualTo("/home/alice"));
        Assert.That(d.Environment["SHELL"], Is.EqualTo("/bin/bash"));
        Assert.That(d.Environment["UID"], Is.EqualTo("1000"));
        Assert.That(d.Environment["GID"], Is.EqualTo("1001"));
        Assert.That(ProcError("load-options: export-everything"), Is.EqualTo(WithSetting("load-options", "unknown load option: export-everything")));
    }

    [Test]
    public void ExportPasswdVarsForAnUnknownUidFails() =>
        Assert.That(ProcError("load-options: export-passwd-vars\nrun-as = 4242"),
            Is.EqualTo("Could not load service s: user id '4242' does not exist in system database"));

    [Test]
    public void ExportServiceNameUsesTheBaseName()
    {
        _dir.Write("t", "load-options: export-service-name\n");
        Assert.That(_dir.Get("t@arg").Environment["DINIT_SERVICE"], Is.EqualTo("t"));
    }

    [Test]
    public void Inittab()
    {
        var d = Proc("inittab-id = ab12\ninittab-line = tty1");
        Assert.That((d.InittabId, d.InittabLine), Is.EqualTo(("ab12", "tty1")));
        Assert.That(ProcError("inittab-id = abcde"), Is.EqualTo(Positioned("inittab-id setting is too long")));
        Assert.That(ProcError("inittab-line = " + new string('x', 33)), Is.EqualTo(Positioned("inittab-line setting is too long")));
    }

    [TestCase("10", 10UL, 10UL)]
    [TestCase("10:20", 10UL, 20UL)]
    [TestCase("10:", 10UL, null)]
    [TestCase(":20", null, 20UL)]
    [TestCase("-", ulong.MaxValue, ulong.MaxValue)]
    [TestCase("-:-", ulong.MaxValue, ulong.MaxValue)]
    [TestCase("5:-", 5UL, ulong.MaxValue)]
    [TestCase("1:2:3", 1UL, 2UL)]
    [TestCase("0x10", 16UL, 16UL)]
    public void ResourceLimits(string value, ulong? soft, ulong? hard)
    {
        var d = Proc($"rlimit-nofile = {value}\nrlimit-core = {value}\nrlimit-data = {value}\nrlimit-addrspace = {value}");
        var expected = new ResourceLimit(soft, hard);
        Assert.That(new[] { d.RlimitNofile, d.RlimitCore, d.RlimitData, d.RlimitAddrspace }, Is.All.EqualTo(expected));
    }

    [Test]
    public void RepeatedLimitReplacesBothParts() =>
        Assert.That(Proc("rlimit-nofile = 10:20\nrlimit-nofile = 30").RlimitNofile, Is.EqualTo(new ResourceLimit(30, 30)));

    [TestCase("rlimit-nofile = 5x", "rlimit-nofile: bad value.")]
    [TestCase("rlimit-core = -5", "rlimit-core: bad value.")]
    [TestCase("rlimit-data = \"\"", "rlimit-data: bad value.")]
    [TestCase("rlimit-addrspace = 99999999999999999999999", "rlimit-addrspace: too-large value.")]
    public void ResourceLimitErrors(string line, string message) => Assert.That(ProcError(line), Is.EqualTo(Positioned(message)));

    [Test]
    public void Capabilities()
    {
        Assert.That(Proc("capabilities = ^cap_net_bind_service\ncapabilities += !cap_sys_admin").Capabilities,
            Is.EqualTo("^cap_net_bind_service,!cap_sys_admin"));
        Assert.That(ProcError("capabilities = cap_fly"), Is.EqualTo(WithSetting("capabilities", "invalid capabilities: cap_fly")));
    }

    // libcap's IAB reading: no prefix or % inheritable, ^ ambient and inheritable, ! bounding drop.
    [TestCase("cap_net_bind_service", 1UL << 10, 0UL, 0UL)]
    [TestCase("^CAP_NET_BIND_SERVICE,%cap_net_admin", (1UL << 10) | (1UL << 12), 1UL << 10, 0UL)]
    [TestCase("!cap_sys_admin,!^cap_kill", 1UL << 5, 1UL << 5, (1UL << 21) | (1UL << 5))]
    [TestCase("^12,", 1UL << 12, 1UL << 12, 0UL)]
    [TestCase("", 0UL, 0UL, 0UL)]
    public void CapabilityMasks(string iab, ulong inheritable, ulong ambient, ulong boundingDrop) =>
        Assert.That(CapabilitySets.FromIab(iab), Is.EqualTo(new CapabilitySets(inheritable, ambient, boundingDrop)));

    [TestCase(",cap_kill")]
    [TestCase("cap_kill,,cap_chown")]
    [TestCase("^")]
    [TestCase("64")]
    [TestCase("cap_kill cap_chown")]
    public void InvalidCapabilityText(string iab) => Assert.That(CapabilitySets.FromIab(iab), Is.Null);

    [Test]
    public void SecureBits()
    {
        Assert.That(Proc("securebits = keep-caps noroot\nsecurebits += no-setuid-fixup").SecureBits,
            Is.EqualTo(Loader.SecureBits.KeepCaps | Loader.SecureBits.NoRoot | Loader.SecureBits.NoSetuidFixup));
        Assert.That(Proc("securebits = keep-caps-locked\nsecurebits = noroot-locked no-setuid-fixup-locked").SecureBits,
            Is.EqualTo(Loader.SecureBits.NoRootLocked | Loader.SecureBits.NoSetuidFixupLocked));
        Assert.That(ProcError("securebits = keep-caps fly"), Is.EqualTo(WithSetting("securebits", "unknown securebits flag: fly")));
    }

    [TestCase("none", IoPriorityClass.None, 0)]
    [TestCase("idle", IoPriorityClass.Idle, 0)]
    [TestCase("realtime:0", IoPriorityClass.Realtime, 0)]
    [TestCase("best-effort:7", IoPriorityClass.BestEffort, 7)]
    public void IoPriority(string value, IoPriorityClass cls, int level) =>
        Assert.That(Proc($"ioprio = {value}").IoPriority, Is.EqualTo(new IoPriority(cls, level)));

    [Test]
    public void IoPriorityInvalid() =>
        Assert.That(ProcError("ioprio = high"), Is.EqualTo(WithSetting("ioprio", "invalid value for ioprio: high")));

    [Test]
    public void EnvFileIsReadAtLoadTimeRelativeToTheFile()
    {
        _dir.Write("s.env", "# comment\nA=1\n  B = two\nC=x=y\n=bad\n!unset HOME\n");
        var d = Proc("env-file = s.env");
        Assert.That(d.Environment["A"], Is.EqualTo("1"));
        Assert.That(d.Environment["B"], Is.EqualTo(" two"));
        Assert.That(d.Environment["C"], Is.EqualTo("x=y"));
        Assert.That(d.UnsetEnvironment, Does.Contain("HOME"));
        Assert.That(d.EnvFile, Is.EqualTo(_dir.File("s.env")));
    }

    [Test]
    public void MissingEnvFileFailsTheLoad() =>
        Assert.That(ProcError("env-file = /nonexistent/env"),
            Is.EqualTo("Could not load service s: could not load environment file: /nonexistent/env: No such file or directory"));
}
