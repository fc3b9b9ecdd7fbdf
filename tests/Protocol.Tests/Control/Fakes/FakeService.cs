using Tinyinit.Protocol.Control;

namespace Tinyinit.Protocol.Tests.Control.Fakes;

/// <summary>A service of the fake backend: its status is what tests set, its behaviour a few switches.</summary>
public sealed class FakeService(string name)
{
    public string Name { get; set; } = name;
    public ServiceStatus Status { get; set; } = new(ServiceState.Stopped, ServiceState.Stopped);
    public string? Directory { get; set; } = "/etc/tinyinit.d";

    /// <summary>Starts/stops complete within the request (internal service) instead of later.</summary>
    public bool Synchronous { get; set; }

    /// <summary>When set, the next start fails with this status instead of reaching STARTED.</summary>
    public ServiceStatus? FailStartWith { get; set; }

    public bool PinnedStopped { get; set; }

    /// <summary>Release leaves it running: started dependents still need it.</summary>
    public bool RequiredByDependents { get; set; }
    public bool PinnedStarted { get; set; }
    public bool Triggered { get; set; }
    public bool TriggerValue { get; set; }
    public byte[]? Log { get; set; }
    /// <summary>REOPENLOG's answer: null (no log file), or whether the reopen worked, with the reason it did not.</summary>
    public (bool Reopened, string Reason)? LogFile { get; set; }
    public int Pid { get; set; } = 4242;
    /// <summary>What NOTIFYSTATUS answers (the service's sd_notify STATUS= text).</summary>
    public string NotifyStatus { get; set; } = "";
    public List<FakeService> Dependents { get; } = [];
    public List<(FakeService To, DependencyType Type)> Links { get; } = [];
}
