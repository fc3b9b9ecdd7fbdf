using Tinyinit.Loader.Check;

namespace Tinyinit.Loader.Tests;

/// <summary>The offline checker (ctl.md §12): output texts, order, exit codes, lint.</summary>
public class CheckTests
{
    private ServiceDir _dir = null!;

    [SetUp] public void SetUp() => _dir = new ServiceDir();
    [TearDown] public void TearDown() => _dir.Dispose();

    private (int Exit, string Out, string Err) Check(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var options = CheckOptions.Parse(["-d", _dir.Path, .. args], stderr, "dinit-check");
        var exit = options == null ? 1 : ServiceChecker.Run(options, stdout, stderr, "dinit-check", new Dictionary<string, string>(), FakeUsers.Instance);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + "\n"));

    [Test]
    public void ReferenceExample()
    {
        _dir.Write("boot", "type = process\ndepends-on = test1\ncommand = \"unterminated\nnot-valid = x\nrun-as = 12x\n");
        var (exit, output, errors) = Check();
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Is.EqualTo(Lines("Checking service: boot...", "Checking service: test1...",
            "Performing secondary checks...", "One or more errors/warnings issued.")));
        var f = _dir.File("boot");
        Assert.That(errors, Is.EqualTo(Lines(
            $"Service 'boot' ({f}:3): unterminated quoted string",
            $"Service 'boot' ({f}:4): unknown setting: 'not-valid'.",
            $"Service 'boot' ({f}:5): run-as: specified user id contains invalid numeric characters or is outside allowed range.",
            "Service 'boot': 'command' setting not specified.",
            "Unable to load service 'test1': service description not found.",
            "Secondary checks complete.")));
    }

    [Test]
    public void CleanServicesPass()
    {
        _dir.Write("boot", "waits-for: a\n").Write("a", "type = scripted\ncommand = /bin/sh -c true\n");
        var (exit, output, errors) = Check();
        Assert.That(exit, Is.EqualTo(0), errors);
        Assert.That(output, Is.EqualTo(Lines("Checking service: boot...", "Checking service: a...", "Performing secondary checks...", "No problems found.")));
        Assert.That(errors, Is.EqualTo(Lines("Secondary checks complete.")));
    }

    [Test]
    public void SdNotifyIsAcceptedWithANoteThatItIsOurExtension()
    {
        _dir.Write("s", "type = process\ncommand = /bin/sh -c true\nready-notification = sd_notify\nwatchdog-timeout = 10\n");
        var (exit, output, errors) = Check("s");
        Assert.That(exit, Is.EqualTo(0), errors);
        Assert.That(output, Does.EndWith("No problems found.\n"));
        Assert.That(errors, Is.EqualTo(Lines(
            "Service 's': note: 'ready-notification = sd_notify' is a tinyinit extension (the reference dinit does not accept it)",
            "Service 's': note: 'watchdog-timeout' is a tinyinit extension (the reference dinit does not accept it)",
            "Secondary checks complete.")));
    }

    [Test]
    public void LineReaderErrorStopsCheckingThatService()
    {
        _dir.Write("s", "type = process\nbad line here\nfrob = 1\n");
        var (exit, _, errors) = Check("s");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors, Is.EqualTo(Lines("Unable to load service 's': badly formed line.", "Secondary checks complete.")));
    }

    [Test]
    public void CommandSubstitutionErrorIsUnableToLoad()
    {
        _dir.Write("s8", "type = process\ncommand = /bin/echo $\n");
        Assert.That(Check("s8").Err, Does.StartWith("Unable to load service 's8': invalid/missing variable name after '$'\n"));
    }

    [Test]
    public void PathSubstitutionErrorNamesTheSettingAndContinues()
    {
        _dir.Write("s15", "type = process\ncommand = /bin/true\nlogfile = /tmp/${X\n");
        Assert.That(Check("s15").Err, Does.Contain("Service 's15': logfile: unmatched '{' in variable substitution\n"));
    }

    [Test]
    public void PreLoadSubstitutionErrorFormat()
    {
        _dir.Write("s16", "depends-on = ${X\n");
        Assert.That(Check("s16").Err, Does.StartWith("Service 's16' setting 'depends-on': unmatched '{' in variable substitution\n"));
    }

    [Test]
    public void InvalidDependencyNameQuirk()
    {
        _dir.Write("e-dep1", "\n\ndepends-on = .hidden\n");
        Assert.That(Check("e-dep1").Err, Does.StartWith($"Service '.hidden' ({_dir.File("e-dep1")}:3): invalid dependency name '.hidden'\n"));
    }

    [Test]
    public void FullNameIsShownForTemplatedServices()
    {
        _dir.Write("e-type", "type = bogus\n");
        Assert.That(Check("e-type@zz").Err, Does.StartWith($"Service 'e-type@zz' ({_dir.File("e-type")}:1): service type must be one of"));
    }

    [Test]
    public void DirectoryServiceFile()
    {
        Directory.CreateDirectory(_dir.File("d"));
        Assert.That(Check("d").Err, Does.StartWith(Lines("Service 'd', error reading service description: Is a directory",
            $"Unable to load service 'd': {_dir.File("d")}: error while reading service description")));
    }

    [Test]
    public void Cycle()
    {
        _dir.Write("a", "depends-on: b\n").Write("b", "depends-on: d\n").Write("d", "depends-on: e\n").Write("e", "waits-for: b\n");
        var (exit, _, errors) = Check("a");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors, Is.EqualTo(Lines("Found dependency cycle:", "    b ->", "    d ->", "    e ->", "    b.", "Secondary checks complete.")));
    }

    [Test]
    public void SelfCycleIsPrintedTwiceReferenceQuirk()
    {
        _dir.Write("x", "after: x\n");
        Assert.That(Check("x").Err, Is.EqualTo(Lines("Found dependency cycle:", "    x -> (via 'after')", "    x -> (via 'after')", "    x.", "Secondary checks complete.")));
    }

    [Test]
    public void CycleViaBefore()
    {
        _dir.Write("a", "depends-on: b\n").Write("b", "before: a\n");
        Assert.That(Check("a").Err, Is.EqualTo(Lines("Secondary checks complete.")), "b before a is consistent with a needing b");
        _dir.Write("c", "depends-on: d\n").Write("d", "");
        _dir.Write("c", "depends-on: d\nbefore: d\n");
        Assert.That(Check("c").Err, Does.Contain("(via 'before')"));
    }

    [Test]
    public void TargetsOfChainToBeforeAfterAndConsumerAreChecked()
    {
        _dir.Write("s", "type = process\ncommand = /bin/true\nchain-to = c\nafter = a\nbefore = b\nconsumer-of = p\n");
        _dir.Write("p", "type = process\ncommand = /bin/true\n");
        var (_, output, errors) = Check("s");
        Assert.That(output, Does.Contain("Checking service: a...\nChecking service: b...\nChecking service: p...\nChecking service: c..."));
        Assert.That(errors, Does.Contain("Service 's': specified as consumer of service 'p' which has log-type that is not 'pipe'.\n"));
    }

    [Test]
    public void ConsumerOfAMissingServiceIsOnlyAWarning()
    {
        _dir.Write("s", "type = process\ncommand = /bin/true\nconsumer-of = p\n");
        var (exit, _, errors) = Check("s");
        Assert.That(errors, Does.Contain("Warning: Service 's' specified as consumer of service 'p' which was not found.\n"));
        Assert.That(errors, Does.Contain("Unable to load service 'p': service description not found."));
        Assert.That(exit, Is.EqualTo(1), "the missing description itself is an error");
    }

    [Test]
    public void DotDDirectoriesAreStrict()
    {
        _dir.Write("boot.d/ghost", "").Write("boot", "waits-for.d: boot.d\nwaits-for.d: nodir\n");
        var (exit, _, errors) = Check();
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors, Does.Contain("Service 'boot', error reading dependencies from directory nodir: No such file or directory\n"));
        Assert.That(errors, Does.Contain("Unable to load service 'ghost': service description not found.\n"));
    }

    [Test]
    public void LintForInternalServices()
    {
        _dir.Write("i", "command = /bin/true\nstop-command = /bin/true\nworking-dir = /\nrun-as = root\nsocket-listen = /tmp/s\n" +
            "inittab-id = x\noptions: signal-process-only pass-cs-fd skippable\nnice = 1\nioprio = idle\noom-score-adj = 1\nlog-type = buffer\nlogfile = /tmp/l\n");
        var (exit, _, errors) = Check("i");
        Assert.That(exit, Is.EqualTo(1));
        const string tail = "specified, but ignored for the specified (or default) service type.";
        foreach (var expected in new[]
                 {
                     $"'command' {tail}", $"'stop-command' {tail}", $"'working-dir' {tail}", $"'run-as' {tail}", $"'socket-listen' {tail}",
                     $"'inittab_line' or 'inittab_id' {tail}", $"signal options were {tail}", $"option 'pass_cs_fd' was {tail}",
                     $"option 'skippable' was {tail}", $"option 'log_type' was {tail}", $"option 'nice' was {tail}",
                     $"option 'ioprio' was {tail}", $"option 'oom-score-adj' was {tail}",
                     "option 'logfile' was specified, but selected log type is not 'file'",
                 })
            Assert.That(errors, Does.Contain($"Service 'i': warning: {expected}\n"));
    }

    [Test]
    public void LintForPrivilegeSettingsOnInternalServices()
    {
        _dir.Write("i", "run-in-cgroup = /x\ncapabilities = ^cap_kill\nsecurebits = noroot\noptions: no-new-privs\n");
        var (exit, _, errors) = Check("i");
        Assert.That(exit, Is.EqualTo(1));
        const string tail = "specified, but ignored for the specified (or default) service type.";
        foreach (var expected in new[] { $"'run-in-cgroup' {tail}", $"'capabilities' {tail}", $"'securebits' {tail}", $"option 'no_new_privs' was {tail}" })
            Assert.That(errors, Does.Contain($"Service 'i': warning: {expected}\n"));
    }

    [Test]
    public void CapabilityAndSecurebitsNamesAreChecked()
    {
        _dir.Write("p", "type = process\ncommand = /bin/true\ncapabilities = ^cap_net_bind_service\ncapabilities += cap_fly\nsecurebits = keep-caps nope\n");
        var (exit, _, errors) = Check("p");
        Assert.That(exit, Is.EqualTo(1));
        var f = _dir.File("p");
        Assert.That(errors, Does.Contain($"Service 'p' ({f}:4): invalid capabilities: ^cap_net_bind_service,cap_fly\n"));
        Assert.That(errors, Does.Contain($"Service 'p' ({f}:5): unknown securebits flag: nope\n"));
    }

    [Test]
    public void LintForExecutablesAndDirectories()
    {
        _dir.Write("notexec", "#!/bin/sh\n");
        _dir.Write("s", $"type = process\ncommand = relative/prog\nstop-command = {_dir.File("notexec")}\nlog-type = file\n");
        _dir.Write("t", $"type = process\ncommand = /nonexistent/prog\nstop-command = {_dir.Path}\nworking-dir = /nonexistent-dir\nlogfile = /nonexistent-dir/x.log\n");
        var s = Check("s").Err;
        Assert.That(s, Does.Contain("Service 's': warning: command executable 'relative/prog' is not an absolute path\n"));
        Assert.That(s, Does.Contain($"Service 's': warning: stop command executable '{_dir.File("notexec")}' is not executable by owner.\n"));
        Assert.That(s, Does.Contain("Service 's': warning: option 'logfile' not set, but selected log type is 'file'\n"));
        var t = Check("t").Err;
        Assert.That(t, Is.EqualTo(Lines(
            "Service 't': warning: could not open service working directory: No such file or directory",
            "Service 't': warning: could not stat command executable '/nonexistent/prog': No such file or directory",
            $"Service 't': warning: stop command executable '{_dir.Path}' is not a regular file.",
            "Service 't': warning: could not access logfile directory '/nonexistent-dir': No such file or directory",
            "Secondary checks complete.")));
    }

    [Test]
    public void ACommandGivenToAnInternalServiceIsReportedAsIgnoredAndStillChecked()
    {
        _dir.Write("i", "type = internal\ncommand = /nonexistent/prog\n");
        var (exit, _, errors) = Check("i");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(errors, Is.EqualTo(Lines(
            "Service 'i': warning: 'command' specified, but ignored for the specified (or default) service type.",
            "Service 'i': warning: could not stat command executable '/nonexistent/prog': No such file or directory",
            "Secondary checks complete.")));
    }

    [Test]
    public void OfflineSubstitutionWarningIsPrintedForAVariableInACommandArgument()
    {
        _dir.Write("s", "type = process\ncommand = /bin/echo $GREETING\n");
        var (exit, _, errors) = Check("s");
        Assert.That(errors, Is.EqualTo(Lines("dinit-check: " + ServiceChecker.SubstitutionWarning, "Secondary checks complete.")));
        Assert.That(exit, Is.EqualTo(0));
    }

    [Test]
    public void OfflineSubstitutionWarningComesAtTheFirstLookupOncePerService()
    {
        _dir.Write("s", "type = process\nfrob = 1\ncommand = /bin/sh\ndepends-on: ${DEP:-b}\nnope = 2\nwaits-for: c$X\n")
            .Write("b", "").Write("c", "");
        var (_, _, errors) = Check("s");
        var f = _dir.File("s");
        Assert.That(errors, Is.EqualTo(Lines(
            $"Service 's' ({f}:2): unknown setting: 'frob'.",
            "dinit-check: " + ServiceChecker.SubstitutionWarning,
            $"Service 's' ({f}:5): unknown setting: 'nope'.",
            "Secondary checks complete.")));
    }

    [Test]
    public void TheServiceArgumentIsNotAnEnvironmentLookup()
    {
        _dir.Write("s", "type = process\ncommand = /bin/echo $1\n");
        Assert.That(Check("s@x").Err, Is.EqualTo(Lines("Secondary checks complete.")));
    }

    [Test]
    public void UnderTinyctlsOwnNameTheWarningSaysWhatItMeans()
    {
        _dir.Write("s", "type = process\ncommand = /bin/echo $GREETING\n");
        var stderr = new StringWriter();
        ServiceChecker.Run(CheckOptions.Parse(["-d", _dir.Path, "s"], stderr, "tinyctl")!, TextWriter.Null, stderr, "tinyctl",
            new Dictionary<string, string>(), FakeUsers.Instance);
        Assert.That(stderr.ToString(), Is.EqualTo(Lines(
            "tinyctl: warning: variable substitution performed by tinyctl check may not match the service manager (environment may differ); use --online to avoid this warning",
            "Secondary checks complete.")));
    }

    [Test]
    public void OfflineSubstitutionWarningDoesNotCount()
    {
        _dir.Write("s", "type = process\ncommand = /bin/sh\nworking-dir = ${HOME:-/}\n");
        var (exit, _, errors) = Check("s");
        Assert.That(errors, Does.StartWith("dinit-check: " + ServiceChecker.SubstitutionWarning + "\n"));
        Assert.That(exit, Is.EqualTo(0));
    }

    [Test]
    public void EnvFileOption()
    {
        _dir.Write("env", "DEP=real\nbad line\n!frob\n").Write("real", "").Write("s", "depends-on = $DEP\n");
        var (exit, output, errors) = Check("-e", _dir.File("env"), "s");
        Assert.That(output, Does.Contain("Checking service: real..."));
        Assert.That(errors, Does.Contain($"dinit-check: warning: invalid environment variable setting in environment file {_dir.File("env")} (line 2)\n"));
        Assert.That(errors, Does.Contain($"dinit-check: warning: bad command in environment file {_dir.File("env")} (line 3)\n"));
        Assert.That(exit, Is.EqualTo(0));
        Assert.That(Check("-e", _dir.File("missing"), "real").Exit, Is.EqualTo(0), "a missing environment file is ignored");
        Directory.CreateDirectory(_dir.File("envdir"));
        var unreadable = Check("-e", _dir.File("envdir"), "real");
        Assert.That(unreadable, Is.EqualTo((1, "", $"dinit-check: error reading environment file {_dir.File("envdir")}: Is a directory\n")));
    }

    [TestCase(new[] { "-d" }, "dinit-check: '--services-dir' (-d) requires an argument")]
    [TestCase(new[] { "--services-dir", "" }, "dinit-check: '--services-dir' (-d) requires an argument")]
    [TestCase(new[] { "-p" }, "dinit-check: --socket-path/-p should be followed by socket path")]
    [TestCase(new[] { "-e", "" }, "dinit-check: --env-file/-e should be followed by environment file path")]
    [TestCase(new[] { "--frob" }, "dinit-check: unrecognized option: '--frob' (use '--help' for help)")]
    public void OptionErrors(string[] args, string message)
    {
        var stderr = new StringWriter();
        Assert.That(CheckOptions.Parse(args, stderr, "dinit-check"), Is.Null);
        Assert.That(stderr.ToString(), Is.EqualTo(message + "\n"));
    }

    [Test]
    public void Help()
    {
        var stdout = new StringWriter();
        var exit = ServiceChecker.Run(CheckOptions.Parse(["--help"], TextWriter.Null, "dinit-check")!, stdout, TextWriter.Null, "dinit-check",
            new Dictionary<string, string>(), FakeUsers.Instance);
        Assert.That(exit, Is.EqualTo(0));
        Assert.That(stdout.ToString(), Does.StartWith("dinit-check: check dinit service descriptions\n --help                       display help\n"));
        Assert.That(stdout.ToString(), Does.EndWith(" <service-name>               check service with name <service-name>\n"));
    }

    [Test]
    public void FinalisationErrorsUseTheServiceForm()
    {
        _dir.Write("s", "type = process\ncommand = /bin/true\nenv-file = /nonexistent/env\nload-options: export-passwd-vars\nrun-as = 4242\n");
        var errors = Check("s").Err;
        Assert.That(errors, Does.Contain("Service 's': user id '4242' does not exist in system database\n"));
        Assert.That(errors, Does.Contain("Service 's': could not load environment file: No such file or directory\n"));
    }

    [Test]
    public void EveryBadLineIsReported()
    {
        _dir.Write("s", "type = process\ncommand = /bin/true\nrestart = maybe\nnice = x\noptions: nope\nstop-timeout = 1e3\n");
        var errors = Check("s").Err.Split('\n');
        Assert.That(errors.Count(l => l.StartsWith($"Service 's' ({_dir.File("s")}:")), Is.EqualTo(4));
    }

    [Test]
    public void BadKillAllOnStopAndBgprocessChecks()
    {
        _dir.Write("s", "type = bgprocess\ncommand = /bin/true\nready-notification = pipefd:3\noptions: kill-all-on-stop\n");
        var errors = Check("s").Err;
        Assert.That(errors, Does.Contain("Service 's': process ID file ('pid-file') not specified for bgprocess service.\n"));
        Assert.That(errors, Does.Contain("Service 's': readiness notification ('ready-notification') is not supported for bgprocess services.\n"));
        Assert.That(errors, Does.Contain("Service 's': kill-all-on-stop can only be set on scripted or internal services.\n"));
    }
}
