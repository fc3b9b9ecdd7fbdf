using Tinyinit.Integration.Tests.Harness;
using Tinyinit.Protocol.Control;

namespace Tinyinit.Integration.Tests.EndToEnd;

/// <summary>
/// control-protocol.md, "Process launches complete asynchronously": the outcome of a launch
/// follows the reply to the START that caused it, so a client that waits like the reference
/// dinitctl never hangs, and dinitctl/tinyctl print the texts of ctl.md §3.3–§3.4.
/// </summary>
[TestFixture, NonParallelizable]
public class LaunchOutcomeOrderTests
{
    private static readonly Dictionary<string, string> Services = new()
    {
        ["boot"] = "type = internal\n",
        ["web"] = "type = process\ncommand = /bin/sleep 1004\n",
        ["bad"] = "type = process\ncommand = /nonexistent/tinyinit-test-command\n",
    };

    private static readonly TimeSpan ClientPatience = TimeSpan.FromSeconds(10);

    [Test]
    public void AStartedProcessServiceIsAcknowledgedThenReportedStarted()
    {
        using var manager = StandaloneManager.Start(Services).WaitReady();
        using var client = new ReferenceStyleClient(manager.SocketPath, ClientPatience);
        var handle = client.Load("web");

        Assert.That(client.Start(handle), Is.EqualTo(ReplyCode.Ack), string.Join(", ", client.Received));
        Assert.That(client.WaitForStartOutcome(handle), Is.EqualTo(ServiceEventCode.Started));
        Assert.That(client.Received.IndexOf("Ack"), Is.LessThan(client.Received.FindIndex(p => p.EndsWith(" Started"))));
    }

    [Test]
    public void AnExecFailureIsAcknowledgedThenReportedAsFailedStartThenStopped()
    {
        using var manager = StandaloneManager.Start(Services).WaitReady();
        using var client = new ReferenceStyleClient(manager.SocketPath, ClientPatience);
        var handle = client.Load("bad");

        Assert.That(client.Start(handle), Is.EqualTo(ReplyCode.Ack), string.Join(", ", client.Received));
        Assert.That(client.WaitForStartOutcome(handle), Is.EqualTo(ServiceEventCode.FailedStart));
        Assert.That(client.Received.SkipWhile(p => p != "Ack").Skip(1).Where(p => p.StartsWith("ServiceEvent5")),
            Is.EqualTo(new[] { "ServiceEvent5 FailedStart" }).Or.EqualTo(new[] { "ServiceEvent5 FailedStart", "ServiceEvent5 Stopped" }));
    }

    [TestCase("tinyctl")]
    [TestCase("dinitctl")]
    public void CtlStartOfAProcessServiceWaitsForItAndNamesIt(string program)
    {
        using var manager = StandaloneManager.Start(Services).WaitReady();

        var result = RunAs(manager, program, "start", "web");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdOut, Is.EqualTo("Service 'web' started.\n"));
        Assert.That(result.StdErr, Is.Empty);
    }

    [TestCase("tinyctl")]
    [TestCase("dinitctl")]
    public void CtlStartOfAServiceWhoseCommandDoesNotExistReportsTheExecFailure(string program)
    {
        using var manager = StandaloneManager.Start(Services).WaitReady();

        var result = RunAs(manager, program, "start", "bad");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StdOut, Is.EqualTo(
            "Service 'bad' failed to start.\n" +
            "Reason: execution of service process failed:\n" +
            "        Stage: executing command\n" +
            "        Error: No such file or directory\n"));
    }

    /// <summary>Runs tinyctl, or tinyctl under the name dinitctl (a symlink, as installed).</summary>
    private static CommandResult RunAs(StandaloneManager manager, string program, params string[] args)
    {
        var path = Binaries.Path_("tinyctl");
        if (program != "tinyctl")
        {
            path = Path.Combine(manager.WorkDir, program);
            if (!File.Exists(path)) File.CreateSymbolicLink(path, Binaries.Path_("tinyctl"));
        }
        return CommandResult.Run(path, new[] { "-p", manager.SocketPath }.Concat(args), TimeSpan.FromSeconds(20));
    }
}
