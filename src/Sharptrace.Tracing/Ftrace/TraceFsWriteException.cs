namespace Sharptrace.Tracing.Ftrace;

/// <summary>
/// The kernel refused a write to a tracefs file (a bad filter, an unknown function, a busy file).
/// Carries the kernel's own explanation from error_log, with its caret under the bad spot.
/// </summary>
public sealed class TraceFsWriteException(string file, string value, Kernel.Errno errno, string? errorLog)
    : IOException(Describe(file, value, errno, errorLog))
{
    /// <summary>The file written, relative to the tracefs root.</summary>
    public string File { get; } = file;

    /// <summary>The errno of the write.</summary>
    public Kernel.Errno Errno { get; } = errno;

    /// <summary>The kernel's error_log entry for this write, when it wrote one.</summary>
    public string? ErrorLog { get; } = errorLog;

    private static string Describe(string file, string value, Kernel.Errno errno, string? errorLog)
    {
        var head = $"the kernel rejected '{value.Trim()}' in {file}: {errno} ({Kernel.ErrnoText.Describe(errno)})";
        return errorLog is null ? head : head + "\n" + errorLog.TrimEnd();
    }
}
