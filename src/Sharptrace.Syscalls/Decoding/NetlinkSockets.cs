namespace Sharptrace.Syscalls.Decoding;

/// <summary>
/// Which descriptors of each process are netlink sockets, and of which protocol, learnt from the calls as they return:
/// socket(AF_NETLINK, …, protocol) adds one, dup/fcntl(F_DUPFD) copy it, close and any other call returning that
/// descriptor drop it, a fork copies the table. strace asks the kernel (sock_diag) instead; a socket made before
/// tracing began (inherited, or a process attached with -p), or whose socket() call -e trace left out, is not known
/// here, and its messages print as bytes. (Asking /proc at decoding time would depend on whether the process is
/// still alive then, so the same trace could print either way.)
/// </summary>
internal sealed class NetlinkSockets
{
    private const int AfNetlink = 16;

    private readonly Dictionary<int, Dictionary<int, int>> processes = [];

    private Dictionary<int, int> Of(int tgid)
    {
        if (!processes.TryGetValue(tgid, out var fds)) processes[tgid] = fds = [];
        return fds;
    }

    /// <summary>The netlink protocol of <paramref name="fd"/> (NETLINK_ROUTE is 0), or null when it is not known as a netlink socket.</summary>
    public int? ProtocolOf(int tgid, int fd) => processes.TryGetValue(tgid, out var fds) && fds.TryGetValue(fd, out var protocol) ? protocol : null;

    /// <summary>Whether call <paramref name="name"/> can make, copy or end a netlink socket (see <see cref="Learn"/>).</summary>
    public static bool Changes(string name) => name is "socket" or "dup" or "dup2" or "dup3" or "fcntl" or "close"
        or "fork" or "vfork" or "clone" or "clone3";

    /// <summary>Updates the table after a call returned; <paramref name="returnsFd"/>: its return value is a new descriptor.</summary>
    public void Learn(string name, SyscallRecord call, bool returnsFd)
    {
        var ret = call.Return;
        if (!call.Returned || ret is < 0 and >= -4095) return;
        var a = call.Args;
        var fds = Of(call.Tgid);
        switch (name)
        {
            case "socket" when a[0] == AfNetlink:
                fds[(int)ret] = (int)a[2];
                break;
            case "dup" or "dup2" or "dup3":
            case "fcntl" when a[1] is 0 or 1030: // F_DUPFD, F_DUPFD_CLOEXEC
                if (fds.TryGetValue((int)a[0], out var protocol)) fds[(int)ret] = protocol;
                else fds.Remove((int)ret);
                break;
            case "close":
                fds.Remove((int)a[0]);
                break;
            case "fork" or "vfork" or "clone" or "clone3" when ret > 0:
                var child = Of((int)ret);
                if (child == fds) break;
                foreach (var (fd, p) in fds) child.TryAdd(fd, p);
                break;
            default:
                if (returnsFd) fds.Remove((int)ret);
                break;
        }
    }
}
