using System.Text;
using Tinyinit.Daemon.Os;
using Tinyinit.Daemon.Output;

namespace Tinyinit.Daemon.Tests;

/// <summary>The hand-over section "logs": what a successor needs to take every output pipe over.</summary>
public class OutputHandOverSectionTests
{
    [Test]
    public void APlannedHandOverCarriesDescriptorsAndBufferAndTheCrashRecordOnlyTheKeys()
    {
        using var loop = new EventLoop(e => throw e);
        using var buffered = ServiceOutput.Create("web", OutputKind.Buffer, 64, loop, null, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, out _)!;
        using var piped = ServiceOutput.Create("producer", OutputKind.Pipe, 0, loop, null, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, out _)!;
        buffered.Buffer!.Append("hello\n"u8);

        var planned = OutputHandOverSection.Decode(OutputHandOverSection.Encode([buffered, piped], withDescriptors: true))!;
        Assert.That(planned.Select(e => (e.Name, e.Kind, e.ReadFd, e.WriteFd, e.BufferCapacity)), Is.EqualTo(new[]
        {
            ("web", OutputKind.Buffer, buffered.ReadFd, buffered.WriteFd, 64),
            ("producer", OutputKind.Pipe, piped.ReadFd, piped.WriteFd, 0),
        }));
        Assert.That(Encoding.ASCII.GetString(planned[0].Buffered), Is.EqualTo("hello\n"));

        var crash = OutputHandOverSection.Decode(OutputHandOverSection.Encode([buffered, piped], withDescriptors: false))!;
        Assert.That(crash.Select(e => (e.ReadFd, e.WriteFd, e.FileFd, e.Buffered.Length)), Is.All.EqualTo((-1, -1, -1, 0)));
        Assert.That(crash.Select(e => (e.ReadKey, e.WriteKey)), Is.All.EqualTo((-1, -1)), "nothing parked without tinyinit");
    }

    [Test]
    public void AnUnknownVersionOrADamagedPayloadIsNotMisread()
    {
        Assert.That(OutputHandOverSection.Decode([2, 0, 0, 0, 0]), Is.Null);
        Assert.That(OutputHandOverSection.Decode([1, 1, 0, 0, 0, 3, (byte)'w']), Is.Null);
    }
}
