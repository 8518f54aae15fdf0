using System.Text;
using Sharptrace.Kernel;

namespace Sharptrace.Tracing.Ftrace;

/// <summary>
/// Reads and writes tracefs control files under one root (the top level or an instance). A write the
/// kernel rejects becomes a <see cref="TraceFsWriteException"/> carrying the kernel's error_log entry.
/// </summary>
public sealed class TraceFsFiles(string root)
{
    /// <summary>The folder (tracefs root or instances/NAME).</summary>
    public string Root { get; } = root;

    /// <summary>The full path of <paramref name="relative"/>.</summary>
    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Whether the file exists.</summary>
    public bool Exists(string relative) => File.Exists(PathOf(relative));

    /// <summary>
    /// Whether the file exists and the kernel lets us open it. The function tracer's files
    /// (set_ftrace_filter, set_graph_function…) can exist yet refuse every open with EPERM, as on a
    /// kernel whose ftrace was disabled at boot: callers that merely look or reset skip those.
    /// </summary>
    public bool IsUsable(string relative)
    {
        try
        {
            using var handle = File.OpenHandle(PathOf(relative));
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The file's text (empty when it does not exist).</summary>
    public string Read(string relative)
    {
        try { return File.ReadAllText(PathOf(relative)); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return ""; }
    }

    /// <summary>Writes <paramref name="value"/>, replacing the file's list (O_TRUNC) or appending to it.</summary>
    public unsafe void Write(string relative, string value, bool append = false)
    {
        var path = PathOf(relative);
        var fd = FtraceNative.Open(path, FtraceNative.WriteOnly | FtraceNative.CloseOnExec | (append ? FtraceNative.Append : FtraceNative.Truncate), 0);
        if (fd < 0)
        {
            var errno = FtraceNative.LastErrno;
            if (errno == Errno.ENOENT) throw new FileNotFoundException($"{path} does not exist on this kernel", path);
            throw KernelException.For($"open({path})", errno, Capability.SysAdmin);
        }
        try
        {
            var hasLog = Exists("error_log");
            if (hasLog && !append) TryClearErrorLog();
            var bytes = Encoding.UTF8.GetBytes(value);
            if (bytes.Length == 0) return; // opening with O_TRUNC already cleared the list
            fixed (byte* p = bytes)
            {
                if (FtraceNative.Write(fd, p, (nuint)bytes.Length) < 0)
                {
                    var errno = FtraceNative.LastErrno;
                    throw new TraceFsWriteException(relative, value, errno, hasLog ? LastErrorLogEntry() : null);
                }
            }
        }
        finally
        {
            FtraceNative.Close(fd);
        }
    }

    /// <summary>The last entry of error_log (its header line, command and caret), or null when empty.</summary>
    public string? LastErrorLogEntry()
    {
        var lines = Read("error_log").Split('\n');
        // Entries start with "[ timestamp] "; the last one runs to the end.
        var start = Array.FindLastIndex(lines, l => l.StartsWith('['));
        return start < 0 ? null : string.Join('\n', lines[start..]).TrimEnd();
    }

    private void TryClearErrorLog()
    {
        try { File.WriteAllText(PathOf("error_log"), ""); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
