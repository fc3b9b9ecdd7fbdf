namespace Tinyinit.Ctl.Client;

/// <summary>A failure that ends the command: <see cref="Message"/> goes to stderr after the program prefix, exit status 1.</summary>
internal sealed class CtlException(string message) : Exception(message);
