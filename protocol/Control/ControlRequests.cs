using System.Buffers.Binary;
using System.Text;

namespace Tinyinit.Protocol.Control;

/// <summary>Builds request packets for clients (control-protocol.md §6.1), LP64 little-endian.</summary>
public static class ControlRequests
{
    public const byte PinFlag = 0x01;
    public const byte GentleFlag = 0x02;
    public const byte RestartFlag = 0x04;
    public const byte PreAckFlag = 0x80;

    public static byte[] QueryVersion() => [(byte)RequestCode.QueryVersion];

    public static byte[] FindService(string name) => WithU16Payload(RequestCode.FindService, Encoding.UTF8.GetBytes(name));

    public static byte[] LoadService(string name) => WithU16Payload(RequestCode.LoadService, Encoding.UTF8.GetBytes(name));

    /// <summary>START/STOP/WAKE/RELEASE: <c>[code][flags][handle]</c>.</summary>
    public static byte[] StateChange(RequestCode code, byte flags, uint handle) => CodeByteHandle(code, flags, handle);

    public static byte[] Unpin(uint handle) => CodeHandle(RequestCode.UnpinService, handle);
    public static byte[] Unload(uint handle) => CodeHandle(RequestCode.UnloadService, handle);
    public static byte[] Reload(uint handle) => CodeHandle(RequestCode.ReloadService, handle);
    public static byte[] CloseHandle(uint handle) => CodeHandle(RequestCode.CloseHandle, handle);
    public static byte[] ListServices(bool v5) => [(byte)(v5 ? RequestCode.ListServices5 : RequestCode.ListServices)];
    public static byte[] Shutdown(ShutdownType type) => [(byte)RequestCode.Shutdown, (byte)type];
    public static byte[] QueryLoadMech() => [(byte)RequestCode.QueryLoadMech];
    public static byte[] QueryServiceName(uint handle) => CodeByteHandle(RequestCode.QueryServiceName, 0, handle);
    public static byte[] QueryServiceDirectory(uint handle) => CodeByteHandle(RequestCode.QueryServiceDscDir, 0, handle);
    public static byte[] GetAllEnv() => [(byte)RequestCode.GetAllEnv, 0];
    public static byte[] ListenEnv() => [(byte)RequestCode.ListenEnv];
    public static byte[] CatLog(uint handle, bool clear) => CodeByteHandle(RequestCode.CatLog, clear ? (byte)1 : (byte)0, handle);

    /// <summary>SERVICESTATUS (1), SERVICESTATUS5 (5) or SERVICESTATUS6 (6).</summary>
    public static byte[] ServiceStatus(uint handle, int statusVersion) => CodeHandle(statusVersion switch
    {
        6 => RequestCode.ServiceStatus6,
        5 => RequestCode.ServiceStatus5,
        _ => RequestCode.ServiceStatus,
    }, handle);

    public static byte[] SetEnv(ReadOnlySpan<byte> assignment) => WithU16Payload(RequestCode.SetEnv, assignment);

    /// <summary>tinyinit's RESTARTMANAGER; an empty path means the manager's own executable.</summary>
    public static byte[] RestartManager(ReadOnlySpan<byte> executablePath) => WithU16Payload(RequestCode.RestartManager, executablePath);

    /// <summary>tinyinit's NOTIFYSTATUS for a handle.</summary>
    public static byte[] NotifyStatus(uint handle)
    {
        var request = new byte[5];
        request[0] = (byte)RequestCode.NotifyStatus;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(1), handle);
        return request;
    }

    /// <summary>tinyinit's MANAGERSTATUS.</summary>
    public static byte[] ManagerStatus() => [(byte)RequestCode.ManagerStatus];
    /// <summary>REEXECINIT (tinyinit): PID 1 re-executes <paramref name="executablePath"/> (empty: its own executable).</summary>
    public static byte[] ReexecInit(ReadOnlySpan<byte> executablePath) => WithU16Payload(RequestCode.ReexecInit, executablePath);
    /// <summary>REOPENLOG (tinyinit): <c>[204][handle]</c>.</summary>
    public static byte[] ReopenLog(uint handle) => CodeHandle(RequestCode.ReopenLog, handle);

    public static byte[] SetTrigger(uint handle, bool value)
    {
        var packet = CodeHandle(RequestCode.SetTrigger, handle, extra: 1);
        packet[5] = value ? (byte)1 : (byte)0;
        return packet;
    }

    public static byte[] Signal(int signal, uint handle)
    {
        var packet = new byte[9];
        packet[0] = (byte)RequestCode.Signal;
        BinaryPrimitives.WriteInt32LittleEndian(packet.AsSpan(1), signal);
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(5), handle);
        return packet;
    }

    /// <summary>ADD_DEP, REM_DEP, ENABLESERVICE, ENABLE_SERVICE_V7: <c>[code][type][from][to]</c>.</summary>
    public static byte[] Dependency(RequestCode code, DependencyType type, uint from, uint to)
    {
        var packet = new byte[10];
        packet[0] = (byte)code;
        packet[1] = (byte)type;
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(2), from);
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(6), to);
        return packet;
    }

    private static byte[] WithU16Payload(RequestCode code, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > ushort.MaxValue) throw new ArgumentException("payload longer than 65535 bytes", nameof(payload));
        var packet = new byte[3 + payload.Length];
        packet[0] = (byte)code;
        BinaryPrimitives.WriteUInt16LittleEndian(packet.AsSpan(1), (ushort)payload.Length);
        payload.CopyTo(packet.AsSpan(3));
        return packet;
    }

    private static byte[] CodeHandle(RequestCode code, uint handle, int extra = 0)
    {
        var packet = new byte[5 + extra];
        packet[0] = (byte)code;
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(1), handle);
        return packet;
    }

    private static byte[] CodeByteHandle(RequestCode code, byte value, uint handle)
    {
        var packet = new byte[6];
        packet[0] = (byte)code;
        packet[1] = value;
        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(2), handle);
        return packet;
    }
}
