using System.Diagnostics;

namespace Tinyinit.Integration.Tests.Harness;

/// <summary>Waits for a condition with a generous deadline: tests assert outcomes, not timing.</summary>
public static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static bool Until(Func<bool> condition, TimeSpan? timeout = null)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < (timeout ?? DefaultTimeout))
        {
            if (condition()) return true;
            Thread.Sleep(50);
        }
        return condition();
    }
}
