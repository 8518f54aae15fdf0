using System.Buffers.Binary;
using Sharptrace.Kernel;
using Sharptrace.Syscalls.Decoding;
using static Sharptrace.Syscalls.Tracing.RecordLayout;

namespace Sharptrace.Syscalls.Tracing;

/// <summary>
/// The ptrace backend's copies of a call's pointed-to data, read from the stopped tracee with
/// process_vm_readv and shaped exactly as the eBPF programs shape theirs (string with its NUL,
/// bytes, argv's NUL-separated strings, envp's u32 count), so the decoders cannot tell them apart.
/// Unlike a BPF program, a read here may fault pages in: nothing is lost to untouched pages.
/// </summary>
internal static class TraceeCaptures
{
    /// <summary>Fills the slots of <paramref name="plan"/> whose phase is now: entry (inputs), or a successful exit (outputs).</summary>
    public static void Read(int tid, SyscallRecord call, CaptureSlot[] plan, bool entry)
    {
        for (var s = 0; s < plan.Length; s++)
        {
            var slot = plan[s];
            // A failed readv still shows its array (each buffer by its address), as strace does.
            if (entry ? slot.Phase != CapturePhase.Entry : slot.Phase != CapturePhase.Exit || call.Return < 0 && slot.Kind != CaptureKind.Iovecs) continue;
            if (slot.Kind == CaptureKind.FdInodes)
            {
                call.Captures[s] = FdInodes(tid, slot.SizeFrom == SizeSource.ReturnValue ? [(int)call.Return] : ReadFdPair(tid, call.Args[slot.Arg & 7]));
                continue;
            }
            var pointer = call.Args[slot.Arg & 7];
            if (pointer == 0) continue;
            ulong size = slot.Max;
            if (slot.SizeFrom == SizeSource.Argument)
            {
                // An argument that counts elements (poll's nfds) is scaled to bytes as the eBPF programs do.
                var count = call.Args[slot.SizeArg & 7];
                size = count > (ulong.MaxValue >> slot.SizeShift) ? size : Math.Min(count << slot.SizeShift, size);
            }
            else if (slot.SizeFrom == SizeSource.ReturnValue)
            {
                if (call.Return <= 0) continue;
                size = Math.Min((ulong)call.Return, size);
            }
            var n = (int)Math.Min(size, MaxCopy);
            call.Captures[s] = slot.Kind switch
            {
                CaptureKind.String => String(tid, pointer, n),
                CaptureKind.Bytes => Bytes(tid, pointer, n),
                CaptureKind.StringArray => StringArray(tid, pointer, Math.Min(n, MaxCopy - 1)),
                CaptureKind.PointerCount => PointerCount(tid, pointer),
                CaptureKind.DirentCount => DirentCount(tid, pointer, call.Return),
                CaptureKind.Iovecs => Iovecs(tid, pointer, Entries(slot, call.Args[slot.SizeArg & 7], n), slot.Max, Remaining(call, slot)),
                CaptureKind.MsgIovecs => ReadPair(tid, pointer + 16) is { } iov
                    ? Iovecs(tid, iov.First, Entries(slot, iov.Second, n), slot.Max, Remaining(call, slot)) : Fault,
                CaptureKind.MmsgIovecs => Messages(tid, call, slot, pointer, n),
                CaptureKind.PointerWithLength => ReadPair(tid, pointer + slot.SizeArg) is not { } name ? Fault
                    : name.First == 0 ? null : Bytes(tid, name.First, (int)Math.Min((uint)name.Second, (ulong)n)),
                _ => null,
            };
        }
    }

    private static readonly Capture Fault = new([], true, false);

    /// <summary>As bpf_probe_read_user_str: up to <paramref name="size"/> - 1 bytes and a NUL; a fault before the NUL fails it all.</summary>
    private static Capture String(int tid, ulong pointer, int size)
    {
        var text = ReadString(tid, pointer, size);
        return text is null ? Fault : new Capture(text, false, false);
    }

    private static byte[]? ReadString(int tid, ulong pointer, int size)
    {
        if (size <= 0) return null;
        var buffer = new byte[size];
        var read = Ptrace.ReadMemory(tid, pointer, buffer);
        var nul = buffer.AsSpan(0, read).IndexOf((byte)0);
        if (nul >= 0) return buffer[..(nul + 1)];
        if (read < size) return null;
        buffer[size - 1] = 0;
        return buffer;
    }

    /// <summary>As bpf_probe_read_user: all <paramref name="size"/> bytes, or a fault.</summary>
    private static Capture Bytes(int tid, ulong pointer, int size)
    {
        var buffer = new byte[size];
        return Ptrace.ReadMemory(tid, pointer, buffer) == size ? new Capture(buffer, false, false) : Fault;
    }

    /// <summary>argv: up to <see cref="MaxArgvStrings"/> strings within <see cref="ArrayBudget"/> bytes, each cut at <paramref name="size"/>; "more" when cut short.</summary>
    private static Capture StringArray(int tid, ulong pointer, int size)
    {
        var data = new List<byte>();
        var index = 0;
        while (index < MaxArgvStrings && data.Count <= ArrayBudget)
        {
            if (ReadPointer(tid, pointer, index) is not { } item) return Fault;
            if (item == 0) return new Capture([.. data], false, false);
            if (ReadString(tid, item, size) is { } text) data.AddRange(text);
            index++;
        }
        if (ReadPointer(tid, pointer, index) is not { } next) return Fault;
        return new Capture([.. data], false, next != 0);
    }

    /// <summary>-y: the inodes of new descriptors, as the eBPF program reads them (u64 each, 0: unknown; two slots).</summary>
    private static Capture FdInodes(int tid, int[]? fds)
    {
        if (fds is null) return Fault;
        var data = new byte[16];
        for (var i = 0; i < fds.Length && i < 2; i++)
        {
            // The tracee is stopped at the call's exit: the descriptor is still there ("pipe:[1234]").
            string? link = null;
            try { link = new FileInfo($"/proc/{tid}/fd/{fds[i]}").LinkTarget; }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            var open = link?.IndexOf(":[", StringComparison.Ordinal) ?? -1;
            if (open > 0 && link!.EndsWith(']') && ulong.TryParse(link.AsSpan(open + 2, link.Length - open - 3), out var inode))
                BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(8 * i), inode);
        }
        return new Capture(data, false, false);
    }

    private static int[]? ReadFdPair(int tid, ulong pointer)
    {
        var pair = new byte[8];
        return pointer != 0 && Ptrace.ReadMemory(tid, pointer, pair) == 8
            ? [BinaryPrimitives.ReadInt32LittleEndian(pair), BinaryPrimitives.ReadInt32LittleEndian(pair.AsSpan(4))] : null;
    }

    /// <summary>getdents64: how many records all the bytes returned hold (a u32), as the eBPF program counts them.</summary>
    private static Capture DirentCount(int tid, ulong pointer, long returned)
    {
        var data = new byte[(int)Math.Min(returned, 1 << 22)];
        if (Ptrace.ReadMemory(tid, pointer, data) != data.Length || StructFormatter.DirentCount(data) is not { } count) return Fault;
        var counted = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(counted, Math.Min(count, MaxDirents));
        return new Capture(counted, false, count > MaxDirents);
    }

    /// <summary>envp: how many pointers come before NULL, up to <see cref="EnvpChunks"/> × 8 ("more" beyond).</summary>
    private static Capture PointerCount(int tid, ulong pointer)
    {
        var chunk = new byte[64];
        var count = 0;
        var more = true;
        while (count < EnvpChunks * 8)
        {
            // A short read stops at an unmapped page: the pointers before it still count (the NULL may be the last of them).
            var pointers = Math.Max(Ptrace.ReadMemory(tid, pointer + (ulong)count * 8, chunk), 0) / 8;
            if (pointers == 0)
            {
                if (count == 0) return Fault;
                break;
            }
            var found = -1;
            for (var j = 0; j < pointers && found < 0; j++) if (BinaryPrimitives.ReadUInt64LittleEndian(chunk.AsSpan(8 * j)) == 0) found = j;
            if (found >= 0) { count += found; more = false; break; }
            count += pointers;
        }
        var data = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, (uint)count);
        return new Capture(data, false, more);
    }

    /// <summary>The iovec entries to copy of <paramref name="count"/>: all with -v (the budget bounds them), else no more than -s (<paramref name="limit"/>).</summary>
    private static int Entries(CaptureSlot slot, ulong count, int limit) =>
        (int)Math.Min(count, slot.SizeShift == CapturePlan.AllEntries ? int.MaxValue : (ulong)limit);

    /// <summary>An output copy (at exit) holds only the bytes the call returned; an input copy all.</summary>
    private static ulong Remaining(SyscallRecord call, CaptureSlot slot) => slot.Phase == CapturePhase.Exit ? (ulong)Math.Max(call.Return, 0) : ulong.MaxValue;

    /// <summary>
    /// An iovec array of up to <paramref name="entries"/> entries within <see cref="CapturePlan.IovecBudget"/> bytes, as the
    /// eBPF programs copy it: per entry {base, len, copied (-1: unreadable)} and min(len, bytes left, <paramref name="perBuffer"/>) bytes.
    /// <paramref name="used"/> bytes of the copy before this array (a message's) count against the budget.
    /// </summary>
    private static Capture Iovecs(int tid, ulong array, int entries, int perBuffer, ulong remaining, int used = 0)
    {
        var data = new List<byte>();
        var entry = new byte[CapturePlan.IovecEntryHeader];
        perBuffer = Math.Min(perBuffer, MaxCopy - 1);
        for (var i = 0; i < entries && used + data.Count <= CapturePlan.IovecBudget; i++)
        {
            if (Ptrace.ReadMemory(tid, array + (ulong)i * 16, entry.AsSpan(0, 16)) < 16)
            {
                if (i == 0) return Fault;
                break;
            }
            var iovBase = BinaryPrimitives.ReadUInt64LittleEndian(entry);
            var visible = Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(entry.AsSpan(8)), remaining);
            remaining -= visible;
            var buffer = new byte[(int)Math.Min(visible, (ulong)perBuffer)];
            var readable = buffer.Length == 0 || Ptrace.ReadMemory(tid, iovBase, buffer) == buffer.Length;
            BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(16), readable ? buffer.Length : -1);
            data.AddRange(entry);
            if (!readable) continue;
            data.AddRange(buffer);
            data.AddRange(new byte[(8 - buffer.Length % 8) % 8]);
        }
        return new Capture([.. data], false, false);
    }

    /// <summary>The messages of an mmsghdr array, as the eBPF programs copy them (see <see cref="CaptureKind.MmsgIovecs"/>).</summary>
    private static Capture Messages(int tid, SyscallRecord call, CaptureSlot slot, ulong array, int limit)
    {
        var received = slot.SizeArg == CapturePlan.ReceivedMessage;
        var count = (ulong)(uint)call.Args[2];
        if (received) count = Math.Min(count, (ulong)Math.Max(call.Return, 0));
        if (slot.SizeShift != CapturePlan.AllEntries) count = Math.Min(count, (ulong)limit);
        var data = new List<byte>();
        Span<byte> length = stackalloc byte[4];
        for (ulong i = 0; i < count && data.Count <= CapturePlan.IovecBudget; i++)
        {
            var message = array + i * CapturePlan.MmsghdrSize;
            var remaining = ulong.MaxValue;
            if (received)
            {
                if (Ptrace.ReadMemory(tid, message + CapturePlan.MsghdrSize, length) < 4) break;
                remaining = BinaryPrimitives.ReadUInt32LittleEndian(length);
            }
            if (ReadPair(tid, message) is not { } name || ReadPair(tid, message + 32) is not { } control || ReadPair(tid, message + 16) is not { } iov) break;
            var start = data.Count;
            data.AddRange(new byte[8]);
            data.AddRange(LengthPrefixed(tid, name, CapturePlan.SockaddrSize));
            data.AddRange(LengthPrefixed(tid, control, CapturePlan.MessageControlMax));
            var iovecs = Iovecs(tid, iov.First, Entries(slot, iov.Second, limit), slot.Max, remaining, data.Count);
            if (iovecs.Faulted) return Fault;
            data.AddRange(iovecs.Data);
            var part = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(part, (ulong)(data.Count - start));
            for (var b = 0; b < 8; b++) data[start + b] = part[b];
        }
        return new Capture([.. data], false, false);
    }

    /// <summary>What a {pointer, u32 length} pair points at as {i64 bytes copied (-1: none), the bytes padded to 8}, at most <paramref name="max"/> bytes.</summary>
    private static byte[] LengthPrefixed(int tid, (ulong Pointer, ulong Length) pair, int max)
    {
        var length = (int)Math.Min((uint)pair.Length, (ulong)max);
        var data = new byte[8 + ((length + 7) & ~7)];
        var read = pair.Pointer != 0 && Ptrace.ReadMemory(tid, pair.Pointer, data.AsSpan(8, length)) == length;
        BinaryPrimitives.WriteInt64LittleEndian(data, read ? length : -1);
        return read ? data : data[..8];
    }

    /// <summary>Two u64 read from the tracee (a struct msghdr's pointer and length), or null when unreadable.</summary>
    private static (ulong First, ulong Second)? ReadPair(int tid, ulong address)
    {
        Span<byte> pair = stackalloc byte[16];
        if (Ptrace.ReadMemory(tid, address, pair) < 16) return null;
        return (BinaryPrimitives.ReadUInt64LittleEndian(pair), BinaryPrimitives.ReadUInt64LittleEndian(pair[8..]));
    }

    private static ulong? ReadPointer(int tid, ulong array, int index)
    {
        Span<byte> word = stackalloc byte[8];
        return Ptrace.ReadMemory(tid, array + (ulong)index * 8, word) == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(word) : null;
    }
}
