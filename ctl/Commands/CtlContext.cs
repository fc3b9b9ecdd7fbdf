using Tinyinit.Ctl.Client;
using Tinyinit.Ctl.Cli;
using Tinyinit.Loader;

namespace Tinyinit.Ctl.Commands;

/// <summary>What every command runs with: the parsed options, the output streams, the message prefix and the way to reach the daemon (replaceable in tests).</summary>
internal sealed class CtlContext(CtlOptions options, TextWriter stdout, TextWriter stderr, string program, Func<string, string?> environment)
{
    public CtlOptions Options { get; } = options;
    public TextWriter Out { get; } = stdout;
    public TextWriter Err { get; } = stderr;

    /// <summary>"tinyctl" or "dinitctl": the prefix of every error message.</summary>
    public string Program { get; } = program;

    public Func<string, string?> Environment { get; } = environment;

    /// <summary>Whose default socket and directories: the reference's under the name dinitctl.</summary>
    public Personality Personality => Personality.ForProgram(Program);

    /// <summary>The manager as texts name it: <c>dinit</c> under the reference's names (their texts stay exact), else <c>tinyinit</c>.</summary>
    public string ManagerName => Personality.IsReference ? "dinit" : "tinyinit";

    public void Error(string message) => Err.Write($"{Program}: {message}\n");

    /// <summary>Informational stdout line, suppressed by --quiet.</summary>
    public void Info(string line)
    {
        if (!Options.Quiet) Out.Write(line + "\n");
    }

    /// <summary>Connects as ctl.md §1.3 says and negotiates the version; throws <see cref="CtlException"/> with the reference's messages.</summary>
    public ControlConnection Connect()
    {
        if (Options.UsePassedControlFd && int.TryParse(Environment("DINIT_CS_FD"), out var fd) &&
            ControlConnection.FromDescriptor(fd) is { } passed)
        {
            passed.Negotiate();
            return passed;
        }
        var path = SocketLocator.Locate(Options.SocketPath, Options.SystemMode, Environment, Personality)
            ?? throw new CtlException("cannot determine control socket directory (set XDG_RUNTIME_DIR or HOME, check /etc/passwd file, or specify socket path via -p)");
        var connection = ControlConnection.Connect(path, out var errno);
        if (connection == null)
        {
            var message = $"connecting to socket: {path}: {Native.Libc.StrError(errno)}";
            if (errno == Native.Libc.ENOENT && Options.SocketPath == null && !SocketLocator.IsSystemMode(Options.SystemMode))
                message += $"\n{Program}: perhaps no user instance is running?";
            throw new CtlException(message);
        }
        try
        {
            connection.Negotiate();
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return connection;
    }
}
