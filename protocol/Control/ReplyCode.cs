namespace Tinyinit.Protocol.Control;

/// <summary>First byte of a server→client reply (control-protocol.md §6.2).</summary>
public enum ReplyCode : byte
{
    Ack = 50,
    Nak = 51,
    BadRequest = 52,
    OutOfMemory = 53,
    CpVersion = 58,
    ServiceRecord = 59,
    NoService = 60,
    AlreadyInState = 61,
    ServiceInfo = 62,
    ListDone = 63,
    LoaderMech = 64,
    Dependents = 65,
    ServiceName = 66,
    PinnedStopped = 67,
    PinnedStarted = 68,
    ShuttingDown = 69,
    ServiceStatus = 70,
    ServiceDescriptionError = 71,
    ServiceLoadError = 72,
    ServiceLog = 73,
    SignalNoPid = 74,
    SignalBadSignal = 75,
    SignalKillError = 76,
    ServiceDescriptionDirectory = 77,
    AllEnvironment = 78,
    PreAck = 79,
    /// <summary>tinyinit only: RESTARTMANAGER refused; u16 length and a UTF-8 reason follow.</summary>
    HandOverRefused = 90,
    /// <summary>tinyinit only: reply to MANAGERSTATUS (fixed length, see <see cref="ManagerStatusInfo"/>).</summary>
    ManagerStatus = 91,
    /// <summary>tinyinit only: REEXECINIT refused; u16 length and a UTF-8 reason follow.</summary>
    ReexecInitRefused = 92,
    /// <summary>tinyinit only: the peer may not make this request (or connect at all); u16 length and a UTF-8 reason follow.</summary>
    NotPermitted = 93,
    /// <summary>tinyinit only: reply to NOTIFYSTATUS; u16 length and the UTF-8 status text follow (length 0: none).</summary>
    NotifyStatus = 94,
    /// <summary>tinyinit only: REOPENLOG could not open the log file; u16 length and a UTF-8 reason follow.</summary>
    LogReopenFailed = 95,
}
