using System.Globalization;
using Sharptrace.Kernel;

namespace Sharptrace.Tracing.Ftrace;

/// <summary>
/// A tracefs instance (a private set of buffers, events and tracer) named <c>sharptrace_PID</c>, so we
/// never disturb anyone else's tracing; removed at dispose. Instances left by killed runs (their pid
/// is gone) are removed by <see cref="RemoveStale"/>.
/// </summary>
public sealed class TraceInstance : IDisposable
{
    /// <summary>The prefix of everything sharptrace creates in tracefs.</summary>
    public const string Prefix = "sharptrace_";

    private TraceInstance(string tracefsRoot, string? name)
    {
        TraceFsRoot = tracefsRoot;
        Name = name;
        Files = new TraceFsFiles(name is null ? tracefsRoot : Path.Combine(tracefsRoot, "instances", name));
    }

    /// <summary>The tracefs mount.</summary>
    public string TraceFsRoot { get; }

    /// <summary>The instance name; null for the top-level (global) buffer.</summary>
    public string? Name { get; }

    /// <summary>The control files of this instance.</summary>
    public TraceFsFiles Files { get; }

    /// <summary>Whether this is the top-level buffer (shared with every other tracer user).</summary>
    public bool IsTopLevel => Name is null;

    /// <summary>The top-level buffer: nothing is created or removed.</summary>
    public static TraceInstance TopLevel(string tracefsRoot) => new(tracefsRoot, null);

    /// <summary>Creates instances/sharptrace_PID (after removing stale ones).</summary>
    public static TraceInstance Create(string tracefsRoot, int? pid = null)
    {
        RemoveStale(tracefsRoot);
        var name = Prefix + (pid ?? Environment.ProcessId).ToString(CultureInfo.InvariantCulture);
        var path = Path.Combine(tracefsRoot, "instances", name);
        if (!Directory.Exists(Path.Combine(tracefsRoot, "instances")))
            throw new TraceFsUnavailableException("this kernel's tracefs has no instances folder (Linux 3.16 or later is needed)");
        if (FtraceNative.MakeDirectory(path, 0x1ed) != 0)
        {
            var errno = FtraceNative.LastErrno;
            if (errno != Errno.EEXIST) throw KernelException.For($"mkdir({path})", errno, Capability.SysAdmin);
        }
        return new TraceInstance(tracefsRoot, name);
    }

    /// <summary>Removes instances named sharptrace_PID whose process is gone; returns their names.</summary>
    public static List<string> RemoveStale(string tracefsRoot)
    {
        var removed = new List<string>();
        var folder = Path.Combine(tracefsRoot, "instances");
        if (!Directory.Exists(folder)) return removed;
        foreach (var path in Directory.EnumerateDirectories(folder, Prefix + "*"))
        {
            var name = Path.GetFileName(path);
            if (!int.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (Directory.Exists($"/proc/{pid}")) continue;
            if (FtraceNative.RemoveDirectory(path) == 0) removed.Add(name);
        }
        return removed;
    }

    /// <summary>The number of CPUs with a per_cpu folder.</summary>
    public IReadOnlyList<int> Cpus() =>
        Directory.EnumerateDirectories(Files.PathOf("per_cpu"), "cpu*")
            .Select(d => int.TryParse(Path.GetFileName(d).AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1)
            .Where(n => n >= 0).Order().ToList();

    /// <summary>Removes the instance (a no-op for the top level). Retries briefly: a just-closed reader can keep it busy.</summary>
    public void Dispose()
    {
        if (Name is null) return;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (FtraceNative.RemoveDirectory(Files.Root) == 0) return;
            var errno = FtraceNative.LastErrno;
            if (errno == Errno.ENOENT) return;
            if (errno != Errno.EBUSY) throw KernelException.For($"rmdir({Files.Root})", errno, Capability.SysAdmin);
            Thread.Sleep(20);
        }
        throw new KernelException($"rmdir({Files.Root})", Errno.EBUSY, "the instance is still in use");
    }
}
