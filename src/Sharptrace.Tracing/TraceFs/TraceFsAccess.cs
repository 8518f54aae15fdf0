using Sharptrace.Kernel;

namespace Sharptrace.Tracing.TraceFs;

/// <summary>
/// tracefs is mode 0700 root: a user without privileges sees the mount but can open nothing in it.
/// Checked once, up front, so that such a user gets one line saying what is missing, instead of a
/// denied open deep in a command, which some callers would even misread as a missing kernel
/// feature (Directory.Exists is false for a folder one cannot look into).
/// </summary>
public static class TraceFsAccess
{
    /// <summary>Returns <paramref name="root"/> when its entries can be listed; else throws <see cref="TraceFsUnavailableException"/>.</summary>
    public static string Require(string root)
    {
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(root).GetEnumerator();
            entries.MoveNext();
        }
        catch (UnauthorizedAccessException)
        {
            throw new TraceFsUnavailableException(DeniedMessage(root));
        }
        return root;
    }

    /// <summary>The one line for a user who may not use tracefs at <paramref name="root"/>.</summary>
    public static string DeniedMessage(string root) =>
        $"permission denied on tracefs ({root}): tracing needs root (CAP_SYS_ADMIN), or tracefs opened to your user";
}
