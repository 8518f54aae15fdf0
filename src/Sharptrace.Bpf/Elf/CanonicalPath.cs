namespace Sharptrace.Bpf.Elf;

/// <summary>
/// A path with every symbolic link resolved, in every component (as realpath(3)): the way the
/// kernel names a mapped file in /proc/PID/maps, so that <c>/lib/x86_64-linux-gnu/libc.so.6</c>
/// compares equal to the <c>/usr/lib/x86_64-linux-gnu/libc.so.6</c> a merged-/usr system maps.
/// </summary>
public static class CanonicalPath
{
    /// <summary>More links than this in one resolution is a loop (the kernel's limit, MAXSYMLINKS).</summary>
    private const int MaxLinks = 40;

    /// <summary>The canonical form of <paramref name="path"/>; components that do not exist are kept as written.</summary>
    public static string Of(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    private static string Resolve(string full, ref int links)
    {
        var result = "/";
        foreach (var part in full.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(result, part);
            string? target;
            try { target = new FileInfo(next).LinkTarget; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { target = null; }
            if (target is not null && ++links <= MaxLinks)
                // A relative target is relative to the link's directory, which is already canonical.
                next = Resolve(Path.GetFullPath(target, result), ref links);
            result = next;
        }
        return result;
    }
}
