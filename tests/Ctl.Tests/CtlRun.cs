using System.Text;

namespace Tinyinit.Ctl.Tests;

/// <summary>The outcome of one tinyctl invocation run in-process.</summary>
internal sealed record CtlResult(int ExitCode, string Stdout, string Stderr);

internal static class CtlRun
{
    /// <summary>Runs tinyctl's entry point as if invoked under <paramref name="name"/> with the given environment.</summary>
    public static CtlResult Invoke(string name, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var raw = new MemoryStream();
        var env = environment ?? new Dictionary<string, string>();
        var code = Entry.Run(args, name, stdout, stderr, raw, key => env.TryGetValue(key, out var v) ? v : null);
        stdout.Flush();
        var rawText = Encoding.UTF8.GetString(raw.ToArray());
        return new CtlResult(code, stdout.ToString() + rawText, stderr.ToString());
    }

    public static CtlResult Tinyctl(params string[] args) => Invoke("tinyctl", null, args);

    /// <summary>tinyctl -p SERVER …</summary>
    public static CtlResult Against(FakeServer server, params string[] args) => Invoke("tinyctl", null, ["-p", server.Path, .. args]);
}
