using Tinyinit.Native;
namespace Tinyinit.Loader.Check;

/// <summary>
/// The offline checker (ctl.md §12): reads each named service and everything it refers to, in
/// discovery order, reports every problem in dinit-check's formats, then runs the secondary
/// checks (cycles, consumers). Unlike the daemon it goes on after a setting error. Lint
/// warnings (ignored settings, missing executables) count as problems.
/// </summary>
public sealed class ServiceChecker
{
    public const string SubstitutionWarning =
        "warning: variable substitution performed by dinit-check for file paths may not match dinit daemon (environment may differ); use --online to avoid this warning";

    /// <summary>The same warning in tinyctl's own words (it is not about file paths only).</summary>
    public const string OwnSubstitutionWarning =
        "warning: variable substitution performed by tinyctl check may not match the service manager (environment may differ); use --online to avoid this warning";

    private readonly LoaderOptions _options;
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly string _programName;
    private readonly bool _offline;
    private readonly Dictionary<string, ServiceDescription> _checked = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private bool _problems;

    /// <param name="offline">True unless directories and environment came from a running daemon.</param>
    public ServiceChecker(LoaderOptions options, TextWriter stdout, TextWriter stderr, string programName, bool offline = true)
    {
        _options = options;
        _out = stdout;
        _err = stderr;
        _programName = programName;
        _offline = offline;
    }

    /// <returns>The exit code: 0 when no problem was found, 1 otherwise.</returns>
    public int Check(IReadOnlyList<string> services)
    {
        var queue = new Queue<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Enqueue(string name)
        {
            if (seen.Add(name)) queue.Enqueue(name);
        }
        foreach (var s in services.Count == 0 ? ["boot"] : services) Enqueue(s);

        while (queue.Count > 0)
        {
            var name = queue.Dequeue();
            _out.WriteLine($"Checking service: {name}...");
            _out.Flush();
            foreach (var next in CheckOne(name)) Enqueue(next);
        }

        // No dependency-depth check: tinyinit has no depth limit (spec README), so the
        // reference's "exceeds maximum allowed dependency depth (32)" note does not apply.
        _out.WriteLine("Performing secondary checks...");
        _out.Flush();
        CheckCycles();
        CheckConsumers();
        _err.WriteLine("Secondary checks complete.");
        _err.Flush();
        _out.WriteLine(_problems ? "One or more errors/warnings issued." : "No problems found.");
        _out.Flush();
        return _problems ? 1 : 0;
    }

    private void Error(string line)
    {
        _err.WriteLine(line);
        _problems = true;
    }

    /// <returns>The services this one refers to (to be checked next).</returns>
    private IEnumerable<string> CheckOne(string name)
    {
        if (!ServiceName.IsValid(name) || ServiceName.IsTooLong(name))
        {
            Error($"Unable to load service '{name}': invalid service name");
            return [];
        }
        var located = ServiceFileLocator.Locate(name, _options, collectAll: true);
        if (located.Parsed == null)
        {
            foreach (var line in located.Error!.Form == DiagnosticForm.ReadError
                         ? located.Error.CheckerLines(name)
                         : [$"Unable to load service '{name}': {located.Error.Message}"])
                Error(line);
            return [];
        }
        var parsed = located.Parsed;
        var description = parsed.Description;
        description.Dependencies = parsed.Dependencies;
        var stopped = parsed.Diagnostics.Any(d => d.StopsChecking);
        if (!stopped) ServiceFinalizer.Finalize(parsed, _options, collectAll: true, _ => null);
        stopped = parsed.Diagnostics.Any(d => d.StopsChecking);
        // The reference warns at the first variable lookup, so the warning sits between the
        // diagnostics raised before that lookup and those raised after it.
        for (var i = 0; i <= parsed.Diagnostics.Count; i++)
        {
            if (_offline && parsed.DiagnosticsBeforeFirstLookup == i)
                _err.WriteLine($"{_programName}: {(Personality.ForProgram(_programName).IsReference ? SubstitutionWarning : OwnSubstitutionWarning)}");
            if (i < parsed.Diagnostics.Count)
                foreach (var line in parsed.Diagnostics[i].CheckerLines(name)) Error(line);
        }
        foreach (var problem in parsed.DirectoryProblems)
            Error($"Service '{name}', error reading dependencies from directory {problem.AsWritten}: {problem.ErrorText}");
        if (stopped) return [];
        _checked[name] = description;
        _order.Add(name);
        foreach (var warning in Lint.Warnings(parsed)) Error($"Service '{name}': warning: {warning}");
        foreach (var note in Lint.Notes(parsed)) _err.WriteLine($"Service '{name}': note: {note}");

        var next = parsed.Dependencies.Select(d => d.Name).ToList();
        if (description.ConsumerOf != null) next.Add(description.ConsumerOf);
        if (description.ChainTo != null) next.Add(description.ChainTo);
        return next;
    }

    private void CheckCycles()
    {
        var cycle = CycleFinder.Find(_order, n => _checked.GetValueOrDefault(n));
        if (cycle == null) return;
        Error("Found dependency cycle:");
        static string Via(DependencyType t) => t switch
        {
            DependencyType.Before => " (via 'before')",
            DependencyType.After => " (via 'after')",
            _ => "",
        };
        // Reference quirk kept: a self-cycle prints the service twice before the closing line.
        if (cycle.Count == 1) Error($"    {cycle[0].Service} ->{Via(cycle[0].Via)}");
        foreach (var step in cycle) Error($"    {step.Service} ->{Via(step.Via)}");
        Error($"    {cycle[0].Service}.");
    }

    private void CheckConsumers()
    {
        foreach (var name in _order)
        {
            var consumer = _checked[name];
            if (consumer.ConsumerOf == null) continue;
            if (!_checked.TryGetValue(consumer.ConsumerOf, out var producer))
            {
                _err.WriteLine($"Warning: Service '{name}' specified as consumer of service '{consumer.ConsumerOf}' which was not found.");
                continue;
            }
            if (producer.LogType != LogType.Pipe)
                Error($"Service '{name}': specified as consumer of service '{consumer.ConsumerOf}' which has log-type that is not 'pipe'.");
            else if (producer.Type is not (ServiceType.Process or ServiceType.BgProcess or ServiceType.Scripted))
                Error($"Service '{name}': specified as consumer of service '{consumer.ConsumerOf}' which is not a process-based service.");
        }
    }

    /// <summary>
    /// Runs the whole offline command (arguments already parsed): builds the loader options from
    /// the command line (directories, environment file) and checks. Online mode needs the control
    /// client, so tinyctl builds those options itself and uses the constructor.
    /// </summary>
    public static int Run(CheckOptions options, TextWriter stdout, TextWriter stderr, string programName,
        IReadOnlyDictionary<string, string> processEnvironment, IUserDatabase? users = null)
    {
        users ??= SystemUserDatabase.Instance;
        if (options.Help)
        {
            stdout.Write(CheckOptions.HelpText(programName));
            return 0;
        }
        if (options.Online)
            throw new ArgumentException("online mode takes its directories and environment from the daemon: the caller builds the LoaderOptions", nameof(options));

        var systemMode = options.SystemMode ?? users.RealUid == 0;
        var environment = new Dictionary<string, string>(processEnvironment, StringComparer.Ordinal);
        var personality = Personality.ForProgram(programName);
        var envFile = options.EnvFile ?? (systemMode ? personality.SystemEnvironmentFile : null);
        if (envFile != null)
        {
            var read = FileReader.ReadAll(envFile, null);
            if (read.Text == null && !(read.OpenFailed && read.Errno == Libc.ENOENT))
            {
                stderr.WriteLine($"{programName}: error reading environment file {envFile}: {read.ErrorText}");
                return 1;
            }
            if (read.Text != null)
            {
                var parsed = EnvironmentFile.Parse(read.Text, environment);
                foreach (var d in parsed.Diagnostics)
                    stderr.WriteLine(d.Problem == EnvironmentFileProblem.InvalidSetting
                        ? $"{programName}: warning: invalid environment variable setting in environment file {envFile} (line {d.Line})"
                        : $"{programName}: warning: bad command in environment file {envFile} (line {d.Line})");
                environment = parsed.ApplyTo(environment);
            }
        }
        var directories = options.ServiceDirectories.Count > 0
            ? options.ServiceDirectories
            : LoaderOptions.DefaultDirectories(!systemMode, n => processEnvironment.GetValueOrDefault(n), users, personality);
        if (options.SearchFirst != null) directories = [options.SearchFirst, .. directories];
        var loaderOptions = new LoaderOptions
        {
            ServiceDirectories = directories.ToList(),
            Environment = environment,
            UserMode = !systemMode,
            Users = users,
        };
        return new ServiceChecker(loaderOptions, stdout, stderr, programName).Check(options.Services);
    }
}
