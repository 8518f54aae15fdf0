using System.Buffers.Binary;
using System.Text;

namespace Sharptrace.Syscalls.Decoding;

/// <summary>
/// An iovec array as strace prints it, <c>[{iov_base="ab", iov_len=2}, {iov_base="cd\n", iov_len=3}]</c>,
/// from a <see cref="CaptureKind.Iovecs"/> copy: per entry <c>{u64 base, u64 len, i64 copied}</c> and
/// the bytes copied, padded to 8. strace shows at most -s entries, then <c>...</c>; an output array
/// (readv, recvmsg) holds only the bytes returned, spread over the buffers in order.
/// </summary>
internal static class IovecFormatter
{
    /// <param name="capture">The copy (null or faulted: the array prints as its address).</param>
    /// <param name="address">The array's address.</param>
    /// <param name="count">The number of entries the call was given.</param>
    /// <param name="returned">For an output array, the bytes the call returned; null for an input array.</param>
    /// <param name="quote">Prints a buffer's bytes, with "..." when cut; null for a failed call, whose buffers print as their addresses.</param>
    public static string Format(Capture? capture, ulong address, ulong count, long? returned, Func<ReadOnlyMemory<byte>, bool, string>? quote)
    {
        if (address == 0) return "NULL";
        if (count == 0) return "[]";
        if (capture is null || capture.Faulted) return CallFormatter.Pointer(address);
        var remaining = returned is { } r ? (ulong)r : ulong.MaxValue;
        var data = capture.Data;
        var text = new StringBuilder("[");
        ulong shown = 0;
        for (var at = 0; at + CapturePlan.IovecEntryHeader <= data.Length && shown < count; shown++)
        {
            var iovBase = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at));
            var iovLength = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at + 8));
            var copied = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(at + 16));
            var visible = Math.Min(iovLength, remaining);
            if (remaining != ulong.MaxValue) remaining -= visible;
            var start = at + CapturePlan.IovecEntryHeader;
            var length = (int)Math.Clamp(copied, 0, data.Length - start);
            if (shown > 0) text.Append(", ");
            text.Append("{iov_base=");
            if (iovBase == 0) text.Append("NULL");
            else if (copied < 0 || quote is null) text.Append(CallFormatter.Pointer(iovBase));
            else text.Append(quote(data.AsMemory(start, length), (ulong)length < visible));
            text.Append(", iov_len=").Append(iovLength).Append('}');
            at = start + ((length + 7) & ~7);
        }
        if (shown < count) text.Append(shown > 0 ? ", ..." : "...");
        return text.Append(']').ToString();
    }
    /// <summary>
    /// The buffers of an iovec copy whose bytes <see cref="Format"/> prints (not NULL, readable), in order, each as the bytes
    /// the call sent or received in it, or null when the copy does not hold all of them (cut, or past the copy's budget).
    /// </summary>
    public static List<byte[]?> WholeBuffers(Capture capture, long? returned)
    {
        var buffers = new List<byte[]?>();
        var remaining = returned is { } r ? (ulong)r : ulong.MaxValue;
        var data = capture.Data;
        for (var at = 0; at + CapturePlan.IovecEntryHeader <= data.Length;)
        {
            var iovLength = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at + 8));
            var copied = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(at + 16));
            var visible = Math.Min(iovLength, remaining);
            if (remaining != ulong.MaxValue) remaining -= visible;
            var start = at + CapturePlan.IovecEntryHeader;
            var length = (int)Math.Clamp(copied, 0, data.Length - start);
            var iovBase = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at));
            if (iovBase != 0 && copied >= 0) buffers.Add((ulong)length == visible ? data.AsSpan(start, length).ToArray() : null);
            at = start + ((length + 7) & ~7);
        }
        return buffers;
    }
}
