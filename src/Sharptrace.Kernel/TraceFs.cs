namespace Sharptrace.Kernel;

/// <summary>
/// Finds tracefs: from /proc/mounts (tracefs itself, else debugfs/tracing), mounting it at
/// /sys/kernel/tracing when it is absent and we are root, since these machines boot without it.
/// </summary>
public static class TraceFs
{
    private static string? root;
    private static readonly Lock Gate = new();

    /// <summary>The tracefs root, mounting it if needed. Throws <see cref="TraceFsUnavailableException"/> with what to do.</summary>
    public static string Root
    {
        get
        {
            lock (Gate) return root ??= Locate(mountIfMissing: true)!;
        }
    }

    /// <summary>The tracefs root if it is mounted, without mounting anything.</summary>
    public static string? FindMounted() => Locate(mountIfMissing: false);

    /// <summary>A path under the tracefs root.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>The id of tracepoint <paramref name="category"/>:<paramref name="name"/>, read from events/…/id.</summary>
    public static int TracepointId(string category, string name)
    {
        var path = PathOf($"events/{category}/{name}/id");
        try
        {
            return int.Parse(File.ReadAllText(path).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (FileNotFoundException) { throw new TracepointNotFoundException(category, name); }
        catch (DirectoryNotFoundException) { throw new TracepointNotFoundException(category, name); }
    }

    private static string? Locate(bool mountIfMissing)
    {
        string? debugfs = null;
        foreach (var line in File.ReadLines("/proc/mounts"))
        {
            var parts = line.Split(' ');
            if (parts.Length < 3) continue;
            var mountPoint = parts[1].Replace("\\040", " ", StringComparison.Ordinal);
            if (parts[2] == "tracefs") return mountPoint;
            if (parts[2] == "debugfs") debugfs = mountPoint;
        }
        if (debugfs is not null && Directory.Exists(Path.Combine(debugfs, "tracing/events")))
            return Path.Combine(debugfs, "tracing");
        if (!mountIfMissing) return null;

        const string target = "/sys/kernel/tracing";
        if (!Syscall.IsRoot || !Capabilities.Has(Capability.SysAdmin))
            throw new TraceFsUnavailableException($"tracefs is not mounted and mounting it needs root (CAP_SYS_ADMIN): run as root, or mount it with 'mount -t tracefs nodev {target}'");
        if (!Directory.Exists(target))
            throw new TraceFsUnavailableException($"tracefs is not mounted and {target} does not exist: this kernel has no CONFIG_TRACING");
        try
        {
            Syscall.Mount("nodev", target, "tracefs");
        }
        catch (KernelException e)
        {
            throw new TraceFsUnavailableException($"tracefs is not mounted and mounting it at {target} failed: {e.Errno} ({ErrnoText.Describe(e.Errno)})");
        }
        return target;
    }
}

/// <summary>tracefs is not available; the message says why and what to do.</summary>
public sealed class TraceFsUnavailableException(string message) : Exception(message);

/// <summary>A tracepoint name that tracefs does not list.</summary>
public sealed class TracepointNotFoundException(string category, string name)
    : Exception($"tracepoint {category}:{name} does not exist on this kernel (see 'sharptrace list tracepoint:{category}:*')")
{
    /// <summary>The tracepoint's category (system).</summary>
    public string Category { get; } = category;

    /// <summary>The tracepoint's name.</summary>
    public string Name { get; } = name;
}
