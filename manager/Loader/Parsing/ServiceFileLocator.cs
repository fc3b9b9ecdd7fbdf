using Tinyinit.Native;
namespace Tinyinit.Loader;

/// <summary>The result of looking a service's file up: parsed, not found, or an error diagnostic.</summary>
internal sealed record LocatedService(ParsedService? Parsed, bool NotFound, Diagnostic? Error);

/// <summary>
/// Finds <c>&lt;dir&gt;/&lt;base&gt;</c> along the search path (service-files.md §2.1) and parses it.
/// ENOENT moves on to the next directory; another open error is remembered and reported only if
/// no directory has the file; a file that opens but cannot be read (a directory) fails at once.
/// </summary>
internal static class ServiceFileLocator
{
    public const string NotFoundMessage = "service description not found.";

    public static LocatedService Locate(string fullName, LoaderOptions options, bool collectAll)
    {
        var baseName = ServiceName.Split(fullName).BaseName;
        string? firstErrorPath = null;
        var firstErrno = 0;
        foreach (var directory in options.ServiceDirectories)
        {
            var path = directory.EndsWith('/') ? directory + baseName : directory + "/" + baseName;
            var read = FileReader.ReadAll(path, options.IsSpecialFile);
            if (read.Text != null)
                return new LocatedService(DescriptionParser.Parse(fullName, path, directory, read.Text, options, collectAll), false, null);
            if (!read.OpenFailed)
                return new LocatedService(null, false, new Diagnostic($"{path}: {read.ErrorText}", DiagnosticForm.ReadError,
                    File: path, IsLoadError: true, CheckerMessage: read.ErrorText));
            if (read.Errno == Libc.ENOENT) continue;
            if (firstErrorPath == null)
            {
                firstErrorPath = path;
                firstErrno = read.Errno;
            }
        }
        if (firstErrorPath != null)
            return new LocatedService(null, false, new Diagnostic($"{firstErrorPath}: {FileReader.StrError(firstErrno)}",
                DiagnosticForm.Final, IsLoadError: true));
        return new LocatedService(null, true, new Diagnostic(NotFoundMessage, DiagnosticForm.Final, IsLoadError: true));
    }
}
