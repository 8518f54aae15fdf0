using System.Buffers.Binary;
using System.Text;

namespace Sharptrace.Syscalls.Decoding;

/// <summary>poll/ppoll's struct pollfd array: <c>[{fd=3, events=POLLIN}]</c> at entry, the revents after the return value.</summary>
internal static class PollFormatter
{
    public static readonly FlagSet Events = new("0",
        (0x1, "POLLIN"), (0x2, "POLLPRI"), (0x4, "POLLOUT"), (0x8, "POLLERR"), (0x10, "POLLHUP"), (0x20, "POLLNVAL"),
        (0x40, "POLLRDNORM"), (0x80, "POLLRDBAND"), (0x100, "POLLWRNORM"), (0x200, "POLLWRBAND"), (0x400, "POLLMSG"),
        (0x1000, "POLLREMOVE"), (0x2000, "POLLRDHUP"));

    /// <summary>The array as the call received it.</summary>
    public static string Requested(ReadOnlySpan<byte> fds, Func<int, string> fd, XlatStyle xlat)
    {
        var text = new StringBuilder("[");
        for (var at = 0; at + 8 <= fds.Length; at += 8)
        {
            if (at > 0) text.Append(", ");
            var events = BinaryPrimitives.ReadUInt16LittleEndian(fds[(at + 4)..]);
            var number = BinaryPrimitives.ReadInt32LittleEndian(fds[at..]);
            // A negative fd is ignored by the kernel; strace shows no events for it.
            if (number < 0) { text.Append("{fd=").Append(number).Append('}'); continue; }
            text.Append("{fd=").Append(fd(number))
                .Append(", events=").Append(XlatText.Format(xlat, CallFormatter.Hex(events), Events.Bits(events))).Append('}');
        }
        return text.Append(']').ToString();
    }

    /// <summary>The entries with events, as strace prints them after the return value: <c>[{fd=3, revents=POLLIN}]</c>.</summary>
    public static string Returned(ReadOnlySpan<byte> fds, Func<int, string> fd, XlatStyle xlat)
    {
        var text = new StringBuilder("[");
        var first = true;
        for (var at = 0; at + 8 <= fds.Length; at += 8)
        {
            var revents = BinaryPrimitives.ReadUInt16LittleEndian(fds[(at + 6)..]);
            if (revents == 0) continue;
            if (!first) text.Append(", ");
            first = false;
            text.Append("{fd=").Append(fd(BinaryPrimitives.ReadInt32LittleEndian(fds[at..])))
                .Append(", revents=").Append(XlatText.Format(xlat, CallFormatter.Hex(revents), Events.Bits(revents))).Append('}');
        }
        return text.Append(']').ToString();
    }
}
