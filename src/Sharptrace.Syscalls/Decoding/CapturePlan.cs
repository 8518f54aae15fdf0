using System.Buffers.Binary;

namespace Sharptrace.Syscalls.Decoding;

/// <summary>When the kernel side copies a slot: at entry (inputs) or at a successful exit (outputs).</summary>
internal enum CapturePhase : byte { None = 0, Entry = 1, Exit = 2 }

/// <summary>What the kernel side copies.</summary>
internal enum CaptureKind : byte
{
    None = 0,
    /// <summary>A NUL-terminated string (bpf_probe_read_user_str).</summary>
    String = 1,
    /// <summary>Plain bytes (bpf_probe_read_user).</summary>
    Bytes = 2,
    /// <summary>A NULL-terminated array of string pointers (argv): the strings, each NUL-terminated.</summary>
    StringArray = 3,
    /// <summary>A NULL-terminated array of pointers whose length alone is wanted (envp): a u32 count.</summary>
    PointerCount = 4,
    /// <summary>
    /// An iovec array of as many entries as argument <see cref="CaptureSlot.SizeArg"/> says, and each buffer it points at:
    /// per entry <c>{u64 iov_base, u64 iov_len, i64 copied (-1: unreadable)}</c> then the bytes copied, padded to 8.
    /// <see cref="CaptureSlot.Max"/> bounds both the entries and the bytes of each; an output copy (at exit) holds only
    /// the bytes returned, spread over the buffers in order, and is made after a failure too (no bytes then: strace
    /// prints each buffer's address).
    /// </summary>
    Iovecs = 5,
    /// <summary>The iovec array a struct msghdr points at (msg_iov, msg_iovlen), copied as <see cref="Iovecs"/>.</summary>
    MsgIovecs = 6,
    /// <summary>
    /// What a {pointer, u32 length} pair at <see cref="CaptureSlot.SizeArg"/> bytes into what the argument points at points at,
    /// as many bytes as the length says up to <see cref="CaptureSlot.Max"/>: a struct msghdr's msg_name and msg_namelen (at 0)
    /// and msg_control and msg_controllen (at 32), pselect6's {sigmask, sigsetsize} (at 0).
    /// </summary>
    PointerWithLength = 7,
    /// <summary>
    /// The messages of a struct mmsghdr array (sendmmsg, recvmmsg), each {u64 its part's bytes, msg_name's and msg_control's
    /// bytes as {i64 bytes copied (-1: none), the bytes padded to 8} (at most a sockaddr's and <see cref="CapturePlan.MessageControlMax"/>),
    /// its iovec array copied as <see cref="Iovecs"/>}: as many as argument 2 says, no more than -s (<see cref="CaptureSlot.Max"/>) unless -v,
    /// and as long as the copy is within <see cref="CapturePlan.IovecBudget"/>.
    /// <see cref="CaptureSlot.SizeArg"/> is <see cref="CapturePlan.ReceivedMessage"/> for messages received: no more than returned,
    /// each its msg_len bytes spread over its buffers.
    /// </summary>
    MmsgIovecs = 8,
    /// <summary>
    /// getdents64's records in the whole result (as many bytes as the call returned, beyond any copy), counted by
    /// following each d_reclen: a u32 count, "more" when the count stopped short at <see cref="Tracing.RecordLayout.MaxDirents"/>.
    /// </summary>
    DirentCount = 9,
    /// <summary>
    /// -y: the inode numbers (a u64 each) of the descriptors a call made, read from the task's file table at its exit:
    /// the one it returned (<see cref="SizeSource.ReturnValue"/>: socket, accept) or the two ints it wrote at the
    /// argument (pipe, socketpair).
    /// </summary>
    FdInodes = 10,
}

/// <summary>Where the copy's length comes from.</summary>
internal enum SizeSource : byte { Constant = 0, Argument = 1, ReturnValue = 2 }

/// <summary>
/// One copy the kernel makes for a call: argument <see cref="Arg"/> points at the data. A size taken
/// from an argument that counts elements is shifted left by <see cref="SizeShift"/> (poll's nfds × 8).
/// An iovec copy's size is constant (the bytes of each buffer) and its entries are counted by argument
/// <see cref="SizeArg"/>; its <see cref="SizeShift"/> is <see cref="CapturePlan.AllEntries"/> under -v.
/// </summary>
internal readonly record struct CaptureSlot(CapturePhase Phase, CaptureKind Kind, byte Arg, SizeSource SizeFrom, byte SizeArg, ushort Max, byte SizeShift = 0);

/// <summary>
/// Derives from a decoder what the kernel must copy: the printing format decides the copy, so
/// the two cannot disagree. At most <see cref="MaxSlots"/> copies per call.
/// </summary>
internal static class CapturePlan
{
    public const int MaxSlots = 10;
    public const int PathMax = 4096;

    /// <summary>Sizes of the structs copied, for x86_64 (asm-generic layouts on arm64 have the same sizes except stat).</summary>
    public const int StatSize = 144, StatxSize = 256, SockaddrSize = 128, UtsnameSize = 390, SigactionSize = 32, SysinfoSize = 112;

    /// <summary>Bytes of an ioctl's argument copied (struct termios is the largest decoded), and of a cpu set.</summary>
    public const int IoctlArgSize = 36, CpuSetMax = 128;

    /// <summary>getdents64's records are listed (-v) from the first this many bytes; a longer result is counted by a <see cref="CaptureKind.DirentCount"/> copy.</summary>
    public const int DirentsMax = 4096;

    /// <summary>Bytes of a gid array copied (64 groups; a longer list prints its first 64), and of capability data (version 3: two sets of three u32).</summary>
    public const int GidsMax = 256, CapDataSize = 24;

    /// <summary>Bytes of an fd_set (FD_SETSIZE 1024 bits).</summary>
    public const int FdSetSize = 128;

    /// <summary>Size of struct msghdr (x86_64, arm64), and of one iovec entry in an <see cref="CaptureKind.Iovecs"/> copy before its bytes.</summary>
    public const int MsghdrSize = 56, IovecEntryHeader = 24;

    /// <summary>Size of struct mmsghdr (a msghdr, u32 msg_len, padding).</summary>
    public const int MmsghdrSize = 64;

    /// <summary>Bytes of a message's ancillary data a <see cref="CaptureKind.MmsgIovecs"/> copy holds at most.</summary>
    public const int MessageControlMax = 256;

    /// <summary>A <see cref="CaptureKind.MmsgIovecs"/> copy's flag: messages received (as many as returned, each its msg_len bytes).</summary>
    public const byte ReceivedMessage = 0x10;

    /// <summary>Where msg_control and msg_controllen are in struct msghdr.</summary>
    public const byte MsgControlPair = 32;

    /// <summary>An iovec copy takes no further entry once it holds this many bytes (so that it stays within a slot's 8 KiB).</summary>
    public const int IovecBudget = 4000;

    /// <summary>
    /// Bytes of a socket call's buffer copied whatever -s says (sendto, recvfrom; sendmsg's and recvmsg's first buffers in a second
    /// copy): a netlink socket's messages are decoded whole, as strace does, and printed as bytes (cut at -s) when they are longer.
    /// </summary>
    public const ushort NetlinkCopy = 4000;

    /// <summary>An iovec copy's flag (in place of a size shift): every entry (strace -v), not only the first -s.</summary>
    public const byte AllEntries = 1;

    /// <summary>The copies for <paramref name="decoder"/> with strings cut at -s; with -v the environment's strings too.</summary>
    public static CaptureSlot[] For(SyscallDecoder decoder, DecodeOptions options)
    {
        var stringLimit = options.StringLimit;
        var slots = new List<CaptureSlot>();
        // Strings are read two bytes past -s: a NUL within s+1 means "not cut", as strace reads s+1.
        var stringMax = (ushort)Math.Min(stringLimit + 2, PathMax);
        var bufferMax = (ushort)Math.Min(stringLimit, PathMax);
        // strace shows an array's first -s entries and "...", or with -v all of them.
        var allEntries = options.Verbose ? AllEntries : (byte)0;
        var socketBufferMax = decoder.Name is "sendto" or "recvfrom" ? Math.Max(bufferMax, NetlinkCopy) : bufferMax;
        for (var i = 0; i < decoder.Args.Length && slots.Count < MaxSlots; i++)
        {
            var a = decoder.Args[i];
            var arg = (byte)i;
            CaptureSlot? slot = a.Kind switch
            {
                ArgKind.PathName => new(CapturePhase.Entry, CaptureKind.String, arg, SizeSource.Constant, 0, PathMax),
                ArgKind.Str => new(CapturePhase.Entry, CaptureKind.String, arg, SizeSource.Constant, 0, stringMax),
                ArgKind.InBuf => new(CapturePhase.Entry, CaptureKind.Bytes, arg, SizeSource.Argument, (byte)a.Related, socketBufferMax),
                ArgKind.OutBuf or ArgKind.RandomOut => new(CapturePhase.Exit, CaptureKind.Bytes, arg, SizeSource.ReturnValue, 0, socketBufferMax),
                ArgKind.OutPath => new(CapturePhase.Exit, CaptureKind.Bytes, arg, SizeSource.ReturnValue, 0, PathMax),
                ArgKind.StatOut => Fixed(CapturePhase.Exit, arg, StatSize),
                ArgKind.StatxOut => Fixed(CapturePhase.Exit, arg, StatxSize),
                ArgKind.TimespecIn => Fixed(CapturePhase.Entry, arg, 16),
                ArgKind.TimespecOut => Fixed(CapturePhase.Exit, arg, 16),
                ArgKind.RlimitIn => Fixed(CapturePhase.Entry, arg, 16),
                ArgKind.RlimitOut => Fixed(CapturePhase.Exit, arg, 16),
                ArgKind.SigsetIn => Fixed(CapturePhase.Entry, arg, 8),
                ArgKind.SigsetOut => Fixed(CapturePhase.Exit, arg, 8),
                ArgKind.SigactionIn => Fixed(CapturePhase.Entry, arg, SigactionSize),
                ArgKind.SigactionOut => Fixed(CapturePhase.Exit, arg, SigactionSize),
                ArgKind.PipeFds => Fixed(CapturePhase.Exit, arg, 8),
                ArgKind.WaitStatusOut => Fixed(CapturePhase.Exit, arg, 4),
                ArgKind.UtsnameOut => Fixed(CapturePhase.Exit, arg, UtsnameSize),
                ArgKind.SockaddrIn => new(CapturePhase.Entry, CaptureKind.Bytes, arg, SizeSource.Argument, (byte)a.Related, SockaddrSize),
                ArgKind.SockaddrOut => Fixed(CapturePhase.Exit, arg, SockaddrSize),
                ArgKind.Argv => new(CapturePhase.Entry, CaptureKind.StringArray, arg, SizeSource.Constant, 0, stringMax),
                ArgKind.IntIn => new(CapturePhase.Entry, CaptureKind.Bytes, arg, SizeSource.Constant, 0, 4),
                ArgKind.IntOut => Fixed(CapturePhase.Exit, arg, 4),
                ArgKind.SocklenInOut => Fixed(CapturePhase.Entry, arg, 4),
                ArgKind.CpuSetIn => new(CapturePhase.Entry, CaptureKind.Bytes, arg, SizeSource.Argument, (byte)a.Related, CpuSetMax),
                ArgKind.CpuSetOut => new(CapturePhase.Exit, CaptureKind.Bytes, arg, SizeSource.ReturnValue, 0, CpuSetMax),
                ArgKind.SysinfoOut => Fixed(CapturePhase.Exit, arg, SysinfoSize),
                ArgKind.DirentsOut => new(CapturePhase.Exit, CaptureKind.Bytes, arg, SizeSource.ReturnValue, 0, DirentsMax),
                ArgKind.PollFds => new(CapturePhase.Entry, CaptureKind.Bytes, arg, SizeSource.Argument, (byte)a.Related, 4096, SizeShift: 3),
                ArgKind.TimespecInOut => Fixed(CapturePhase.Entry, arg, 16),
                ArgKind.IoctlArg => Fixed(CapturePhase.Entry, arg, IoctlArgSize),
                ArgKind.CloneArgs => Fixed(CapturePhase.Entry, arg, 88),
                ArgKind.EpollEventIn => Fixed(CapturePhase.Entry, arg, 12),
                // maxevents × 8 bytes: never past the caller's array (12 bytes an event); enough for the events of most returns.
                ArgKind.EpollEventsOut => new(CapturePhase.Exit, CaptureKind.Bytes, arg, SizeSource.Argument, (byte)a.Related, 4096, SizeShift: 3),
                ArgKind.SiginfoOut => Fixed(CapturePhase.Exit, arg, 48),
                ArgKind.OpenHowIn => Fixed(CapturePhase.Entry, arg, 24),
                ArgKind.MsghdrIn => Fixed(CapturePhase.Entry, arg, MsghdrSize),
                ArgKind.MsghdrOut => Fixed(CapturePhase.Exit, arg, MsghdrSize),
                ArgKind.IovecIn => new(CapturePhase.Entry, CaptureKind.Iovecs, arg, SizeSource.Constant, (byte)a.Related, bufferMax, allEntries),
                ArgKind.IovecOut => new(CapturePhase.Exit, CaptureKind.Iovecs, arg, SizeSource.Constant, (byte)a.Related, bufferMax, allEntries),
                ArgKind.LongIn => Fixed(CapturePhase.Entry, arg, 8),
                ArgKind.TimeOut or ArgKind.TimezoneOut => Fixed(CapturePhase.Exit, arg, 8),
                ArgKind.GidsIn => new(CapturePhase.Entry, CaptureKind.Bytes, arg, SizeSource.Argument, (byte)a.Related, GidsMax, SizeShift: 2),
                // The caller's array holds as many as argument 0 says; the call fills as many as it returns.
                ArgKind.GidsOut => new(CapturePhase.Exit, CaptureKind.Bytes, arg, SizeSource.Argument, (byte)a.Related, GidsMax, SizeShift: 2),
                ArgKind.TimevalIn => Fixed(CapturePhase.Entry, arg, 16),
                ArgKind.TimevalOut => Fixed(CapturePhase.Exit, arg, 16),
                ArgKind.ItimerspecIn or ArgKind.ItimervalIn => Fixed(CapturePhase.Entry, arg, 32),
                ArgKind.ItimerspecOut or ArgKind.ItimervalOut or ArgKind.TmsOut => Fixed(CapturePhase.Exit, arg, 32),
                ArgKind.RusageOut => Fixed(CapturePhase.Exit, arg, 32), // only ru_utime and ru_stime are printed
                ArgKind.CapHeader => Fixed(CapturePhase.Entry, arg, 8),
                ArgKind.CapDataIn => Fixed(CapturePhase.Entry, arg, CapDataSize),
                ArgKind.CapDataOut => Fixed(CapturePhase.Exit, arg, CapDataSize),
                // The vector's length (pages) cannot be derived from the byte length by a shift: the first -s bytes are
                // copied (all strace prints); a vector so near the end of its mapping that these fault prints as its address.
                ArgKind.MincoreOut => Fixed(CapturePhase.Exit, arg, bufferMax),
                // nfds bytes hold nfds bits and more: never past an fd_set (128 bytes) sized for nfds fds.
                ArgKind.FdSetInOut => new(CapturePhase.Entry, CaptureKind.Bytes, arg, SizeSource.Argument, (byte)a.Related, FdSetSize),
                ArgKind.StatfsOut => Fixed(CapturePhase.Exit, arg, StatfsFormatter.Size),
                ArgKind.TimevalInOut => Fixed(CapturePhase.Entry, arg, 16),
                ArgKind.KernelSigset => Fixed(CapturePhase.Entry, arg, 16),
                ArgKind.Envp when options.Verbose => new(CapturePhase.Entry, CaptureKind.StringArray, arg, SizeSource.Constant, 0, stringMax),
                ArgKind.Envp => new(CapturePhase.Entry, CaptureKind.PointerCount, arg, SizeSource.Constant, 0, 0),
                _ => null,
            };
            if (slot is { } s) slots.Add(s);
            // -y: a new pipe's or socket's inode, before the process can close it.
            if (options.FdPaths && a.Kind == ArgKind.PipeFds && slots.Count < MaxSlots)
                slots.Add(new(CapturePhase.Exit, CaptureKind.FdInodes, arg, SizeSource.Constant, 0, 16));
            // "/* 970 entries */" of a 32 KiB result: counted in the kernel over all of it.
            if (a.Kind == ArgKind.DirentsOut && slots.Count < MaxSlots)
                slots.Add(new(CapturePhase.Exit, CaptureKind.DirentCount, arg, SizeSource.ReturnValue, 0, DirentsMax));
            if (a.Kind is ArgKind.MmsghdrsSent or ArgKind.MmsghdrsReceived) AddMmsghdrs(slots, a.Kind == ArgKind.MmsghdrsReceived, arg, options, bufferMax, allEntries);
            // In-out arguments are copied again at a successful exit: [128 => 16], poll's revents, ppoll's and select's
            // time left, select's ready sets, TCGETS.
            if (slot is { Phase: CapturePhase.Entry } twin && a.Kind is ArgKind.SocklenInOut or ArgKind.PollFds or ArgKind.TimespecInOut
                or ArgKind.IoctlArg or ArgKind.FdSetInOut or ArgKind.TimevalInOut && slots.Count < MaxSlots)
                slots.Add(twin with { Phase = CapturePhase.Exit });
            // pselect6's {sigmask, sigsetsize} points at the mask.
            if (a.Kind == ArgKind.KernelSigset && slots.Count < MaxSlots)
                slots.Add(new(CapturePhase.Entry, CaptureKind.PointerWithLength, arg, SizeSource.Constant, 0, 8));
            // struct msghdr points at more: the iovec array and its buffers, the peer's address and the ancillary data.
            // recvmsg's is also copied at entry, for msg_namelen as given ({msg_namelen=110 => 0}) and for a failed call.
            if (a.Kind is ArgKind.MsghdrIn or ArgKind.MsghdrOut && slots.Count + 5 <= MaxSlots)
            {
                // In the same slots for both calls, so that the programs hold the code of each kind once.
                var phase = a.Kind == ArgKind.MsghdrIn ? CapturePhase.Entry : CapturePhase.Exit;
                slots.Add(new(phase, CaptureKind.MsgIovecs, arg, SizeSource.Constant, 0, bufferMax, allEntries));
                slots.Add(new(phase, CaptureKind.PointerWithLength, arg, SizeSource.Constant, 0, SockaddrSize));
                slots.Add(new(phase, CaptureKind.PointerWithLength, arg, SizeSource.Constant, MsgControlPair, ControlMessageFormatter.Max));
                if (phase == CapturePhase.Exit) slots.Add(Fixed(CapturePhase.Entry, arg, MsghdrSize));
                // The buffers again, NetlinkCopy bytes each (within the iovec budget: in practice the first), for netlink messages.
                if (bufferMax < NetlinkCopy) slots.Add(new(phase, CaptureKind.MsgIovecs, arg, SizeSource.Constant, 0, NetlinkCopy));
            }
        }
        // -y: a new socket's inode (the descriptor is the return value; argument 0 only names the slot).
        if (options.FdPaths && decoder.Name is "socket" or "accept" or "accept4" && slots.Count < MaxSlots)
            slots.Add(new(CapturePhase.Exit, CaptureKind.FdInodes, 0, SizeSource.ReturnValue, 0, 8));
        return [.. slots];
    }

    /// <summary>
    /// sendmmsg's and recvmmsg's copies: the mmsghdr array at exit (msg_len; as many as strace shows: -s, all with -v, up to 64)
    /// and at entry (recvmmsg's msg_namelen as given; the messages of a failed sendmmsg, which strace shows too), then the
    /// messages' addresses, ancillary data and buffers in one copy: sent ones at entry, received ones at exit.
    /// </summary>
    private static void AddMmsghdrs(List<CaptureSlot> slots, bool received, byte arg, DecodeOptions options, ushort bufferMax, byte allEntries)
    {
        var shown = options.Verbose ? PathMax / MmsghdrSize : Math.Clamp(options.StringLimit, 1, PathMax / MmsghdrSize);
        var array = new CaptureSlot(CapturePhase.Exit, CaptureKind.Bytes, arg, SizeSource.Argument, 2, (ushort)(shown * MmsghdrSize), SizeShift: 6);
        slots.Add(array);
        slots.Add(array with { Phase = CapturePhase.Entry });
        if (slots.Count < MaxSlots)
            slots.Add(new(received ? CapturePhase.Exit : CapturePhase.Entry, CaptureKind.MmsgIovecs, arg, SizeSource.Constant, received ? ReceivedMessage : (byte)0, bufferMax, allEntries));
    }

    /// <summary>
    /// The parts of a <see cref="CaptureKind.MmsgIovecs"/> copy, one a message copied in order: each {u64 the part's bytes,
    /// msg_name's and msg_control's bytes as {i64 bytes copied (-1: none), the bytes padded to 8}, the iovec array}.
    /// </summary>
    public static List<byte[]> MessageParts(byte[] data)
    {
        var parts = new List<byte[]>();
        for (var at = 0; at <= data.Length - 8;)
        {
            var length = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at));
            if (length < 8 || length > (ulong)(data.Length - at)) break;
            parts.Add(data[(at + 8)..(at + (int)length)]);
            at += (int)length;
        }
        return parts;
    }

    /// <summary>
    /// Whether the call writes memory that it also reads (an argument copied at entry and again at exit):
    /// then its entry copies cannot be deferred to its exit, where they would show what the call wrote.
    /// </summary>
    public static bool RewritesInput(CaptureSlot[] slots) =>
        slots.Any(e => e.Phase == CapturePhase.Entry && slots.Any(x => x.Phase == CapturePhase.Exit && x.Arg == e.Arg));

    /// <summary>The second, larger <see cref="CaptureKind.MsgIovecs"/> copy of a struct msghdr's buffers (see <see cref="NetlinkCopy"/>), or -1.</summary>
    public static int NetlinkIovecsSlotOf(CaptureSlot[] slots, int arg, CapturePhase phase)
    {
        for (var i = 0; i < slots.Length; i++)
            if (slots[i] is { Kind: CaptureKind.MsgIovecs, Max: NetlinkCopy } s && s.Arg == arg && s.Phase == phase) return i;
        return -1;
    }

    /// <summary>The slot that holds argument <paramref name="arg"/>'s copy of <paramref name="kind"/> made at <paramref name="phase"/>, or -1.</summary>
    public static int SlotOf(CaptureSlot[] slots, int arg, CapturePhase phase, CaptureKind kind)
    {
        for (var i = 0; i < slots.Length; i++) if (slots[i].Arg == arg && slots[i].Phase == phase && slots[i].Kind == kind) return i;
        return -1;
    }

    /// <summary>The slot that holds the <see cref="CaptureKind.PointerWithLength"/> copy of the pair at <paramref name="pairOffset"/> of argument <paramref name="arg"/>, or -1.</summary>
    public static int PairSlotOf(CaptureSlot[] slots, int arg, CapturePhase phase, byte pairOffset)
    {
        for (var i = 0; i < slots.Length; i++)
            if (slots[i] is { Kind: CaptureKind.PointerWithLength } s && s.Arg == arg && s.Phase == phase && s.SizeArg == pairOffset) return i;
        return -1;
    }

    /// <summary>The slot index that holds argument <paramref name="arg"/>'s copy, or -1.</summary>
    public static int SlotOf(CaptureSlot[] slots, int arg)
    {
        for (var i = 0; i < slots.Length; i++) if (slots[i].Arg == arg) return i;
        return -1;
    }

    /// <summary>The slot that holds argument <paramref name="arg"/>'s copy made at <paramref name="phase"/>, or -1.</summary>
    public static int SlotOf(CaptureSlot[] slots, int arg, CapturePhase phase)
    {
        for (var i = 0; i < slots.Length; i++) if (slots[i].Arg == arg && slots[i].Phase == phase) return i;
        return -1;
    }

    private static CaptureSlot Fixed(CapturePhase phase, byte arg, ushort size) => new(phase, CaptureKind.Bytes, arg, SizeSource.Constant, 0, size);
}
