using System.Text.Encodings.Web;
using System.Text.Json;
using Tinyinit.Native;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Ctl.Render;

/// <summary>
/// The documented <c>--json</c> output (tinyctl.8, "JSON OUTPUT"), written with Utf8JsonWriter:
/// no reflection, AOT-safe. Field names are stable; new fields may be added, none removed.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Runs <paramref name="write"/> against a writer and returns the document plus a newline.</summary>
    public static string Document(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options)) write(writer);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>The fields every service object has (list entries, status).</summary>
    public static void ServiceFields(Utf8JsonWriter w, string name, in ServiceStatus s)
    {
        w.WriteString("name", name);
        w.WriteString("state", StatusText.StateWord(s.State));
        w.WriteString("target", StatusText.StateWord(s.Target));
        w.WriteBoolean("explicitlyActivated", s.ExplicitlyActivated);
        w.WriteBoolean("startSkipped", s.StartSkipped);
        w.WriteBoolean("holdsConsole", s.HoldsConsole);
        w.WriteBoolean("waitingForConsole", s.WaitingForConsole);
        if (s.HasPid) w.WriteNumber("pid", s.Pid);
        else w.WriteNull("pid");
        w.WriteString("stopReason", StatusText.StopReasonName(s.StopReason));
        w.WriteBoolean("failed", s.IsFailedForList);
        WriteExit(w, s);
        WriteExecFailure(w, s);
    }

    private static void WriteExit(Utf8JsonWriter w, in ServiceStatus s)
    {
        if (s.HasPid || s.StopReason == StopReason.ExecFailed || s.ExitCode is < 1 or > 3)
        {
            w.WriteNull("exit");
            return;
        }
        w.WriteStartObject("exit");
        w.WriteString("how", s.ExitCode switch { ServiceStatus.ExitCodeExited => "exited", ServiceStatus.ExitCodeKilled => "killed", _ => "dumped" });
        w.WriteNumber(s.ExitCode == ServiceStatus.ExitCodeExited ? "status" : "signal", s.ExitStatus);
        w.WriteEndObject();
    }

    private static void WriteExecFailure(Utf8JsonWriter w, in ServiceStatus s)
    {
        if (s.StopReason != StopReason.ExecFailed || s.HasPid)
        {
            w.WriteNull("execFailure");
            return;
        }
        w.WriteStartObject("execFailure");
        w.WriteNumber("stage", s.ExecStage);
        w.WriteString("stageText", ExecStage.Describe(s.ExecStage));
        w.WriteNumber("errno", s.ExecErrno);
        w.WriteString("error", Libc.StrError(s.ExecErrno));
        w.WriteEndObject();
    }
}
