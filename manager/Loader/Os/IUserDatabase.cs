namespace Tinyinit.Loader;

/// <summary>One password-database entry.</summary>
public sealed record PasswdEntry(string Name, int Uid, int Gid, string Home, string Shell);

/// <summary>
/// The password and group databases and the manager's own ids, as the loader needs them
/// (run-as, socket-uid/gid, logfile-uid/gid, export-passwd-vars, user-mode HOME fallback).
/// An interface so tests can supply a fixed database.
/// </summary>
public interface IUserDatabase
{
    PasswdEntry? UserByName(string name);
    PasswdEntry? UserById(int uid);
    /// <summary>The gid of the named group, or null when there is no such group.</summary>
    int? GroupByName(string name);
    int RealUid { get; }
    int RealGid { get; }
    int EffectiveUid { get; }
    /// <summary>Home directory of the real uid from the password database (user-mode fallback).</summary>
    string? HomeOfRealUser() => UserById(RealUid)?.Home;
}
