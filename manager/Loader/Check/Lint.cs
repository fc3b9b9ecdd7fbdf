using Tinyinit.Native;
namespace Tinyinit.Loader.Check;

/// <summary>
/// dinit-check's lint warnings (ctl.md §12): settings ignored for the service's type, log file
/// consistency, working directory, command executables and the log file's directory.
/// </summary>
internal static class Lint
{
    private const string Ignored = "specified, but ignored for the specified (or default) service type.";

    public static IEnumerable<string> Warnings(ParsedService parsed)
    {
        var d = parsed.Description;
        var specified = parsed.Specified;
        var runsProcess = d.Type is ServiceType.Process or ServiceType.BgProcess or ServiceType.Scripted;
        if (!runsProcess)
        {
            foreach (var setting in new[] { "command", "stop-command", "working-dir", "run-in-cgroup", "capabilities", "securebits", "run-as", "socket-listen" })
                if (specified.Contains(setting)) yield return $"'{setting}' {Ignored}";
            if (specified.Contains("inittab-id") || specified.Contains("inittab-line"))
                yield return $"'inittab_line' or 'inittab_id' {Ignored}";
            if ((d.Options & (ServiceOptions.SignalProcessOnly | ServiceOptions.StartInterruptible)) != 0)
                yield return $"signal options were {Ignored}";
            var optionWarnings = new (bool Present, string Name)[]
            {
                ((d.Options & ServiceOptions.PassCsFd) != 0, "pass_cs_fd"),
                ((d.Options & ServiceOptions.Skippable) != 0, "skippable"),
                ((d.Options & ServiceOptions.NoNewPrivs) != 0, "no_new_privs"),
                (d.LogType != LogType.None, "log_type"),
                (specified.Contains("nice"), "nice"),
                (specified.Contains("ioprio"), "ioprio"),
                (specified.Contains("oom-score-adj"), "oom-score-adj"),
            };
            foreach (var (present, name) in optionWarnings)
                if (present) yield return $"option '{name}' was {Ignored}";
        }
        if (specified.Contains("logfile") && d.LogType != LogType.File)
            yield return "option 'logfile' was specified, but selected log type is not 'file'";
        if (d.LogType == LogType.File && string.IsNullOrEmpty(parsed.LogFile))
            yield return "option 'logfile' not set, but selected log type is 'file'";

        // The file-system checks below apply to every type, like the reference's: a command
        // given to an internal service is reported as ignored and then checked all the same.

        var workingDir = string.IsNullOrEmpty(d.WorkingDirectory) ? d.ServiceDirectory : d.WorkingDirectory;
        if (!string.IsNullOrEmpty(workingDir))
        {
            var mode = FileStatus.Mode(workingDir, out var errno);
            if (mode == null)
                yield return $"could not open service working directory: {FileReader.StrError(errno)}";
            else if (!FileStatus.IsDirectory(mode.Value))
                yield return $"could not open service working directory: {FileReader.StrError(Libc.ENOTDIR)}";
        }
        foreach (var w in Executable(d.Command, "command")) yield return w;
        foreach (var w in Executable(d.StopCommand, "stop command")) yield return w;
        if (d.LogType == LogType.File && !string.IsNullOrEmpty(d.LogFile))
        {
            var logDir = Path.GetDirectoryName(d.LogFile);
            if (string.IsNullOrEmpty(logDir)) logDir = ".";
            var full = Path.IsPathRooted(logDir) || string.IsNullOrEmpty(workingDir) ? logDir : Path.Combine(workingDir, logDir);
            var mode = FileStatus.Mode(full, out var errno);
            if (mode == null) yield return $"could not access logfile directory '{logDir}': {FileReader.StrError(errno)}";
            else if (!FileStatus.IsDirectory(mode.Value)) yield return $"logfile directory '{logDir}' exists but is not a directory.";
        }
    }

    /// <summary>
    /// Remarks that are not problems (the check still passes): settings only tinyinit
    /// understands, so a file using them will not load under the reference dinit.
    /// </summary>
    public static IEnumerable<string> Notes(ParsedService parsed)
    {
        var d = parsed.Description;
        if (d.UsesSdNotify)
            yield return "'ready-notification = sd_notify' is a tinyinit extension (the reference dinit does not accept it)";
        if (parsed.Specified.Contains("watchdog-timeout"))
            yield return "'watchdog-timeout' is a tinyinit extension (the reference dinit does not accept it)";
    }

    private static IEnumerable<string> Executable(IReadOnlyList<string> argv, string what)
    {
        if (argv.Count == 0) yield break;
        var program = argv[0];
        if (!program.StartsWith('/'))
        {
            yield return $"{what} executable '{program}' is not an absolute path";
            yield break;
        }
        var mode = FileStatus.Mode(program, out var errno);
        if (mode == null) yield return $"could not stat {what} executable '{program}': {FileReader.StrError(errno)}";
        else if (!FileStatus.IsRegular(mode.Value)) yield return $"{what} executable '{program}' is not a regular file.";
        else if (!FileStatus.IsOwnerExecutable(mode.Value)) yield return $"{what} executable '{program}' is not executable by owner.";
    }
}
