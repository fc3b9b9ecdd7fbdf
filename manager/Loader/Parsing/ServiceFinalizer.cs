namespace Tinyinit.Loader;

/// <summary>
/// The checks and completions made after all lines are read (service-files.md §8, steps 2–9):
/// service environment, required settings, post-load substitution, defaults. Problems are added
/// to <see cref="ParsedService.Diagnostics"/>; the daemon stops at the first, dinit-check goes on.
/// </summary>
internal sealed class ServiceFinalizer
{
    private readonly ParsedService _parsed;
    private readonly LoaderOptions _options;
    private readonly bool _collectAll;
    private readonly string _baseName;
    private readonly string? _argument;
    private readonly Dictionary<string, string> _serviceEnvironment = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unset = new(StringComparer.Ordinal);
    private bool _cleared;

    private ServiceFinalizer(ParsedService parsed, LoaderOptions options, bool collectAll)
    {
        _parsed = parsed;
        _options = options;
        _collectAll = collectAll;
        (_baseName, _argument) = ServiceName.Split(parsed.Description.Name);
    }

    private ServiceDescription D => _parsed.Description;

    /// <param name="findService">A service loaded earlier or in this load (consumer-of checks); may return null.</param>
    /// <returns>False when an error was found.</returns>
    public static bool Finalize(ParsedService parsed, LoaderOptions options, bool collectAll, Func<string, ServiceDescription?> findService)
    {
        var finalizer = new ServiceFinalizer(parsed, options, collectAll);
        var before = parsed.Diagnostics.Count;
        finalizer.Run(findService);
        return parsed.Diagnostics.Count == before;
    }

    private bool Stop => !_collectAll && _parsed.HasErrors;

    private void Fail(string message, string? checkerMessage = null) =>
        _parsed.Diagnostics.Add(new Diagnostic(message, DiagnosticForm.Final, IsLoadError: true, CheckerMessage: checkerMessage));

    private void Run(Func<string, ServiceDescription?> findService)
    {
        // Empty collections stay the description's shared empty defaults: the manager keeps
        // every description for as long as the service is loaded.
        if (_parsed.Dependencies.Count > 0) D.Dependencies = _parsed.Dependencies;
        BuildEnvironment();
        if (Stop) return;
        CheckRequiredSettings();
        if (Stop) return;
        SubstitutePostLoad();
        if (Stop) return;
        ApplyDefaults();
        CheckConsumer(findService);
    }

    private void BuildEnvironment()
    {
        if ((D.LoadOptions & LoadOptions.ExportPasswdVars) != 0)
        {
            var user = D.RunAs == null ? _options.Users.UserById(_options.Users.EffectiveUid)
                : D.RunAs.ByName ? _options.Users.UserByName(D.RunAs.Text)
                : _options.Users.UserById(D.RunAs.Uid);
            if (user == null)
            {
                var uid = D.RunAs?.Uid ?? _options.Users.EffectiveUid;
                Fail($"user id '{uid}' does not exist in system database");
                if (Stop) return;
            }
            else
            {
                _serviceEnvironment["USER"] = user.Name;
                _serviceEnvironment["LOGNAME"] = user.Name;
                _serviceEnvironment["HOME"] = user.Home;
                _serviceEnvironment["SHELL"] = user.Shell;
                _serviceEnvironment["UID"] = user.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
                _serviceEnvironment["GID"] = user.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        if ((D.LoadOptions & LoadOptions.ExportServiceName) != 0)
            _serviceEnvironment["DINIT_SERVICE"] = _baseName; // Reference behaviour: base name only
        if (_parsed.EnvFile != null)
        {
            D.EnvFile = _parsed.EnvFile;
            var read = FileReader.ReadAll(_parsed.EnvFile, _options.IsSpecialFile);
            if (read.Text == null)
            {
                Fail($"could not load environment file: {_parsed.EnvFile}: {read.ErrorText}",
                    $"could not load environment file: {read.ErrorText}");
                return;
            }
            var file = EnvironmentFile.Parse(read.Text, _options.Environment);
            // Ignored as the reference does, but never silently: the administrator learns which line.
            foreach (var d in file.Diagnostics)
                _parsed.Warnings.Add($"Service '{D.Name}': {d.MessageFor(_parsed.EnvFile)} (ignored)");
            if (file.Cleared)
            {
                // Reference quirk: !clear also discards export-passwd-vars/DINIT_SERVICE set before.
                _serviceEnvironment.Clear();
                _cleared = true;
            }
            foreach (var name in file.Unset)
            {
                _serviceEnvironment.Remove(name);
                _unset.Add(name);
            }
            foreach (var (k, v) in file.Set)
            {
                _serviceEnvironment[k] = v;
                _unset.Remove(k);
            }
        }
        if (_serviceEnvironment.Count > 0) D.Environment = _serviceEnvironment;
        D.ClearsGlobalEnvironment = _cleared;
        if (_unset.Count > 0) D.UnsetEnvironment = _unset;
    }

    private void CheckRequiredSettings()
    {
        var type = D.Type;
        var runsProcess = type is ServiceType.Process or ServiceType.BgProcess or ServiceType.Scripted;
        if (runsProcess && _parsed.Command.Count == 0)
        {
            Fail("'command' setting not specified.");
            if (Stop) return;
        }
        if (type == ServiceType.BgProcess)
        {
            if (string.IsNullOrEmpty(_parsed.PidFile))
            {
                Fail("process ID file ('pid-file') not specified for bgprocess service.");
                if (Stop) return;
            }
            if (D.ReadyNotification != null)
            {
                Fail("readiness notification ('ready-notification') is not supported for bgprocess services.");
                if (Stop) return;
            }
        }
        if (D.WatchdogTimeout > TimeSpan.Zero && !D.UsesSdNotify)
        {
            Fail("'watchdog-timeout' needs 'ready-notification = sd_notify' (the watchdog is fed through the notification socket).");
            if (Stop) return;
        }
        if ((D.Options & ServiceOptions.KillAllOnStop) != 0 && type is not (ServiceType.Scripted or ServiceType.Internal))
            Fail("kill-all-on-stop can only be set on scripted or internal services.");
    }

    /// <summary>Post-load lookup: service environment, then the global one (§5.5).</summary>
    private string? Lookup(string name)
    {
        if (name == "1") return _argument;
        _parsed.NoteVariableLookup();
        if (_serviceEnvironment.TryGetValue(name, out var v)) return v;
        if (_cleared || _unset.Contains(name)) return null;
        return _options.Environment.TryGetValue(name, out var g) ? g : null;
    }

    private void SubstitutePostLoad()
    {
        var sockets = new List<string>(_parsed.SocketListen.Count);
        foreach (var raw in _parsed.SocketListen)
        {
            if (SubstitutePath(raw, "socket-listen") is { } path) sockets.Add(path);
            if (Stop) return;
        }
        D.SocketListenPaths = sockets;
        D.LogFile = SubstitutePath(_parsed.LogFile, "logfile");
        if (Stop) return;
        D.WorkingDirectory = SubstitutePath(_parsed.WorkingDir, "working-dir");
        if (Stop) return;
        D.PidFile = SubstitutePath(_parsed.PidFile, "pid-file");
        if (Stop) return;
        D.Command = SubstituteCommand(_parsed.Command, "command");
        if (Stop) return;
        D.StopCommand = SubstituteCommand(_parsed.StopCommand, "stop-command");
    }

    private string? SubstitutePath(string? raw, string setting)
    {
        if (raw == null) return null;
        var value = Substitution.ExpandString(raw, Lookup, out var error);
        if (error != null)
            _parsed.Diagnostics.Add(new Diagnostic(error, DiagnosticForm.PathSubstitution, Setting: setting));
        return value;
    }

    private IReadOnlyList<string> SubstituteCommand(List<string> tokens, string setting)
    {
        if (tokens.Count == 0) return [];
        var argv = new List<string>(tokens.Count);
        foreach (var token in tokens)
        {
            var words = Substitution.ExpandToken(token, Lookup, out var error);
            if (error != null)
            {
                _parsed.Diagnostics.Add(new Diagnostic(error, DiagnosticForm.CommandSubstitution, Setting: setting));
                return argv;
            }
            argv.AddRange(words!);
        }
        return argv;
    }

    private void ApplyDefaults()
    {
        if (D.SocketUid is { ByName: true, PrimaryGid: int socketGid } && D.SocketGid == null)
            D.SocketGid = new GroupSpec(socketGid.ToString(System.Globalization.CultureInfo.InvariantCulture), socketGid);
        if (D.LogFileUid is { ByName: true, PrimaryGid: int logGid } && D.LogFileGid == null)
            D.LogFileGid = new GroupSpec(logGid.ToString(System.Globalization.CultureInfo.InvariantCulture), logGid);
        if (D.RunAs is { ByName: false, PrimaryGid: null })
            D.RunAs = D.RunAs with { PrimaryGid = _options.Users.RealGid };
        if (D.LogType != LogType.File) D.LogFile = null;
    }

    private void CheckConsumer(Func<string, ServiceDescription?> findService)
    {
        if (D.ConsumerOf == null) return;
        if (D.Type is not (ServiceType.Process or ServiceType.BgProcess))
        {
            Fail("only a process or bgprocess service can be a log consumer ('consumer-of') another service.");
            return;
        }
        var producer = findService(D.ConsumerOf);
        if (producer == null || producer.IsPlaceholder) return;
        if (producer.LogType != LogType.Pipe)
            Fail("the 'consumer-of' setting specifies a service that does not log via a pipe ('log-type = pipe')");
        else if (producer.Type is not (ServiceType.Process or ServiceType.BgProcess or ServiceType.Scripted))
            Fail("the 'consumer-of' setting specifies a service of a type that does not produce output");
    }
}
