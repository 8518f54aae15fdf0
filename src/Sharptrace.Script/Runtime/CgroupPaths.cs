using Sharptrace.Script.Semantics;
using Sharptrace.Tracing.Ftrace;

namespace Sharptrace.Script.Runtime;

/// <summary>
/// cgroup_path(id[, filter]) as bpftrace 0.17 prints it: "HIERARCHY:PATH" for each mounted cgroup
/// hierarchy holding a cgroup of that id ("unified" for cgroup v2, first; v1 ones by the name of
/// their mount point, sorted), joined by commas; the filter is a wildcard on the hierarchy name.
/// Like bpftrace, any entry with that inode number counts, so on a hybrid v1/v2 machine a file of
/// a v1 hierarchy can show up beside the v2 cgroup.
/// </summary>
internal static class CgroupPaths
{
    private static readonly Dictionary<(ulong, string), string> Found = [];

    public static string Format(ulong id, string filter)
    {
        var parts = new List<(string Name, string Path)>();
        foreach (var (name, root) in Roots())
        {
            if (!Glob.Matches(filter, name)) continue;
            if (PathIn(id, root) is { } path) parts.Add((name, path));
        }
        parts.Sort((a, b) => a.Name == b.Name ? 0 : a.Name == "unified" ? -1 : b.Name == "unified" ? 1 : string.CompareOrdinal(a.Name, b.Name));
        return string.Join(",", parts.Select(p => p.Name + ":" + p.Path));
    }

    /// <summary>The cgroup mounts of /proc/mounts: (hierarchy name, mount point).</summary>
    private static IEnumerable<(string Name, string Root)> Roots()
    {
        foreach (var line in File.ReadLines("/proc/mounts"))
        {
            var fields = line.Split(' ');
            if (fields.Length < 3 || fields[2] is not ("cgroup" or "cgroup2") || !Directory.Exists(fields[1])) continue;
            yield return (fields[2] == "cgroup2" ? "unified" : Path.GetFileName(fields[1]), fields[1]);
        }
    }

    /// <summary>The path below <paramref name="root"/> of the cgroup with that id ("/" for the root), remembered once found.</summary>
    private static string? PathIn(ulong id, string root)
    {
        if (Found.TryGetValue((id, root), out var known) && CgroupId.Find(root + known, out _) == id) return known;
        if (CgroupId.Find(root, out _) == id) return Found[(id, root)] = "/";
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        // Files too, as bpftrace's walk compares every entry's inode (on a v1 hierarchy an id may be a file's).
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", options))
        {
            if (CgroupId.Find(entry, out _) == id) return Found[(id, root)] = entry[root.Length..];
        }
        return null;
    }
}
