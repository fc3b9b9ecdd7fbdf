namespace Tinyinit.Integration.Tests.Harness;

/// <summary>The python3 interpreter, by absolute path (services run with the manager's PATH, which may not find it).</summary>
public static class Python
{
    private static readonly Lazy<string?> Found = new(() =>
    {
        try
        {
            var r = CommandResult.Run("python3", ["-c", "import sys; print(sys.executable)"], TimeSpan.FromSeconds(20));
            return r.ExitCode == 0 ? r.StdOut.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    });

    /// <summary>The interpreter's path; the test is ignored when there is none.</summary>
    public static string Path
    {
        get
        {
            if (Found.Value is not { Length: > 0 } path) Assert.Ignore("python3 is not installed: the test's service is a Python script");
            return Found.Value!;
        }
    }
}
