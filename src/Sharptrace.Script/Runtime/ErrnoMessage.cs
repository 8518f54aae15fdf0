using System.Globalization;
using Sharptrace.Kernel;

namespace Sharptrace.Script.Runtime;

/// <summary>strerror(errno) as bpftrace prints it: glibc's strerror(3) text.</summary>
internal static class ErrnoMessage
{
    /// <summary>glibc knows 1..133, without the aliases 41 and 58; other values are "Unknown error N".</summary>
    private const long LastGlibcErrno = 133;

    public static string Text(long errno)
    {
        if (errno == 0) return "Success";
        // EHWPOISON is newer than the errno table the kernel layer is generated from.
        if (errno == 133) return "Memory page has hardware error";
        if (errno is > 0 and <= LastGlibcErrno && Enum.IsDefined((Errno)errno)) return ErrnoText.Describe((Errno)errno);
        return "Unknown error " + errno.ToString(CultureInfo.InvariantCulture);
    }
}
