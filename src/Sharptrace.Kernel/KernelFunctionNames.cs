namespace Sharptrace.Kernel;

/// <summary>
/// Whether a kernel function exists, from /proc/kallsyms: lets a failed kprobe say "no such
/// function" apart from "exists but cannot be probed" (blacklisted, notrace), which the kernel
/// reports with the same errno.
/// </summary>
public static class KernelFunctionNames
{
    /// <summary>
    /// True when /proc/kallsyms lists <paramref name="name"/> as a text symbol (of vmlinux or a
    /// module), false when it does not, null when kallsyms cannot be read.
    /// </summary>
    /// <remarks>Scans the whole file (some 100k lines): for error paths, not for every attach.</remarks>
    public static bool? Exists(string name)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/kallsyms"))
            {
                // "ffffffff8bb4a350 t do_sys_openat2" or "... t name\t[module]"
                var span = line.AsSpan();
                var first = span.IndexOf(' ');
                if (first < 0 || first + 3 > span.Length || span[first + 2] != ' ') continue;
                var type = span[first + 1];
                if (type is not ('t' or 'T' or 'w' or 'W')) continue;
                var symbol = span[(first + 3)..];
                var tab = symbol.IndexOf('\t');
                if (tab >= 0) symbol = symbol[..tab];
                if (symbol.SequenceEqual(name)) return true;
            }
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
