using System.Collections;
using Tinyinit.Ctl.Client;
using Tinyinit.Loader;
using Tinyinit.Loader.Check;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Check;

/// <summary>
/// <c>tinyctl check</c> / <c>dinit-check</c> (ctl.md §12): a thin adapter; the checker itself is
/// <see cref="ServiceChecker"/> in the loader, where it is unit-tested. This file adds only
/// what needs the control connection: <c>--online</c> takes the service directories
/// (QUERY_LOAD_MECH) and the global environment (GETALLENV) from the running daemon.
/// </summary>
public static class CheckCommand
{
    /// <param name="args">Arguments after the command name.</param>
    /// <param name="programName">"tinyctl" or "dinit-check", used as the message prefix.</param>
    /// <returns>The process exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, string programName)
    {
        var options = CheckOptions.Parse(args, stderr, programName);
        if (options == null) return 1;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
            if (e.Key is string k && e.Value is string v) environment[k] = v;
        if (!options.Online || options.Help)
        {
            options.SearchFirst = CurrentDirectoryIfItHoldsTheServices(options, programName);
            return ServiceChecker.Run(options, stdout, stderr, programName, environment);
        }
        try
        {
            return RunOnline(options, stdout, stderr, programName, environment);
        }
        catch (CtlException e)
        {
            stderr.WriteLine($"{programName}: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// Beyond the reference, under tinyctl's own name only: someone editing a service directory
    /// runs <c>tinyctl check web</c> there and expects that <c>web</c> checked, not the one in
    /// /etc. So without <c>-d</c>, a current directory holding a named service (or <c>boot</c>)
    /// is searched before the default directories.
    /// </summary>
    private static string? CurrentDirectoryIfItHoldsTheServices(CheckOptions options, string programName)
    {
        if (Personality.ForProgram(programName).IsReference || options.ServiceDirectories.Count > 0) return null;
        var here = Environment.CurrentDirectory;
        IReadOnlyList<string> names = options.Services.Count == 0 ? ["boot"] : options.Services;
        return names.Any(name => ServiceName.IsValid(name) && File.Exists(Path.Combine(here, ServiceName.Split(name).BaseName))) ? here : null;
    }

    private static int RunOnline(CheckOptions options, TextWriter stdout, TextWriter stderr, string programName,
        Dictionary<string, string> processEnvironment)
    {
        var socket = SocketLocator.Locate(options.SocketPath, options.SystemMode, processEnvironment.GetValueOrDefault, Personality.ForProgram(programName));
        if (socket == null)
        {
            stderr.WriteLine($"{programName}: cannot locate user home directory (set XDG_RUNTIME_DIR, HOME, check /etc/passwd file, or specify socket path via -p)");
            return 1;
        }
        using var connection = ControlConnection.Connect(socket, out var errno);
        if (connection == null)
        {
            stderr.WriteLine($"{programName}: connecting to socket {socket}: {Native.Libc.StrError(errno)}");
            return 1;
        }
        connection.Negotiate();
        if (DaemonLoaderSettings.Query(connection) is not { } settings)
        {
            stderr.WriteLine($"{programName}: unable to retrieve service description directories");
            return 1;
        }
        var loaderOptions = new LoaderOptions
        {
            ServiceDirectories = settings.ServiceDirectories,
            Environment = settings.Environment,
            UserMode = !SocketLocator.IsSystemMode(options.SystemMode),
        };
        return new ServiceChecker(loaderOptions, stdout, stderr, programName, offline: false).Check(options.Services);
    }
}
