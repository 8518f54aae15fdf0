namespace Sharptrace.Syscalls.Decoding;

/// <summary>
/// -y: what each descriptor of each traced process refers to, learnt from the calls themselves as
/// they return (open, dup, pipe, socket, close, chdir, fork, exec), because by the time a record is
/// decoded the process may have closed the descriptor or be gone. Paths are made absolute and
/// symlink-free as the kernel shows them. A descriptor no call explains (inherited, or a process
/// attached with -p) is read from /proc/PID/fd once; pipes and sockets are named by their inode,
/// read from the task's file table as the call returned (else from /proc while the process lives, else <c>[?]</c>).
/// </summary>
internal sealed class FdPaths
{
    private sealed class Process
    {
        public Dictionary<int, string> Fds { get; } = [];
        public HashSet<int> CloseOnExec { get; } = [];
        public string? Cwd { get; set; }
    }

    private readonly Dictionary<int, Process> processes = [];

    private Process Of(int tgid)
    {
        if (!processes.TryGetValue(tgid, out var p)) processes[tgid] = p = new Process();
        return p;
    }

    /// <summary>The started command: it runs in our directory with our 0, 1 and 2 (read now, before it can change them).</summary>
    public void Started(int pid)
    {
        var p = Of(pid);
        p.Cwd = Environment.CurrentDirectory;
        for (var fd = 0; fd <= 2; fd++)
            if (ReadLink($"/proc/self/fd/{fd}") is { } target) p.Fds[fd] = target;
    }

    /// <summary>A process attached with -p: its directory and open descriptors as /proc shows them now.</summary>
    public void Attached(int pid)
    {
        var p = Of(pid);
        p.Cwd = ReadLink($"/proc/{pid}/cwd");
        try
        {
            foreach (var entry in Directory.GetFiles($"/proc/{pid}/fd"))
                if (int.TryParse(Path.GetFileName(entry), out var fd) && ReadLink(entry) is { } target) p.Fds[fd] = target;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary><c>3&lt;/etc/passwd&gt;</c>; a negative descriptor, or one nothing is known of, as the number.</summary>
    public string Describe(int tgid, int fd)
    {
        var target = Target(tgid, fd);
        return target is null ? fd.ToString() : $"{fd}<{target}>";
    }

    /// <summary>The current directory, for <c>AT_FDCWD&lt;/tmp&gt;</c>.</summary>
    public string Cwd(int tgid)
    {
        var p = Of(tgid);
        // A process first seen mid-way (its fork filtered out): ask /proc, else assume ours.
        return p.Cwd ??= ReadLink($"/proc/{tgid}/cwd") ?? Environment.CurrentDirectory;
    }

    private string? Target(int tgid, int fd)
    {
        if (fd < 0) return null;
        var p = Of(tgid);
        if (p.Fds.TryGetValue(fd, out var known)) return known;
        // Not opened by a call we saw (one filtered out, or the process was seen first mid-way): ask /proc.
        var found = ReadLink($"/proc/{tgid}/fd/{fd}");
        if (found is not null) p.Fds[fd] = found;
        return found;
    }

    /// <summary>
    /// A descriptor a call just made (pipe, socket), by the inode read as the call returned (-y reads it
    /// from the task's file table); without it, /proc names the inode while the process lives.
    /// </summary>
    public string DescribeNew(int tgid, int fd, string kind, ulong inode = 0)
    {
        if (inode != 0) return $"{fd}<{kind}:[{inode}]>";
        var found = ReadLink($"/proc/{tgid}/fd/{fd}");
        return $"{fd}<{(found is not null && found.StartsWith(kind, StringComparison.Ordinal) ? found : kind + ":[?]")}>";
    }

    /// <summary>Whether call <paramref name="name"/> changes the table (see <see cref="Learn"/>).</summary>
    public static bool Changes(string name) => name is "open" or "creat" or "openat" or "openat2" or "dup" or "dup2" or "dup3" or "fcntl"
        or "socket" or "accept" or "accept4" or "pipe" or "pipe2" or "socketpair" or "close" or "chdir" or "fchdir"
        or "fork" or "vfork" or "clone" or "clone3" or "execve" or "execveat";

    /// <summary>Updates the table after a call returned (its arguments are printed before, its return value after).</summary>
    /// <param name="name">The call.</param>
    /// <param name="call">Its registers and return value.</param>
    /// <param name="path">The path argument it opened or changed to, when it has one.</param>
    /// <param name="newFds">The descriptors it returned through memory (pipe).</param>
    /// <param name="inodes">The inodes of the descriptors it made, read as it returned (0: unknown), or null.</param>
    public void Learn(string name, SyscallRecord call, string? path, int[]? newFds, ulong[]? inodes = null)
    {
        ulong InodeOf(int i) => inodes is not null && i < inodes.Length ? inodes[i] : 0;
        var ret = call.Return;
        if (!call.Returned || ret is < 0 and >= -4095) return;
        var tgid = call.Tgid;
        var p = Of(tgid);
        var a = call.Args;
        switch (name)
        {
            case "open" or "creat" when path is not null:
                Add(p, (int)ret, Resolve(tgid, -100, path), name == "open" && (a[1] & 0x80000) != 0);
                break;
            case "openat" or "openat2" when path is not null:
                Add(p, (int)ret, Resolve(tgid, (int)a[0], path), name == "openat" && (a[2] & 0x80000) != 0);
                break;
            case "dup" or "dup2" or "dup3":
                var old = Target(tgid, (int)a[0]);
                if (old is not null) Add(p, (int)ret, old, name == "dup3" && (a[2] & 0x80000) != 0);
                break;
            case "fcntl" when a[1] is 0 or 1030:
                var source = Target(tgid, (int)a[0]);
                if (source is not null) Add(p, (int)ret, source, a[1] == 1030);
                break;
            case "socket" or "accept" or "accept4":
                Add(p, (int)ret, DescribeNew(tgid, (int)ret, "socket", InodeOf(0))[($"{ret}<".Length)..^1],
                    (name == "socket" && (a[1] & 0x80000) != 0) || (name == "accept4" && (a[3] & 0x80000) != 0));
                break;
            case "pipe" or "pipe2" when newFds is not null:
                for (var i = 0; i < newFds.Length; i++) Add(p, newFds[i], DescribeNew(tgid, newFds[i], "pipe", InodeOf(i))[($"{newFds[i]}<".Length)..^1], name == "pipe2" && (a[1] & 0x80000) != 0);
                break;
            case "socketpair" when newFds is not null:
                for (var i = 0; i < newFds.Length; i++) Add(p, newFds[i], DescribeNew(tgid, newFds[i], "socket", InodeOf(i))[($"{newFds[i]}<".Length)..^1], (a[1] & 0x80000) != 0);
                break;
            case "close":
                p.Fds.Remove((int)a[0]);
                p.CloseOnExec.Remove((int)a[0]);
                break;
            case "chdir" when path is not null:
                p.Cwd = Resolve(tgid, -100, path);
                break;
            case "fchdir":
                if (Target(tgid, (int)a[0]) is { } dir) p.Cwd = dir;
                break;
            case "fork" or "vfork" or "clone" or "clone3" when ret > 0:
                // A new process starts with a copy of the table (a thread shares its process's anyway).
                var child = Of((int)ret);
                foreach (var (fd, target) in p.Fds) child.Fds.TryAdd(fd, target);
                foreach (var fd in p.CloseOnExec) child.CloseOnExec.Add(fd);
                child.Cwd ??= Cwd(tgid);
                break;
            case "execve" or "execveat":
                foreach (var fd in p.CloseOnExec) p.Fds.Remove(fd);
                p.CloseOnExec.Clear();
                break;
        }
    }

    private static void Add(Process p, int fd, string target, bool closeOnExec)
    {
        p.Fds[fd] = target;
        if (closeOnExec) p.CloseOnExec.Add(fd);
        else p.CloseOnExec.Remove(fd);
    }

    /// <summary>An opened path as the kernel names it: absolute (from the cwd or the directory descriptor) and without symlinks.</summary>
    private string Resolve(int tgid, int dirfd, string path)
    {
        var start = path.StartsWith('/') ? "" : dirfd == -100 ? Cwd(tgid) : Target(tgid, dirfd) ?? Cwd(tgid);
        return RealPath(start + "/" + path);
    }

    /// <summary>realpath(3) on an absolute path: "." and ".." folded, symlinks followed (at most 40, as the kernel).</summary>
    private static string RealPath(string path)
    {
        var pending = new Queue<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var result = new List<string>();
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Dequeue();
            if (part == ".") continue;
            if (part == "..") { if (result.Count > 0) result.RemoveAt(result.Count - 1); continue; }
            var candidate = "/" + string.Join('/', result.Append(part));
            string? link = null;
            try { link = new FileInfo(candidate).LinkTarget; }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            if (link is null || ++hops > 40) { result.Add(part); continue; }
            var rest = pending.ToArray();
            pending.Clear();
            if (link.StartsWith('/')) result.Clear();
            foreach (var x in link.Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(rest)) pending.Enqueue(x);
        }
        return "/" + string.Join('/', result);
    }

    private static string? ReadLink(string path)
    {
        try { return new FileInfo(path).LinkTarget; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
