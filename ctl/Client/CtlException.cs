namespace Tinyinit.Ctl.Client;

/// <summary>A failure that ends the command: <see cref="Message"/> goes to stderr after the program prefix, exit status 1.</summary>
internal sealed class CtlException(string message, int readErrno = 0) : Exception(message)
{
    /// <summary>The errno of a failed read(2), 0 for other failures (the wait after an ACK reports it differently).</summary>
    public int ReadErrno { get; } = readErrno;
}
