using Tinyinit.Ctl.Client;
using Tinyinit.Native;
using LoaderOptions = Tinyinit.Loader.LoaderOptions;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Commands;

/// <summary>
/// enable / disable (ctl.md §9): persistently add or remove a waits-for link FROM → TO as a
/// symlink in FROM's waits-for.d directory and, online, apply it to the running daemon.
/// </summary>
internal static class EnableCommand
{
    private sealed record Target(string Name, string File, string Text);

    public static int Run(CtlContext context)
    {
        var o = context.Options;
        if (o.From != null && o.From.Contains('@')) throw new CtlException("cannot enable/disable from a service with argument (service@arg).");
        return o.Offline ? Offline(context) : Online(context);
    }

    private static int Online(CtlContext context)
    {
        var o = context.Options;
        var enabling = o.Command == "enable";
        using var connection = context.Connect();
        TriggerCommand.RequireVersion(connection, 3);
        var environment = DaemonEnvironment(connection);
        var toName = o.Arguments[0];
        var toRecord = ServiceLoading.Load(connection, context.Program, toName);
        var toFile = DescriptionFile.Query(connection, toRecord.Handle, toName)
            ?? throw new CtlException($"could not locate service file for target service '{toName}'");
        var to = new Target(toName, toFile.ResolvedPath, ReadDescription(toFile.ResolvedPath, "open"));
        var fromName = o.From ?? DescriptionLines.EnableVia(to.Text, () => Malformed(toName)) ?? "boot";
        var fromRecord = ServiceLoading.Load(connection, context.Program, fromName);
        var fromFile = DescriptionFile.Query(connection, fromRecord.Handle, fromName)
            ?? throw new CtlException($"could not locate service file for service '{fromName}'");
        var link = LinkPath(fromName, fromFile.ResolvedPath, ReadDescription(fromFile.ResolvedPath, "open"), to, environment);
        if (enabling && Exists(link.Path)) throw new CtlException("service already enabled.");

        if (enabling && fromRecord.State != ServiceState.Started) context.Error("warning: enabling dependency for non-started service");
        var eventsFrom = connection.Events.Count;
        var status = Apply(connection, enabling, fromRecord.Handle, toRecord.Handle);
        ChangeLink(context, enabling, link, to.File, online: true);
        context.Info($"Service '{toName}' has been {(enabling ? "enabled" : "disabled")}.");
        status ??= ServiceLoading.Status(connection, toRecord.Handle);
        if (status is not { } s) return 0;
        if (!enabling)
        {
            if (s.Target != ServiceState.Stopped) context.Error("note: disabled service may have other dependents");
            return 0;
        }
        if (s.State == ServiceState.Started || s.Target != ServiceState.Started) return 0;
        return StartStopCommand.WaitForStart(context, connection, toRecord.Handle, toName, eventsFrom);
    }

    /// <summary>Sends the enable or disable request; returns TO's status when the reply carries it (V7).</summary>
    private static ServiceStatus? Apply(ControlConnection connection, bool enabling, uint from, uint to)
    {
        if (!enabling)
        {
            connection.Send(ControlRequests.Dependency(RequestCode.RemDep, DependencyType.WaitsFor, from, to));
            var reply = connection.ReadReply();
            if (reply[0] == (byte)ReplyCode.Nak) throw new CtlException("service not currently enabled");
            if (reply[0] != (byte)ReplyCode.Ack) throw new CtlException("protocol error.");
            return null;
        }
        var v7 = connection.ServerVersion >= 7;
        connection.Send(ControlRequests.Dependency(v7 ? RequestCode.EnableServiceV7 : RequestCode.EnableService, DependencyType.WaitsFor, from, to));
        var answer = connection.ReadReply(StatusBuffer.SizeV6);
        if (answer[0] == (byte)ReplyCode.Nak) throw new CtlException("could not enable service: possible circular dependency");
        if (v7 && answer[0] == (byte)ReplyCode.ServiceStatus) return ControlReplies.ServiceStatus(answer, 6).Status;
        if (!v7 && answer[0] == (byte)ReplyCode.Ack) return null;
        throw new CtlException("protocol error.");
    }

    private static int Offline(CtlContext context)
    {
        var o = context.Options;
        var enabling = o.Command == "enable";
        var userMode = !SocketLocator.IsSystemMode(o.SystemMode);
        var directories = o.ServiceDirectories.Count > 0 ? o.ServiceDirectories : LoaderOptions.DefaultDirectories(userMode, context.Environment, context.Personality).ToList();
        var toName = o.Arguments[0];
        var toPath = Locate(directories, toName) ?? throw new CtlException($"could not locate service file for target service '{toName}'");
        var to = new Target(toName, toPath, ReadDescription(toPath, "read"));
        var fromName = o.From ?? DescriptionLines.EnableVia(to.Text, () => Malformed(toName)) ?? "boot";
        var fromPath = Locate(directories, fromName) ?? throw new CtlException($"could not locate service file for service '{fromName}'");
        var link = LinkPath(fromName, fromPath, ReadDescription(fromPath, "read"), to, _ => null);
        if (enabling && Exists(link.Path)) throw new CtlException("service already enabled.");
        ChangeLink(context, enabling, link, to.File, online: false);
        context.Info($"Service '{toName}' has been {(enabling ? "enabled" : "disabled")}.");
        return 0;
    }

    private static string Malformed(string to) => $"error loading {to}: '@meta enable-via' argument missing or malformed";

    private static Func<string, string?> DaemonEnvironment(ControlConnection connection)
    {
        if (connection.ServerVersion < 4) return _ => null;
        connection.Send(ControlRequests.GetAllEnv());
        var reply = connection.ReadReply();
        if (reply[0] != (byte)ReplyCode.AllEnvironment) throw new CtlException("protocol error.");
        var values = new Dictionary<string, string>();
        foreach (var entry in ControlReplies.AllEnvironment(reply))
        {
            var equals = entry.IndexOf('=');
            if (equals > 0) values[entry[..equals]] = entry[(equals + 1)..];
        }
        return name => values.GetValueOrDefault(name);
    }

    private static string? Locate(IEnumerable<string> directories, string name)
    {
        var baseName = name.Split('@', 2)[0];
        return directories.Select(d => Path.Combine(d, baseName)).FirstOrDefault(File.Exists);
    }

    private static string ReadDescription(string path, string verb)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CtlException($"could not {verb} service description file '{path}': {Describe(e)}");
        }
    }

    private static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => Libc.StrError(2),
        UnauthorizedAccessException => Libc.StrError(13),
        _ => e.Message,
    };

    private sealed record Link(string Path, string Directory);

    /// <summary>Checks FROM's description (ctl.md §9 step 6) and computes the link path (step 7).</summary>
    private static Link LinkPath(string fromName, string fromFile, string fromText, Target to, Func<string, string?> environment)
    {
        var waitsForDirs = new List<string>();
        foreach (var setting in DescriptionLines.Settings(fromText))
        {
            if (setting.Name is "waits-for" or "depends-on" or "depends-ms" && setting.Value == to.Name)
                throw new CtlException($"there is a fixed dependency to service '{to.Name}' in the service description of '{fromName}'.");
            if (setting.Name == "waits-for.d") waitsForDirs.Add(DescriptionLines.Substitute(setting.Value, environment));
        }
        if (waitsForDirs.Count > 1) throw new CtlException($"service '{fromName}' has multiple waits-for.d directories specified in service description");
        if (waitsForDirs.Count == 0) throw new CtlException($"service '{fromName}' has no waits-for.d directory specified");
        var directory = Path.Combine(Path.GetDirectoryName(fromFile) ?? ".", waitsForDirs[0]);
        return new Link(Path.Combine(directory, to.Name), directory);
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget != null;

    private static void ChangeLink(CtlContext context, bool enabling, Link link, string toFile, bool online)
    {
        var failed = (enabling ? Libc.symlink(LinkTarget(link.Directory, toFile), link.Path) : Libc.unlink(link.Path)) != 0;
        if (!failed) return;
        var errno = Libc.Errno;
        var message = enabling
            ? $"could not create symlink at {link.Path}: {Libc.StrError(errno)}"
            : $"could not unlink dependency entry {link.Path}: {Libc.StrError(errno)}";
        if (online)
            message += $"\n{context.Program}: note: service was {(enabling ? "enabled" : "disabled")} for now; persistent {(enabling ? "enable" : "disable")} failed.";
        throw new CtlException(message);
    }

    /// <summary>Relative (<c>../rest</c>) when TO's file lies under the waits-for.d directory's parent, else TO's absolute path.</summary>
    private static string LinkTarget(string waitsForDirectory, string toFile)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(waitsForDirectory)) ?? "/";
        var full = Path.GetFullPath(toFile);
        var prefix = parent.EndsWith('/') ? parent : parent + "/";
        return full.StartsWith(prefix, StringComparison.Ordinal) ? "../" + full[prefix.Length..] : full;
    }
}
