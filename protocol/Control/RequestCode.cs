namespace Tinyinit.Protocol.Control;

/// <summary>First byte of a client→server packet (control-protocol.md §6.1). Codes 30–255 are invalid requests,
/// except tinyinit's own codes from 200 up (protocol/Control/README.md), which no reference client sends.</summary>
public enum RequestCode : byte
{
    QueryVersion = 0,
    FindService = 1,
    LoadService = 2,
    StartService = 3,
    StopService = 4,
    WakeService = 5,
    ReleaseService = 6,
    UnpinService = 7,
    ListServices = 8,
    UnloadService = 9,
    Shutdown = 10,
    AddDep = 11,
    RemDep = 12,
    QueryLoadMech = 13,
    EnableService = 14,
    QueryServiceName = 15,
    ReloadService = 16,
    SetEnv = 17,
    ServiceStatus = 18,
    SetTrigger = 19,
    CatLog = 20,
    Signal = 21,
    QueryServiceDscDir = 22,
    CloseHandle = 23,
    GetAllEnv = 24,
    ListServices5 = 25,
    ServiceStatus5 = 26,
    ListenEnv = 27,
    ServiceStatus6 = 28,
    EnableServiceV7 = 29,
    /// <summary>tinyinit only: planned manager hand-over (re-exec in place), optional executable path.</summary>
    RestartManager = 200,
    /// <summary>tinyinit only: the manager's own status (generation, start time); no payload.</summary>
    ManagerStatus = 201,
    /// <summary>tinyinit only: re-execute PID 1 in place (forwarded over the init link), optional executable path.</summary>
    ReexecInit = 202,
    /// <summary>tinyinit only: a service's sd_notify STATUS= text; u32 handle.</summary>
    NotifyStatus = 203,
    /// <summary>tinyinit only: the manager closes and reopens a service's log file (log rotation); a service handle follows.</summary>
    ReopenLog = 204,
}
