namespace Tinyinit.Daemon;

/// <summary>REEXECINIT (<c>tinyctl reexec-init</c>): passed on to PID 1 over the init link.</summary>
internal sealed partial class ServiceManager
{
    private string? RequestReexecInit(string? path)
    {
        if (_link?.IsOpen != true) return "the manager is not running under tinyinit (no init link)";
        if (path != null && !Path.IsPathRooted(path)) return $"'{path}' is not an absolute path";
        if (path != null && !File.Exists(path)) return $"'{path}' does not exist";
        if (path == null) LifecycleLog.AskingInitToReexecItself(_lifecycleLog);
        else LifecycleLog.AskingInitToReexec(_lifecycleLog, path);
        return _link.SendReexecInit(path) ? null : "cannot write to the init link";
    }
}
