using Tinyinit.Native;
namespace Tinyinit.Loader;

/// <summary>One known setting: its handler and whether <c>+=</c> is allowed.</summary>
/// <param name="CanonicalName">The name used for lint bookkeeping (aliases map to one name).</param>
internal sealed record SettingDefinition(string CanonicalName, bool AllowsAppend, Action<SettingContext> Handle);

/// <summary>
/// Every setting of service-files.md §6, table-driven: name → parser. Each parser validates its
/// value with the spec's messages and stores it in the description (or, for settings substituted
/// after loading, raw in <see cref="ParsedService"/>).
/// </summary>
internal static class SettingHandlers
{
    public static readonly IReadOnlyDictionary<string, SettingDefinition> Table = Build();

    private static Dictionary<string, SettingDefinition> Build()
    {
        var t = new Dictionary<string, SettingDefinition>(StringComparer.Ordinal);
        void Add(string name, Action<SettingContext> handle, bool append = false, string? canonical = null) =>
            t[name] = new SettingDefinition(canonical ?? name, append, handle);

        Add("type", Type);
        Add("command", c => CommandLine(c, c.Result.Command, list => c.Result.Command = list), append: true);
        Add("stop-command", c => CommandLine(c, c.Result.StopCommand, list => c.Result.StopCommand = list), append: true);
        Add("working-dir", c => c.Result.WorkingDir = c.Value);
        Add("run-as", c => User(c, u => c.Description.RunAs = u));
        Add("env-file", EnvFile);
        Add("restart", Restart);
        Add("smooth-recovery", SmoothRecovery);
        Add("restart-delay", c => Time(c, v => c.Description.RestartDelay = v));
        Add("restart-limit-interval", c => Time(c, v => c.Description.RestartLimitInterval = v));
        Add("restart-limit-count", c => Unsigned(c, int.MaxValue, v => c.Description.RestartLimitCount = (int)v));
        Add("start-timeout", c => Time(c, v => c.Description.StartTimeout = v));
        Add("stop-timeout", c => Time(c, v => c.Description.StopTimeout = v));
        Add("pid-file", c => c.Result.PidFile = c.Value);
        Add("depends-on", c => Dependency(c, DependencyType.Regular));
        Add("depends-ms", c => Dependency(c, DependencyType.Milestone));
        Add("waits-for", c => Dependency(c, DependencyType.WaitsFor));
        Add("prepared-by", c => Dependency(c, DependencyType.PreparedBy));
        Add("depends-on.d", c => DependencyDirectory(c, DependencyType.Regular));
        Add("depends-ms.d", c => DependencyDirectory(c, DependencyType.Milestone));
        Add("waits-for.d", c => DependencyDirectory(c, DependencyType.WaitsFor));
        Add("after", c => Ordering(c, DependencyType.After));
        Add("before", c => Ordering(c, DependencyType.Before));
        Add("chain-to", ChainTo);
        Add("socket-listen", SocketListen, append: true);
        Add("socket-permissions", c => Octal(c, v => c.Description.SocketPermissions = v));
        Add("socket-uid", c => User(c, u => c.Description.SocketUid = u));
        Add("socket-gid", c => Group(c, g => c.Description.SocketGid = g));
        Add("term-signal", TermSignal);
        Add("termsignal", TermSignal, canonical: "term-signal");
        Add("ready-notification", ReadyNotification);
        Add("watchdog-timeout", c => Time(c, v => c.Description.WatchdogTimeout = v));
        Add("log-type", LogTypeSetting);
        Add("logfile", LogFile);
        Add("logfile-permissions", c => Octal(c, v => c.Description.LogFilePermissions = v));
        Add("logfile-uid", c => User(c, u => c.Description.LogFileUid = u));
        Add("logfile-gid", c => Group(c, g => c.Description.LogFileGid = g));
        Add("log-buffer-size", c => Unsigned(c, uint.MaxValue / 2, v => c.Description.LogBufferSize = (int)v));
        Add("consumer-of", ConsumerOf);
        Add("options", Options);
        Add("load-options", LoadOptionsSetting);
        Add("inittab-id", c => Inittab(c, 4, v => c.Description.InittabId = v));
        Add("inittab-line", c => Inittab(c, 32, v => c.Description.InittabLine = v));
        Add("rlimit-nofile", c => Limit(c, v => c.Description.RlimitNofile = v));
        Add("rlimit-core", c => Limit(c, v => c.Description.RlimitCore = v));
        Add("rlimit-data", c => Limit(c, v => c.Description.RlimitData = v));
        Add("rlimit-addrspace", c => Limit(c, v => c.Description.RlimitAddrspace = v));
        Add("nice", c => Signed(c, int.MinValue / 2, int.MaxValue / 2, v => c.Description.Nice = (int)v));
        Add("run-in-cgroup", c => c.Description.RunInCgroup = c.Value);
        Add("capabilities", Capabilities, append: true);
        Add("securebits", SecureBitsSetting, append: true);
        Add("ioprio", IoPrioritySetting);
        Add("oom-score-adj", c => Signed(c, -1000, 1000, v => c.Description.OomScoreAdj = (int)v));
        return t;
    }

    private static void Type(SettingContext c)
    {
        ServiceType? type = c.Value switch
        {
            "process" => ServiceType.Process,
            "bgprocess" => ServiceType.BgProcess,
            "scripted" => ServiceType.Scripted,
            "internal" => ServiceType.Internal,
            "triggered" => ServiceType.Triggered,
            _ => null,
        };
        if (type == null)
            c.SettingError("service type must be one of: \"scripted\", \"process\", \"bgprocess\", \"internal\" or \"triggered\"");
        else
            c.Description.Type = type.Value;
    }

    private static void CommandLine(SettingContext c, List<string> existing, Action<List<string>> set)
    {
        if (c.Append) existing.AddRange(c.Tokens);
        else set([.. c.Tokens]);
    }

    private static void User(SettingContext c, Action<UserSpec> set)
    {
        var user = ValueTypes.ParseUser(c.Value, c.Name, c.Users, out var error);
        if (error != null) c.Error(error);
        else set(user!);
    }

    private static void Group(SettingContext c, Action<GroupSpec> set)
    {
        var group = ValueTypes.ParseGroup(c.Value, c.Name, c.Users, out var error);
        if (error != null) c.Error(error);
        else set(group!);
    }

    private static void EnvFile(SettingContext c)
    {
        var path = c.PreLoad();
        if (path == null) return;
        c.Result.EnvFile = path.Length == 0 || Path.IsPathRooted(path) ? path : Path.Combine(c.Fragment.RealDirectory, path);
    }

    private static void Restart(SettingContext c)
    {
        RestartMode? mode = c.Value switch
        {
            "yes" or "true" => RestartMode.Yes,
            "no" or "false" => RestartMode.No,
            "on-failure" => RestartMode.OnFailure,
            _ => null,
        };
        if (mode == null) c.SettingError("restart must be one of: \"yes\", \"true\", \"no\", \"false\" or \"on-failure\"");
        else c.Description.Restart = mode.Value;
    }

    private static void SmoothRecovery(SettingContext c)
    {
        switch (c.Value)
        {
            case "yes" or "true": c.Description.SmoothRecovery = true; break;
            case "no" or "false": c.Description.SmoothRecovery = false; break;
            default: c.SettingError("smooth-recovery must be one of: \"yes\", \"true\", \"no\" or \"false\""); break;
        }
    }

    private static void Time(SettingContext c, Action<TimeSpan> set)
    {
        var value = ValueTypes.ParseTime(c.Value, c.Name, out var error);
        if (error != null) c.Error(error);
        else set(value!.Value);
    }

    private static void Unsigned(SettingContext c, ulong max, Action<ulong> set)
    {
        if (ValueTypes.TryParseUnsigned(c.Value, max, out var v)) set(v);
        else c.Error(ValueTypes.BadNumber);
    }

    private static void Signed(SettingContext c, long min, long max, Action<long> set)
    {
        if (ValueTypes.TryParseSigned(c.Value, min, max, out var v)) set(v);
        else c.Error(ValueTypes.BadNumber);
    }

    /// <summary>
    /// Reference quirk (§4.5): the reference prints the setting name as the message. We print the
    /// intended text, with the setting name in its place in the format (spec: SHOULD).
    /// </summary>
    private static void Octal(SettingContext c, Action<int> set)
    {
        if (ValueTypes.TryParseOctal(c.Value, out var mode)) set(mode);
        else c.SettingError(ValueTypes.BadOctal);
    }

    private static void Dependency(SettingContext c, DependencyType type)
    {
        var name = c.PreLoad();
        if (name == null) return;
        if (!ServiceName.IsValid(name) || ServiceName.IsTooLong(name))
        {
            // Reference quirk kept (scripts can see it): the dependency's name is printed as the service.
            c.SettingError($"invalid dependency name '{name}'", serviceNameOverride: name);
            return;
        }
        c.Result.Dependencies.Add(new DependencySpec(name, type));
    }

    private static void DependencyDirectory(SettingContext c, DependencyType type)
    {
        var written = c.PreLoad();
        if (written == null) return;
        var directory = Path.IsPathRooted(written) ? written : Path.Combine(c.Fragment.LexicalDirectory, written);
        IEnumerable<string> entries;
        try
        {
            // Directory-read order, as the reference (not sorted).
            entries = Directory.EnumerateFileSystemEntries(directory).Select(e => Path.GetFileName(e)).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var errorText = e switch
            {
                DirectoryNotFoundException => FileReader.StrError(Libc.ENOENT),
                UnauthorizedAccessException => FileReader.StrError(Libc.EACCES),
                IOException io when io.HResult > 0 && io.HResult < 4096 => FileReader.StrError(io.HResult),
                _ => e.Message,
            };
            c.Result.DirectoryProblems.Add(new DirectoryProblem(written, directory, errorText));
            c.Result.Warnings.Add($"Could not open dependency directory '{directory}' for {c.Parser.BaseName} service.");
            return;
        }
        foreach (var entry in entries)
        {
            if (!ServiceName.IsValid(entry)) continue;
            c.Result.DependencyDirectories[c.Result.Dependencies.Count] = written;
            c.Result.Dependencies.Add(new DependencySpec(entry, type, FromDirectory: true));
        }
    }

    private static void Ordering(SettingContext c, DependencyType type)
    {
        var name = c.PreLoad();
        if (name == null) return;
        if (!ServiceName.IsValid(name) || ServiceName.IsTooLong(name))
        {
            c.SettingError($"invalid service name '{name}'");
            return;
        }
        c.Result.Dependencies.Add(new DependencySpec(name, type));
    }

    private static void ChainTo(SettingContext c)
    {
        var name = c.PreLoad();
        if (name == null) return;
        if (!ServiceName.IsValid(name) || ServiceName.IsTooLong(name))
        {
            c.SettingError($"invalid chain-to service name '{name}'");
            return;
        }
        c.Description.ChainTo = name;
    }

    private static void TermSignal(SettingContext c)
    {
        var signal = ValueTypes.ParseSignal(c.Value);
        if (signal == null) c.SettingError($"unknown/unsupported termination signal: {c.Value}");
        else c.Description.TermSignal = signal.Value;
    }

    private static void ReadyNotification(SettingContext c)
    {
        var value = c.Value;
        if (value.StartsWith("pipefd:", StringComparison.Ordinal))
        {
            if (ValueTypes.TryParseUnsigned(value["pipefd:".Length..], int.MaxValue, out var fd))
                c.Description.ReadyNotification = new ReadyNotification(ReadyNotificationKind.PipeFd, (int)fd, null);
            else
                c.Error(ValueTypes.BadNumber);
        }
        else if (value == "sd_notify")
        {
            c.Description.ReadyNotification = new ReadyNotification(ReadyNotificationKind.SdNotify, -1, null);
        }
        else if (value.StartsWith("pipevar:", StringComparison.Ordinal))
        {
            var variable = value["pipevar:".Length..];
            if (variable.Length == 0) c.SettingError("invalid pipevar variable name");
            else c.Description.ReadyNotification = new ReadyNotification(ReadyNotificationKind.PipeVar, -1, variable);
        }
        else
        {
            c.SettingError($"unrecognised setting: {value}");
        }
    }

    private static void LogTypeSetting(SettingContext c)
    {
        LogType? type = c.Value switch
        {
            "file" => LogType.File,
            "buffer" => LogType.Buffer,
            "pipe" => LogType.Pipe,
            "none" => LogType.None,
            _ => null,
        };
        if (type == null) c.SettingError("log type must be one of: \"file\", \"buffer\", \"pipe\", or \"none\"");
        else c.Description.LogType = type.Value;
    }

    private static void LogFile(SettingContext c)
    {
        c.Result.LogFile = c.Value;
        // Order-dependent (§6.19): logfile selects 'file' only while the type is still 'none'.
        if (c.Description.LogType == LogType.None) c.Description.LogType = LogType.File;
    }

    private static void ConsumerOf(SettingContext c)
    {
        var name = c.PreLoad();
        if (name == null) return;
        if (!ServiceName.IsValid(name) || ServiceName.IsTooLong(name))
        {
            c.SettingError($"invalid service name '{name}'");
            return;
        }
        if (name == c.Parser.FullName)
        {
            c.SettingError("service cannot be its own consumer");
            return;
        }
        c.Description.ConsumerOf = name;
    }

    private static readonly Dictionary<string, ServiceOptions> OptionNames = new(StringComparer.Ordinal)
    {
        ["runs-on-console"] = ServiceOptions.RunsOnConsole,
        ["starts-on-console"] = ServiceOptions.StartsOnConsole,
        ["shares-console"] = ServiceOptions.SharesConsole,
        ["unmask-intr"] = ServiceOptions.UnmaskIntr,
        ["starts-rwfs"] = ServiceOptions.StartsRwfs,
        ["starts-log"] = ServiceOptions.StartsLog,
        ["pass-cs-fd"] = ServiceOptions.PassCsFd,
        ["start-interruptible"] = ServiceOptions.StartInterruptible,
        ["skippable"] = ServiceOptions.Skippable,
        ["signal-process-only"] = ServiceOptions.SignalProcessOnly,
        ["always-chain"] = ServiceOptions.AlwaysChain,
        ["kill-all-on-stop"] = ServiceOptions.KillAllOnStop,
        ["no-new-privs"] = ServiceOptions.NoNewPrivs,
    };

    private static void Options(SettingContext c)
    {
        foreach (var token in c.Tokens)
        {
            if (!OptionNames.TryGetValue(token, out var option))
            {
                c.SettingError($"unknown option: {token}");
                return;
            }
            var options = c.Description.Options;
            // Console options interact (§7): the last one written wins.
            options = option switch
            {
                ServiceOptions.RunsOnConsole => (options | ServiceOptions.RunsOnConsole | ServiceOptions.StartsOnConsole) & ~ServiceOptions.SharesConsole,
                ServiceOptions.StartsOnConsole => (options | ServiceOptions.StartsOnConsole) & ~ServiceOptions.SharesConsole,
                ServiceOptions.SharesConsole => (options | ServiceOptions.SharesConsole) & ~(ServiceOptions.RunsOnConsole | ServiceOptions.StartsOnConsole),
                _ => options | option,
            };
            c.Description.Options = options;
        }
    }

    private static void LoadOptionsSetting(SettingContext c)
    {
        foreach (var token in c.Tokens)
        {
            LoadOptions? option = token switch
            {
                "export-passwd-vars" => LoadOptions.ExportPasswdVars,
                "export-service-name" => LoadOptions.ExportServiceName,
                "sub-vars" => LoadOptions.SubVars,
                _ => null,
            };
            if (option == null)
            {
                c.SettingError($"unknown load option: {token}");
                return;
            }
            c.Description.LoadOptions |= option.Value;
        }
    }

    /// <summary>Several sockets are a tinyinit extension: <c>+=</c> adds one, <c>=</c> starts the list again.</summary>
    private static void SocketListen(SettingContext c)
    {
        if (!c.Append) c.Result.SocketListen.Clear();
        c.Result.SocketListen.Add(c.Value);
    }

    private static void Inittab(SettingContext c, int maxBytes, Action<string> set)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(c.Value) > maxBytes) c.Error($"{c.Name} setting is too long");
        else set(c.Value);
    }

    private static void Limit(SettingContext c, Action<ResourceLimit> set)
    {
        var limit = ValueTypes.ParseLimit(c.Value, c.Name, out var error);
        if (error != null) c.Error(error);
        else set(limit!);
    }

    private static void Capabilities(SettingContext c)
    {
        var value = c.Append && !string.IsNullOrEmpty(c.Description.Capabilities)
            ? c.Description.Capabilities + "," + c.Value
            : c.Value;
        if (!CapabilityNames.IsValidIab(value)) c.SettingError($"invalid capabilities: {value}");
        else c.Description.Capabilities = value;
    }

    private static void SecureBitsSetting(SettingContext c)
    {
        var bits = c.Append ? c.Description.SecureBits : SecureBits.None;
        foreach (var token in c.Tokens)
        {
            SecureBits? flag = token switch
            {
                "keep-caps" => SecureBits.KeepCaps,
                "keep-caps-locked" => SecureBits.KeepCapsLocked,
                "no-setuid-fixup" => SecureBits.NoSetuidFixup,
                "no-setuid-fixup-locked" => SecureBits.NoSetuidFixupLocked,
                "noroot" => SecureBits.NoRoot,
                "noroot-locked" => SecureBits.NoRootLocked,
                _ => null,
            };
            if (flag == null)
            {
                c.SettingError($"unknown securebits flag: {token}");
                return;
            }
            bits |= flag.Value;
        }
        c.Description.SecureBits = bits;
    }

    private static void IoPrioritySetting(SettingContext c)
    {
        var value = c.Value;
        IoPriorityClass cls;
        string? level = null;
        if (value == "none") { c.Description.IoPriority = new IoPriority(IoPriorityClass.None, 0); return; }
        if (value == "idle") { c.Description.IoPriority = new IoPriority(IoPriorityClass.Idle, 0); return; }
        if (value.StartsWith("realtime:", StringComparison.Ordinal)) { cls = IoPriorityClass.Realtime; level = value["realtime:".Length..]; }
        else if (value.StartsWith("best-effort:", StringComparison.Ordinal)) { cls = IoPriorityClass.BestEffort; level = value["best-effort:".Length..]; }
        else
        {
            c.SettingError($"invalid value for ioprio: {value}");
            return;
        }
        if (!ValueTypes.TryParseUnsigned(level, 7, out var n))
        {
            c.Error(ValueTypes.BadNumber);
            return;
        }
        c.Description.IoPriority = new IoPriority(cls, (int)n);
    }
}
