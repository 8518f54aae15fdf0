using System.Buffers.Binary;
using System.Text;
using Sharptrace.Kernel;
using Sharptrace.Syscalls.Formatting;

namespace Sharptrace.Syscalls.Decoding;

/// <summary>
/// Prints one call in strace's format, split the way strace splits it when another task's line
/// comes in between: the part known at entry (up to the first output argument) and the rest.
/// </summary>
internal sealed class CallFormatter(DecodeOptions options, Func<string, int> rawArgumentCount)
{
    /// <summary>The entry part: <c>name(</c> and the arguments before the first output argument, with a trailing ", " if more follow.</summary>
    public string Entry(string name, SyscallDecoder? decoder, SyscallRecord call, CaptureSlot[] slots)
    {
        var text = new StringBuilder(name).Append('(');
        var args = Arguments(name, decoder, call, slots);
        var split = SplitPoint(args);
        for (var i = 0; i < split; i++)
        {
            if (i > 0) text.Append(", ");
            text.Append(args[i].Text);
        }
        if (split < args.Count && split > 0 && !args[split].Text.StartsWith(Glued)) text.Append(", ");
        return text.ToString();
    }

    /// <summary>
    /// Marks an argument printed right after the one before it, without ", " (clone3's
    /// <c>{…} =&gt; {parent_tid=[N]}, 88</c>, whose second part is known only at exit).
    /// </summary>
    private const char Glued = '\u0001';

    /// <summary>The whole call, <c>name(args)</c>, when nothing came between its entry and exit: the arguments are decoded once.</summary>
    public void Whole(StringBuilder text, string name, SyscallDecoder? decoder, SyscallRecord call, CaptureSlot[] slots)
    {
        text.Append(name).Append('(');
        var args = Arguments(name, decoder, call, slots);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].Text.StartsWith(Glued)) { text.Append(args[i].Text.AsSpan(1)); continue; }
            if (i > 0) text.Append(", ");
            text.Append(args[i].Text);
        }
        text.Append(')');
    }

    /// <summary>Each argument's text (for --json).</summary>
    public IReadOnlyList<string> ArgumentTexts(string name, SyscallDecoder? decoder, SyscallRecord call, CaptureSlot[] slots) =>
        Arguments(name, decoder, call, slots).Select(a => a.Text.TrimStart(Glued)).ToList();

    /// <summary>The exit part: the remaining arguments and the closing parenthesis.</summary>
    public string Exit(string name, SyscallDecoder? decoder, SyscallRecord call, CaptureSlot[] slots)
    {
        var text = new StringBuilder();
        var args = Arguments(name, decoder, call, slots);
        for (var i = SplitPoint(args); i < args.Count; i++)
        {
            text.Append(args[i].Text.TrimStart(Glued));
            if (i + 1 < args.Count && !args[i + 1].Text.StartsWith(Glued)) text.Append(", ");
        }
        return text.Append(')').ToString();
    }

    private static int SplitPoint(List<(string Text, bool AtExit)> args)
    {
        for (var i = 0; i < args.Count; i++) if (args[i].AtExit) return i;
        return args.Count;
    }

    /// <summary>-y's table of what descriptors refer to.</summary>
    private readonly FdPaths? fdPaths = options.FdPaths ? new FdPaths() : null;

    /// <summary>-y: the command started under trace has our current directory and descriptors 0-2.</summary>
    public void StartedProcess(int pid)
    {
        fdPaths?.Started(pid);
        masks.ReadFromProc(pid);
    }

    /// <summary>-y: a process attached with -p: its directory and descriptors from /proc, read now; and its threads' signal masks.</summary>
    public void AttachedProcess(int pid)
    {
        fdPaths?.Attached(pid);
        masks.ReadFromProc(pid);
    }

    /// <summary>Blocked signals per thread, for rt_sigreturn's {mask=[…]}.</summary>
    private readonly SignalMasks masks = new();

    /// <summary>
    /// The return value as printed; with -y a new descriptor with its path. Called once per call after
    /// its arguments were printed, so -y's table changes here (dup2's target prints as it was before).
    /// </summary>
    public string Result(string name, SyscallDecoder? decoder, SyscallRecord call, CaptureSlot[] slots)
    {
        var text = Return(decoder, call, options.Xlat) + ReturnDetail(name, call, slots);
        if (decoder is null) return text;
        Learn(name, decoder, call, slots);
        if (fdPaths is null) return text;
        var failed = call.Return is < 0 and >= -4095;
        return decoder.Return == ReturnKind.Fd && call.Returned && !failed ? fdPaths.Describe(call.Tgid, (int)call.Return) : text;
    }

    /// <summary>
    /// What a returned call teaches: -y's descriptor table, and the signal masks rt_sigreturn prints. Also
    /// for calls -e trace hides, which are traced for this alone (see <see cref="LearnsFrom"/>).
    /// </summary>
    public void Learn(string name, SyscallDecoder? decoder, SyscallRecord call, CaptureSlot[] slots)
    {
        if (decoder is null) return;
        masks.Learn(name, call, name == "rt_sigprocmask" ? CaptureAt(call, slots, 1, CapturePhase.Entry) : null);
        netlinkSockets.Learn(name, call, decoder.Return == ReturnKind.Fd);
        fdPaths?.Learn(name, call, LearntPath(name, call, slots), name is "pipe" or "pipe2" ? PipeFdsOf(call, slots, 0) : name == "socketpair" ? PipeFdsOf(call, slots, 3) : null,
            NewFdInodes(call, slots));
    }

    /// <summary>Whether a call hidden by -e trace must still be traced, for what it teaches (see <see cref="Learn"/>).</summary>
    /// <param name="name">The call.</param>
    /// <param name="options">-y learns every descriptor.</param>
    /// <param name="sigreturnShown">rt_sigreturn shows the mask rt_sigprocmask set.</param>
    /// <param name="socketDataShown">A call that sends or receives messages is shown: which sockets are netlink's must be known.</param>
    public static bool LearnsFrom(string name, DecodeOptions options, bool sigreturnShown, bool socketDataShown) =>
        (options.FdPaths && FdPaths.Changes(name)) || (sigreturnShown && name == "rt_sigprocmask") || (socketDataShown && NetlinkSockets.Changes(name));

    /// <summary>What strace adds after some return values: poll's revents and ppoll's time left, or "Timeout".</summary>
    private string ReturnDetail(string name, SyscallRecord call, CaptureSlot[] slots)
    {
        if (!call.Returned || call.Return < 0) return "";
        var named = name switch
        {
            "sched_getscheduler" => MoreFlags.SchedPolicy.NameOf((ulong)call.Return),
            "personality" => XlatText.Format(options.Xlat, Hex((ulong)call.Return), Persona((ulong)call.Return)),
            "time" => StructFormatter.IsoTime(call.Return, 0),
            // The signal taken, by name in every -X style.
            "rt_sigtimedwait" when call.Return > 0 => Flags.Signal(call.Return),
            _ => null,
        };
        if (named is not null) return $" ({named})";
        if (name == "recvmmsg")
            return call.Return == 0 ? " (Timeout)"
                : call.Args[4] != 0 && CaptureAt(call, slots, 4, CapturePhase.Exit) is { Faulted: false, Data.Length: >= 16 } remaining
                    ? $" (left {StructFormatter.Timespec(remaining.Data)})" : "";
        if (name is "select" or "pselect6") return call.Return == 0 ? " (Timeout)" : SelectResult(name, call, slots);
        if (name is not ("poll" or "ppoll")) return "";
        if (call.Return == 0) return " (Timeout)";
        var fds = CaptureAt(call, slots, 0, CapturePhase.Exit);
        if (fds is null || fds.Faulted) return "";
        var detail = PollFormatter.Returned(fds.Data, fd => FdText(call, fd), options.Xlat);
        if (name == "ppoll" && call.Args[2] != 0 && CaptureAt(call, slots, 2, CapturePhase.Exit) is { Faulted: false } left)
            detail += $", left {StructFormatter.Timespec(left.Data)}";
        return $" ({detail})";
    }

    /// <summary>
    /// select's ready sets and time left, <c> (in [3], out [4], left {tv_sec=0, tv_nsec=999997016})</c>, as strace
    /// builds them: the descriptors as numbers, no more of them than the call said were ready.
    /// </summary>
    private static string SelectResult(string name, SyscallRecord call, CaptureSlot[] slots)
    {
        var ready = call.Return;
        var nfds = (int)Math.Clamp((long)(int)call.Args[0], 0, 1024 * 1024);
        var text = new StringBuilder();
        var separator = "";
        for (var i = 0; i < 3 && ready > 0; i++)
        {
            if (call.Args[i + 1] == 0 || CaptureAt(call, slots, i + 1, CapturePhase.Exit) is not { Faulted: false } set) continue;
            var first = true;
            for (var fd = 0; fd < nfds && fd / 8 < set.Data.Length; fd++)
            {
                if ((set.Data[fd / 8] & (1 << (fd % 8))) == 0) continue;
                if (first) text.Append(separator).Append(((string[])["in", "out", "except"])[i]).Append(" [").Append(fd);
                else text.Append(' ').Append(fd);
                first = false;
                separator = ", ";
                if (--ready == 0) break;
            }
            // strace closes the bracket after each set once anything was written, as here.
            if (text.Length > 0) text.Append(']');
        }
        if (call.Args[4] != 0 && CaptureAt(call, slots, 4, CapturePhase.Exit) is { Faulted: false, Data.Length: >= 16 } left)
            text.Append(separator).Append("left ").Append(name == "select" ? StructFormatter.Timeval(left.Data) : StructFormatter.Timespec(left.Data));
        return text.Length > 0 ? $" ({text})" : "";
    }

    /// <summary>
    /// struct msghdr with what it points at: the address (<c>msg_name={sa_family=AF_UNIX}</c> when the length says there is one),
    /// recvmsg's length as given and as returned (<c>msg_namelen=110 =&gt; 0</c>), the iovec array and its buffers.
    /// A failed recvmsg prints the length given alone, <c>{msg_namelen=110}</c>.
    /// </summary>
    private string Msghdr(bool received, int index, SyscallRecord call, CaptureSlot[] slots)
    {
        var address = call.Args[index];
        if (address == 0) return "NULL";
        var failed = call.Returned && call.Return is < 0 and >= -4095;
        var phase = received ? CapturePhase.Exit : CapturePhase.Entry;
        var given = Captured(call, slots, index, CapturePhase.Entry, CaptureKind.Bytes);
        int? lengthGiven = received && given is { Faulted: false, Data.Length: CapturePlan.MsghdrSize } ? BinaryPrimitives.ReadInt32LittleEndian(given.Data.AsSpan(8)) : null;
        if (received && (failed || !call.Returned)) return lengthGiven is { } l && call.Returned ? $"{{msg_namelen={l}}}" : Pointer(address);
        if (Captured(call, slots, index, phase, CaptureKind.Bytes) is not { Faulted: false, Data.Length: CapturePlan.MsghdrSize } header) return Pointer(address);
        var netlinkCopy = CapturePlan.NetlinkIovecsSlotOf(slots, index, phase) is var n and >= 0 ? call.Captures[n] : null;
        return MsghdrFields(header.Data, lengthGiven, Pair(call, slots, index, phase, 0), Captured(call, slots, index, phase, CaptureKind.MsgIovecs),
            Pair(call, slots, index, phase, CapturePlan.MsgControlPair), received ? call.Return : null, call,
            quote: NetlinkQuote(call, netlinkCopy, received ? call.Return : null));
    }

    /// <summary>
    /// The braces of one struct msghdr from its bytes <paramref name="m"/> and the copies of what it points at (null: printed as
    /// its address); <paramref name="returned"/> bytes received are spread over the buffers (null: a message sent, shown whole).
    /// Of the ancillary data at most <paramref name="controlMax"/> bytes were copied; more print as <c>...</c>.
    /// </summary>
    private string MsghdrFields(ReadOnlySpan<byte> m, int? lengthGiven, Capture? nameCopy, Capture? iovecs, Capture? controlCopy, long? returned, SyscallRecord call,
        int controlMax = ControlMessageFormatter.Max, Func<ReadOnlyMemory<byte>, bool, string>? quote = null)
    {
        var namePointer = BinaryPrimitives.ReadUInt64LittleEndian(m);
        var nameLength = BinaryPrimitives.ReadInt32LittleEndian(m[8..]);
        // strace decodes no more of the address than the caller's buffer holds.
        var decoded = lengthGiven is { } g && nameLength > g ? g : nameLength;
        var name = namePointer == 0 ? "NULL"
            : decoded >= 2 && nameCopy is { Faulted: false } sockaddr
                ? StructFormatter.Sockaddr(sockaddr.Data, decoded, options.Xlat) : Pointer(namePointer);
        var lengthText = lengthGiven is { } before && before != nameLength ? $"{before} => {nameLength}" : nameLength.ToString();
        var iovLength = BinaryPrimitives.ReadUInt64LittleEndian(m[24..]);
        var iov = IovecFormatter.Format(iovecs, BinaryPrimitives.ReadUInt64LittleEndian(m[16..]), iovLength, returned, quote ?? QuoteBuffer);
        var controlLength = BinaryPrimitives.ReadUInt64LittleEndian(m[40..]);
        var msgFlags = (ulong)(uint)BinaryPrimitives.ReadInt32LittleEndian(m[48..]);
        var control = controlLength == 0 ? ""
            : $"msg_control={new ControlMessageFormatter(options, fd => FdText(call, fd)).Format(controlCopy, BinaryPrimitives.ReadUInt64LittleEndian(m[32..]), controlLength, controlMax)}, ";
        return $"{{msg_name={name}, msg_namelen={lengthText}, msg_iov={iov}, msg_iovlen={iovLength}, {control}"
            + $"msg_controllen={controlLength}, msg_flags={XlatText.Format(options.Xlat, Hex(msgFlags), Flags.MsgFlags.Bits(msgFlags))}}}";
    }

    /// <summary>
    /// sendmmsg's and recvmmsg's array of struct mmsghdr ({struct msghdr msg_hdr; u32 msg_len}), as strace prints it at exit:
    /// sendmmsg's every message given with the msg_len of those sent (none after a failure), recvmmsg's those received with their
    /// buffers as filled, the first -s (all with -v). The messages' buffers are copied with their addresses and
    /// ancillary data (its first <see cref="CapturePlan.MessageControlMax"/> bytes) while the copy is within its budget.
    /// </summary>
    private string Mmsghdrs(bool received, int index, SyscallRecord call, CaptureSlot[] slots)
    {
        var address = call.Args[index];
        var failed = call.Returned && call.Return is < 0 and >= -4095;
        if (!call.Returned || received && failed) return Pointer(address);
        var count = received ? (ulong)call.Return : (uint)call.Args[2];
        if (address == 0) return "NULL";
        if (count == 0) return "[]";
        var given = Captured(call, slots, index, CapturePhase.Entry, CaptureKind.Bytes);
        if ((failed ? given : Captured(call, slots, index, CapturePhase.Exit, CaptureKind.Bytes)) is not { Faulted: false } array) return Pointer(address);
        if (!received) given = null;
        var parts = Captured(call, slots, index, received ? CapturePhase.Exit : CapturePhase.Entry, CaptureKind.MmsgIovecs) is { Faulted: false } messages
                ? CapturePlan.MessageParts(messages.Data) : [];
        var text = new StringBuilder("[");
        for (var i = 0; (ulong)i < count; i++)
        {
            if (i > 0) text.Append(", ");
            var at = i * CapturePlan.MmsghdrSize;
            if (!options.Verbose && i >= options.StringLimit || at + CapturePlan.MmsghdrSize > array.Data.Length) { text.Append("..."); break; }
            int? lengthGiven = given is { Faulted: false } && at + CapturePlan.MmsghdrSize <= given.Data.Length ? BinaryPrimitives.ReadInt32LittleEndian(given.Data.AsSpan(at + 8)) : null;
            var sent = BinaryPrimitives.ReadUInt32LittleEndian(array.Data.AsSpan(at + CapturePlan.MsghdrSize));
            var (name, control, iovecs) = MessageCopies(i < parts.Count ? new Capture(parts[i], false, false) : null);
            text.Append("{msg_hdr=").Append(MsghdrFields(array.Data.AsSpan(at, CapturePlan.MsghdrSize), lengthGiven, name, iovecs, control, received ? sent : null, call, CapturePlan.MessageControlMax));
            if (i < call.Return) text.Append(", msg_len=").Append(sent);
            text.Append('}');
        }
        return text.Append(']').ToString();
    }

    /// <summary>A message's copy split into its address, its ancillary data and its iovec array (see <see cref="CaptureKind.MmsgIovecs"/>).</summary>
    private static (Capture? Name, Capture? Control, Capture? Iovecs) MessageCopies(Capture? copy)
    {
        if (copy is null || copy.Faulted) return (null, null, copy);
        var at = 0;
        var name = LengthPrefixed(copy.Data, ref at);
        var control = LengthPrefixed(copy.Data, ref at);
        return at > copy.Data.Length ? (null, null, null) : (name, control, new Capture(copy.Data[at..], false, false));
    }

    /// <summary>The part at <paramref name="at"/> of a message's copy, {i64 bytes copied (-1: none), the bytes padded to 8}; <paramref name="at"/> moves past it.</summary>
    private static Capture? LengthPrefixed(byte[] data, ref int at)
    {
        if (at > data.Length - 8) { at = int.MaxValue; return null; }
        var copied = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(at));
        var start = at + 8;
        at = start + (int)((Math.Clamp(copied, 0, data.Length - start) + 7) & ~7);
        return copied >= 0 && start + copied <= data.Length ? new Capture(data[start..(start + (int)copied)], false, false) : null;
    }

    /// <summary>The copy of what the {pointer, length} pair at <paramref name="pairOffset"/> in argument <paramref name="arg"/>'s struct points at.</summary>
    private static Capture? Pair(SyscallRecord call, CaptureSlot[] slots, int arg, CapturePhase phase, byte pairOffset)
    {
        var slot = CapturePlan.PairSlotOf(slots, arg, phase, pairOffset);
        return slot >= 0 ? call.Captures[slot] : null;
    }

    private static Capture? Captured(SyscallRecord call, CaptureSlot[] slots, int arg, CapturePhase phase, CaptureKind kind)
    {
        var slot = CapturePlan.SlotOf(slots, arg, phase, kind);
        return slot >= 0 ? call.Captures[slot] : null;
    }

    /// <summary>
    /// The printer of a msghdr's buffers in order: on a netlink socket (its first argument) each buffer the larger copy
    /// <paramref name="netlinkCopy"/> holds whole prints as netlink messages when decoded here; the rest as bytes.
    /// </summary>
    private Func<ReadOnlyMemory<byte>, bool, string>? NetlinkQuote(SyscallRecord call, Capture? netlinkCopy, long? returned)
    {
        if (NetlinkDecoder(call) is not { } netlink || netlinkCopy is not { Faulted: false }) return null;
        var buffers = IovecFormatter.WholeBuffers(netlinkCopy, returned);
        var next = 0;
        return (data, truncated) =>
        {
            var whole = next < buffers.Count ? buffers[next] : null;
            next++;
            return whole is not null && netlink.Formatter.Format(whole, netlink.Protocol) is { } messages ? messages : QuoteBuffer(data, truncated);
        };
    }

    /// <summary>The netlink decoder for the socket in the call's first argument, when it is one and the options print as it does.</summary>
    private (NetlinkFormatter Formatter, int Protocol)? NetlinkDecoder(SyscallRecord call)
    {
        // -X raw/verbose print every constant differently, and -xx even addresses (inet_addr("\x31…")): the buffers print as bytes there.
        if (options.Xlat != XlatStyle.Abbrev || options.Hex == HexMode.All) return null;
        return netlinkSockets.ProtocolOf(call.Tgid, (int)call.Args[0]) is { } protocol ? (netlinkFormatter, protocol) : null;
    }

    private readonly NetlinkSockets netlinkSockets = new();
    private readonly NetlinkFormatter netlinkFormatter = new(options.StringLimit, options.Verbose, options.Hex);

    /// <summary>A buffer's bytes, cut at -s (a socket call's copy is longer, for netlink messages).</summary>
    private string QuoteBuffer(ReadOnlyMemory<byte> data, bool truncated)
    {
        if (data.Length > options.StringLimit) (data, truncated) = (data[..options.StringLimit], true);
        var text = new StringBuilder(data.Length + 8);
        StringQuoter.Append(text, data.Span, options.Hex, stopAtNul: false, truncated);
        return text.ToString();
    }

    /// <summary>The path a call opened or changed to, from its copy (null if it could not be copied).</summary>
    private static string? LearntPath(string name, SyscallRecord call, CaptureSlot[] slots)
    {
        var arg = name switch { "open" or "creat" or "chdir" => 0, "openat" or "openat2" => 1, _ => -1 };
        if (arg < 0) return null;
        var slot = CapturePlan.SlotOf(slots, arg);
        if (slot < 0 || call.Captures[slot] is not { Faulted: false } capture) return null;
        var data = capture.Data.AsSpan();
        var nul = data.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? data[..nul] : data);
    }

    /// <summary>-y: the inodes of the descriptors the call made, read as it returned (0: unknown); null when not read.</summary>
    private static ulong[]? NewFdInodes(SyscallRecord call, CaptureSlot[] slots)
    {
        for (var i = 0; i < slots.Length; i++)
            if (slots[i].Kind == CaptureKind.FdInodes && call.Captures[i] is { Faulted: false, Data.Length: 16 } capture)
                return [BinaryPrimitives.ReadUInt64LittleEndian(capture.Data), BinaryPrimitives.ReadUInt64LittleEndian(capture.Data.AsSpan(8))];
        return null;
    }

    private static int[]? PipeFdsOf(SyscallRecord call, CaptureSlot[] slots, int arg)
    {
        var slot = CapturePlan.SlotOf(slots, arg);
        if (slot < 0 || call.Captures[slot] is not { Faulted: false } capture || capture.Data.Length < 8) return null;
        return [BinaryPrimitives.ReadInt32LittleEndian(capture.Data), BinaryPrimitives.ReadInt32LittleEndian(capture.Data.AsSpan(4))];
    }

    /// <summary>The return value: <c>3</c>, <c>0x7f…</c>, <c>-1 ENOENT (No such file or directory)</c>, <c>?</c>.</summary>
    public static string Return(SyscallDecoder? decoder, SyscallRecord call, XlatStyle xlat = XlatStyle.Abbrev)
    {
        if (!call.Returned || decoder?.Return == ReturnKind.None) return "?";
        var ret = call.Return;
        if (ret is < 0 and >= -4095)
        {
            var errno = (int)-ret;
            return errno switch
            {
                512 => "? ERESTARTSYS (To be restarted if SA_RESTART is set)",
                513 => "? ERESTARTNOINTR (To be restarted)",
                514 => "? ERESTARTNOHAND (To be restarted if no handler)",
                516 => "? ERESTART_RESTARTBLOCK (Interrupted by signal)",
                _ => $"-1 {ErrnoName((Errno)errno)} ({ErrnoText.Describe((Errno)errno)})",
            };
        }
        // membarrier's query returns the commands supported: in hex, with their names.
        if (decoder?.Name == "membarrier" && call.Args[0] == 0 && ret > 0)
            return $"0x{ret:x} ({XlatText.Format(xlat, $"0x{ret:x}", MoreFlags.Membarrier.Bits((ulong)ret))})";
        // F_GETFL returns the open flags: strace shows them decoded after the number.
        if (decoder?.Name == "fcntl" && call.Args[1] == 3)
            return $"{(ret == 0 ? "0" : $"0x{ret:x}")} (flags {OpenFlags((ulong)ret)})";
        // F_GETFD returns the descriptor flags: in hex with their names (only these follow -X).
        if (decoder?.Name == "fcntl" && call.Args[1] == 1 && ret > 0)
            return $"0x{ret:x} (flags {XlatText.Format(xlat, $"0x{ret:x}", Flags.FdFlags.Bits((ulong)ret))})";
        return decoder?.Return switch
        {
            ReturnKind.Hex => $"0x{(ulong)ret:x}",
            ReturnKind.Octal => Octal((ulong)ret),
            _ => ret.ToString(),
        };
    }

    /// <summary>A personality: the persona by name, then its flags (<c>PER_LINUX|ADDR_NO_RANDOMIZE</c>).</summary>
    private static string Persona(ulong value)
    {
        var persona = MoreFlags.Persona.NameOf(value & 0xff) ?? Hex(value & 0xff);
        return (value & ~0xffUL) == 0 ? persona : $"{persona}|{MoreFlags.PersonaFlags.Bits(value & ~0xffUL)}";
    }

    /// <summary>The page size mincore's vector counts in (x86_64; arm64 kernels built for 4 KiB pages).</summary>
    private const ulong PageSize = 4096;

    private static string ErrnoName(Errno errno) => Enum.IsDefined(errno) ? errno.ToString() : ((int)errno).ToString();

    private List<(string Text, bool AtExit)> Arguments(string name, SyscallDecoder? decoder, SyscallRecord call, CaptureSlot[] slots)
    {
        var list = new List<(string, bool)>(6);
        if (decoder is null)
        {
            var count = rawArgumentCount(name);
            for (var i = 0; i < count; i++) list.Add((Hex(call.Args[i]), false));
            return list;
        }
        if (decoder.Name == "clone") return Clone(call);
        if (decoder.Name == "clone3") return Clone3(call, slots);
        // The mask rt_sigreturn restores is the one the thread had before the handler ran.
        if (decoder.Name == "rt_sigreturn")
            return [(masks.Of(call.Tid) is { } mask ? $"{{mask={StructFormatter.Sigset(mask, xlat: options.Xlat)}}}" : Pointer(call.Args[0]), false)];
        for (var i = 0; i < decoder.Args.Length; i++)
        {
            var arg = decoder.Args[i];
            var text = Format(arg, i, call, slots);
            if (text is null) continue;
            list.Add((text, arg.AtExit));
        }
        if (decoder.Name == "futex") Trim(list, FutexArgCount(call.Args[1]));
        // The bitset operations take a bit mask in val3 instead of uaddr2.
        if (decoder.Name == "futex" && (call.Args[1] & 0x7f) is 9 or 10 && list.Count >= 3)
        {
            Trim(list, (call.Args[1] & 0x7f) == 9 ? 4 : 3);
            list.Add(((uint)call.Args[5] == uint.MaxValue ? XlatText.Format(options.Xlat, "0xffffffff", "FUTEX_BITSET_MATCH_ANY") : Hex((uint)call.Args[5]), false));
        }
        if (decoder.Name == "ioctl" && IoctlFormatter.HasNoArgument(call.Args[1])) Trim(list, 2);
        // PR_CAPBSET_READ and PR_CAPBSET_DROP take a capability: prctl(PR_CAPBSET_READ, CAP_MAC_OVERRIDE), an unknown one 0x29 /* CAP_??? */.
        if (decoder.Name == "prctl" && call.Args[0] is 23 or 24 && list.Count >= 2)
        {
            Trim(list, 2);
            var capability = call.Args[1] < 64 ? MoreFlags.Capabilities.NameOf(1UL << (int)call.Args[1])?.Replace("1<<", "") : null;
            list[1] = (capability is null ? (options.Xlat == XlatStyle.Raw ? Hex(call.Args[1]) : $"{Hex(call.Args[1])} /* CAP_??? */")
                : XlatText.Format(options.Xlat, Hex(call.Args[1]), capability), false);
        }
        if (decoder.Name == "fcntl" && list.Count == 3 && list[2].Item1.Length == 0) list.RemoveAt(2);
        // strace names the protocol only for the families whose protocols it knows (AF_INET, AF_INET6).
        if (decoder.Name == "socket" && call.Args[0] is not (2 or 10) && list.Count == 3)
            list[2] = (call.Args[0] switch
            {
                16 => XlatText.Named(options.Xlat, Flags.NetlinkProtocol, (uint)call.Args[2], "NETLINK_???"),
                // AF_PACKET's protocol is in network order: htons(ETH_P_ALL); one not named here prints as before.
                17 when options.Xlat == XlatStyle.Abbrev && call.Args[2] <= 0xffff
                    && Flags.EthernetProtocol.NameOf((ulong)System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)call.Args[2])) is { } ethernet => $"htons({ethernet})",
                _ => ((int)call.Args[2]).ToString(),
            }, false);
        // statx's sync mode is a two-bit field whose zero value has a name: strace always shows it.
        if (decoder.Name == "statx" && list.Count > 2 && (call.Args[2] & 0x6000) == 0)
        {
            // strace prints it with printflags and no default, which prints nothing for 0 under -X raw: "|0x900".
            var sync = options.Xlat switch { XlatStyle.Raw => "", XlatStyle.Verbose => "0 /* AT_STATX_SYNC_AS_STAT */", _ => "AT_STATX_SYNC_AS_STAT" };
            list[2] = (call.Args[2] == 0 ? sync : sync + "|" + list[2].Item1, false);
        }
        return list;
    }

    private static void Trim(List<(string, bool)> list, int count)
    {
        if (list.Count > count) list.RemoveRange(count, list.Count - count);
    }

    private static int FutexArgCount(ulong op) => (op & 0x7f) switch
    {
        1 or 7 or 8 => 3, // WAKE, UNLOCK_PI, TRYLOCK_PI
        0 or 6 or 13 => 4, // WAIT, LOCK_PI, LOCK_PI2 (timeout)
        _ => 6,
    };

    private string? Format(Arg arg, int index, SyscallRecord call, CaptureSlot[] slots)
    {
        var text = Symbolic(arg, index, call, slots);
        if (text is null || options.Xlat == XlatStyle.Abbrev || !IsConstant(arg.Kind)) return text;
        return Xlat(arg.Kind, call.Args[index], text);
    }

    /// <summary>Kinds printed as named constants, which -X raw prints as numbers.</summary>
    private static bool IsConstant(ArgKind kind) => kind is ArgKind.FlagBits or ArgKind.EnumValue or ArgKind.Signal or ArgKind.AccessMode
        or ArgKind.OpenFlags or ArgKind.MmapFlags or ArgKind.Ioctl or ArgKind.FutexOp or ArgKind.DirFd;

    /// <summary>
    /// -X raw: the number (signals and AT_FDCWD in decimal, the rest in hex, as strace prints them);
    /// -X verbose: the number and the names in a comment. A value without a name prints as it is.
    /// </summary>
    private string Xlat(ArgKind kind, ulong value, string symbolic)
    {
        // A value without a name (its text holds no capital letter) prints as it is in every style.
        if (!symbolic.Any(char.IsAsciiLetterUpper)) return symbolic;
        var raw = kind is ArgKind.Signal or ArgKind.DirFd ? ((int)value).ToString() : Hex(kind is ArgKind.Ioctl ? (uint)value : value);
        return XlatText.Format(options.Xlat, raw, symbolic);
    }

    /// <summary>
    /// socket()'s type: the type and its flags are two constants joined by '|' (strace's tprint_sock_type),
    /// so -X verbose prints <c>0x1 /* SOCK_STREAM */|0x80000 /* SOCK_CLOEXEC */</c>. An unnamed type prints with the flags as one set.
    /// </summary>
    private string SocketType(ulong value)
    {
        var flags = value & ~0xfUL;
        if (Flags.SocketType.NameOf(value & 0xf) is not { } type) return Xlat(ArgKind.FlagBits, value, Flags.SocketTypeFlags.Bits(value));
        var typeText = XlatText.Format(options.Xlat, Hex(value & 0xf), type);
        return flags == 0 ? typeText : $"{typeText}|{Xlat(ArgKind.FlagBits, flags, Flags.SocketTypeFlags.Bits(flags))}";
    }

    private string? Symbolic(Arg arg, int index, SyscallRecord call, CaptureSlot[] slots)
    {
        var value = call.Args[index];
        var slot = CapturePlan.SlotOf(slots, index);
        var capture = slot >= 0 ? call.Captures[slot] : null;
        var failed = call.Returned && call.Return is < 0 and >= -4095;
        // A length the call reads and rewrites: [128 => 16], or [16] when unchanged or not rewritten.
        if (arg.Kind == ArgKind.SocklenInOut)
        {
            if (value == 0) return "NULL";
            if (capture is null || capture.Faulted || capture.Data.Length < 4) return Pointer(value);
            var before = BinaryPrimitives.ReadInt32LittleEndian(capture.Data);
            var after = CaptureAt(call, slots, index, CapturePhase.Exit);
            return after is { Faulted: false, Data.Length: >= 4 } && !failed && BinaryPrimitives.ReadInt32LittleEndian(after.Data) != before
                ? $"[{before} => {BinaryPrimitives.ReadInt32LittleEndian(after.Data)}]" : $"[{before}]";
        }
        if (arg.Kind is ArgKind.MsghdrIn or ArgKind.MsghdrOut) return Msghdr(arg.Kind == ArgKind.MsghdrOut, index, call, slots);
        if (arg.Kind is ArgKind.MmsghdrsSent or ArgKind.MmsghdrsReceived) return Mmsghdrs(arg.Kind == ArgKind.MmsghdrsReceived, index, call, slots);
        if (arg.Kind == ArgKind.IovecIn) return IovecFormatter.Format(capture, value, call.Args[arg.Related], null, QuoteBuffer);
        if (arg.Kind == ArgKind.IovecOut && call.Returned)
            return IovecFormatter.Format(capture, value, call.Args[arg.Related], Math.Max(call.Return, 0), failed ? null : QuoteBuffer);
        // An output argument of a failed call, or one the kernel could not copy, prints as its address.
        if (arg.AtExit && (failed || !call.Returned || capture is null || capture.Faulted) && arg.Kind is not (ArgKind.OutBuf or ArgKind.DirentsOut))
            return Pointer(value);
        switch (arg.Kind)
        {
            case ArgKind.Int: return ((int)value).ToString();
            case ArgKind.UInt: return ((uint)value).ToString();
            case ArgKind.Long: return ((long)value).ToString();
            case ArgKind.ULong: return value.ToString();
            case ArgKind.Hex: return Hex(value);
            case ArgKind.Ptr: return Pointer(value);
            case ArgKind.Fd: return fdPaths?.Describe(call.Tgid, (int)value) ?? ((int)value).ToString();
            case ArgKind.DirFd:
                if ((int)value != -100) return fdPaths?.Describe(call.Tgid, (int)value) ?? ((int)value).ToString();
                return fdPaths is null ? "AT_FDCWD" : $"AT_FDCWD<{fdPaths.Cwd(call.Tgid)}>";
            case ArgKind.Octal: return Octal(value);
            case ArgKind.FlagBits: return arg.Set!.Bits(value);
            case ArgKind.EnumValue: return arg.Set!.Value(value, v => Hex(v));
            case ArgKind.Signal: return Flags.Signal((long)value);
            case ArgKind.AccessMode: return Flags.AccessMode.Bits(value);
            case ArgKind.OpenFlags: return OpenFlags(value);
            case ArgKind.OpenMode:
                // O_TMPFILE includes O_DIRECTORY's bit: the mode is there only when all its bits are.
                var openFlags = call.Args[arg.Related];
                return (openFlags & Flags.OCreat) != 0 || (openFlags & Flags.OTmpfile) == Flags.OTmpfile ? Octal(value) : null;
            case ArgKind.MmapFlags:
                var type = Flags.MapType.NameOf(value & 0xf) ?? Hex(value & 0xf);
                return (value & ~0xfUL) == 0 ? type : $"{type}|{Flags.MapRest.Bits(value & ~0xfUL)}";
            case ArgKind.SocketType: return SocketType(value);
            case ArgKind.Ioctl: return IoctlFormatter.Request(value, XlatStyle.Abbrev);
            case ArgKind.IoctlArg:
                return IoctlFormatter.Argument(call.Args[1], value, CaptureAt(call, slots, index, CapturePhase.Entry),
                    CaptureAt(call, slots, index, CapturePhase.Exit), call.Returned && !failed, options.Xlat);
            case ArgKind.IntIn:
                if (value == 0) return "NULL";
                // setsockopt: an int only when its length says so.
                if (arg.Related >= 0 && call.Args[arg.Related] != 4) return Pointer(value);
                return capture is { Faulted: false, Data.Length: 4 } ? $"[{BinaryPrimitives.ReadInt32LittleEndian(capture.Data)}]" : Pointer(value);
            case ArgKind.IntOut: return capture!.Data.Length >= 4 ? $"[{BinaryPrimitives.ReadInt32LittleEndian(capture.Data)}]" : Pointer(value);
            case ArgKind.CpuSetIn: return Struct(value, capture, b => StructFormatter.CpuSet(b));
            case ArgKind.CpuSetOut: return StructFormatter.CpuSet(capture!.Data);
            case ArgKind.SysinfoOut: return capture!.Data.Length >= CapturePlan.SysinfoSize ? StructFormatter.Sysinfo(capture.Data) : Pointer(value);
            case ArgKind.DirentsOut:
                // -v lists a result that fits the copy; otherwise the records are counted, over the whole result in the kernel.
                if (failed || !call.Returned) return Pointer(value);
                if (call.Return == 0) return options.Verbose ? "[]" : $"{Pointer(value)} /* 0 entries */";
                var fits = capture is { Faulted: false } && (ulong)call.Return <= (ulong)capture.Data.Length;
                if (options.Verbose && fits && StructFormatter.Dirents(capture!.Data) is { } listed) return listed;
                var counted = Captured(call, slots, index, CapturePhase.Exit, CaptureKind.DirentCount);
                if (counted is { Faulted: false, More: false, Data.Length: 4 }) return $"{Pointer(value)} /* {BinaryPrimitives.ReadInt32LittleEndian(counted.Data)} entries */";
                if (!fits || StructFormatter.DirentCount(capture!.Data) is not { } entries) return Pointer(value);
                return $"{Pointer(value)} /* {entries} entries */";
            case ArgKind.PollFds:
                if (value == 0) return "NULL";
                return capture is null || capture.Faulted ? Pointer(value) : PollFormatter.Requested(capture.Data, fd => FdText(call, fd), options.Xlat);
            case ArgKind.EpollEventIn:
                return value == 0 ? "NULL" : capture is { Faulted: false, Data.Length: 12 } ? EpollEvent(capture.Data) : Pointer(value);
            case ArgKind.EpollEventsOut:
                // Events as many as returned, if the copy holds them all.
                if ((ulong)call.Return * 12 > (ulong)capture!.Data.Length) return Pointer(value);
                return "[" + string.Join(", ", Enumerable.Range(0, (int)call.Return).Select(i => EpollEvent(capture.Data.AsSpan(i * 12, 12)))) + "]";
            case ArgKind.SiginfoOut:
                return capture!.Data.Length >= SiginfoFormatter.Size
                    ? SiginfoFormatter.Body(BinaryPrimitives.ReadInt32LittleEndian(capture.Data), capture.Data, options.Xlat) : Pointer(value);
            case ArgKind.OpenHowIn:
                if (value == 0) return "NULL";
                if (capture is not { Faulted: false, Data.Length: 24 } how) return Pointer(value);
                var howFlags = BinaryPrimitives.ReadUInt64LittleEndian(how.Data);
                var howMode = BinaryPrimitives.ReadUInt64LittleEndian(how.Data.AsSpan(8));
                var resolve = BinaryPrimitives.ReadUInt64LittleEndian(how.Data.AsSpan(16));
                // As for open, the mode is shown when it is set or the flags create a file.
                var showMode = howMode != 0 || (howFlags & Flags.OCreat) != 0 || (howFlags & Flags.OTmpfile) == Flags.OTmpfile;
                return $"{{flags={XlatText.Format(options.Xlat, Hex(howFlags), OpenFlags(howFlags))}, {(showMode ? $"mode={Octal(howMode)}, " : "")}"
                    + $"resolve={XlatText.Format(options.Xlat, Hex(resolve), Flags.ResolveFlags.Bits(resolve))}}}";
            case ArgKind.TimespecInOut: return Struct(value, capture, b => StructFormatter.Timespec(b));
            case ArgKind.NodeMode: return StructFormatter.Mode((uint)value, options.Xlat);
            case ArgKind.DevNum:
                // Only a device (S_IFCHR, S_IFBLK) has a number; the argument is an unsigned int.
                return (call.Args[arg.Related] & 0xf000) is 0x2000 or 0x6000 ? StructFormatter.Makedev((uint)value, options.Xlat) : null;
            case ArgKind.LongIn: return Struct(value, capture, b => $"[{BinaryPrimitives.ReadInt64LittleEndian(b)}]");
            case ArgKind.GidsIn: return Struct(value, capture, b => StructFormatter.Gids(b, (int)call.Args[arg.Related], options.StringLimit));
            case ArgKind.GidsOut: return StructFormatter.Gids(capture!.Data, (int)call.Return, options.StringLimit);
            case ArgKind.TimevalIn or ArgKind.TimevalOut: return Struct(value, capture, b => StructFormatter.Timeval(b));
            case ArgKind.ItimerspecIn or ArgKind.ItimerspecOut: return Struct(value, capture, b => StructFormatter.Itimerspec(b));
            case ArgKind.ItimervalIn or ArgKind.ItimervalOut: return Struct(value, capture, b => StructFormatter.Itimerval(b));
            case ArgKind.TimeOut:
                var seconds = BinaryPrimitives.ReadInt64LittleEndian(capture!.Data);
                // The date comment is there in every -X style, as in strace.
                return $"[{seconds} /* {StructFormatter.IsoTime(seconds, 0)} */]";
            case ArgKind.TimezoneOut:
                return $"{{tz_minuteswest={BinaryPrimitives.ReadInt32LittleEndian(capture!.Data)}, tz_dsttime={BinaryPrimitives.ReadInt32LittleEndian(capture.Data.AsSpan(4))}}}";
            case ArgKind.Hidden: return null;
            case ArgKind.KernelSigset:
                return Struct(value, capture, b =>
                {
                    // strace reads the mask only when its size is the kernel's (8 bytes).
                    var maskPointer = BinaryPrimitives.ReadUInt64LittleEndian(b);
                    var size = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(8));
                    var mask = maskPointer == 0 ? "NULL"
                        : size == 8 && Captured(call, slots, index, CapturePhase.Entry, CaptureKind.PointerWithLength) is { Faulted: false, Data.Length: 8 } set
                            ? StructFormatter.Sigset(BinaryPrimitives.ReadUInt64LittleEndian(set.Data), xlat: options.Xlat) : Pointer(maskPointer);
                    return $"{{sigmask={mask}, sigsetsize={size}}}";
                });
            case ArgKind.TimevalInOut: return Struct(value, capture, b => StructFormatter.Timeval(b));
            case ArgKind.FdSetInOut: return Struct(value, capture, b => FdSet(call, b, (int)call.Args[arg.Related]));
            case ArgKind.MincoreOut:
                return StructFormatter.PageVector(capture!.Data, (call.Args[arg.Related] + PageSize - 1) / PageSize, options.StringLimit);
            case ArgKind.SocketLevel: return XlatText.Named(options.Xlat, Flags.SocketLevel, (uint)value, "SOL_??");
            case ArgKind.SocketOptionName:
                // Levels without a table here print the number in decimal, as strace does for levels it has none for.
                var (optionNames, unknownName) = (uint)call.Args[arg.Related] switch
                {
                    1 => (Flags.SocketOption, "SO_???"),
                    0 => (Flags.IpSocketOption, "IP_???"),
                    6 => (Flags.TcpSocketOption, "TCP_???"),
                    270 => (Flags.NetlinkSocketOption, "NETLINK_???"),
                    _ => (null, ""),
                };
                return optionNames is null ? ((uint)value).ToString() : XlatText.Named(options.Xlat, optionNames, (uint)value, unknownName);
            case ArgKind.StatfsOut: return StatfsFormatter.Format(capture!.Data, options.Xlat, ArrayLimit);
            case ArgKind.TmsOut: return Struct(value, capture, b => StructFormatter.Tms(b, options.Xlat));
            case ArgKind.RusageOut: return Struct(value, capture, b => StructFormatter.Rusage(b));
            case ArgKind.CapHeader: return Struct(value, capture, b => StructFormatter.CapHeader(b, options.Xlat));
            case ArgKind.CapDataIn or ArgKind.CapDataOut:
                // Version 1 data is one set of three u32 (32 capabilities); the later versions two.
                var capHeader = CaptureAt(call, slots, 0, CapturePhase.Entry);
                var oneSet = capHeader is { Faulted: false, Data.Length: >= 4 } && BinaryPrimitives.ReadUInt32LittleEndian(capHeader.Data) == 0x19980330;
                return Struct(value, capture, b => StructFormatter.CapData(oneSet ? b.AsSpan(0, 12) : b, options.Xlat));
            case ArgKind.FutexOp: return FutexOp(value);
            case ArgKind.FcntlArg:
                // F_SETFD's and F_SETFL's flags are constants: -X raw prints their number.
                var fcntlText = FcntlArg(call.Args[arg.Related], value);
                return call.Args[arg.Related] is 2 or 4 ? Xlat(ArgKind.FlagBits, value, fcntlText) : fcntlText;
            case ArgKind.PathName:
            case ArgKind.Str:
                if (value == 0) return "NULL";
                if (capture is null || capture.Faulted) return Pointer(value);
                var limit = arg.Kind == ArgKind.PathName ? CapturePlan.PathMax : options.StringLimit;
                return QuoteString(capture.Data, limit);
            case ArgKind.InBuf:
                if (capture is null || capture.Faulted) return Pointer(value);
                if (call.Args[arg.Related] == (ulong)capture.Data.Length && NetlinkDecoder(call) is { } sent
                    && sent.Formatter.Format(capture.Data, sent.Protocol) is { } sentMessages) return sentMessages;
                return Quote(capture.Data, call.Args[arg.Related] > (ulong)capture.Data.Length);
            case ArgKind.OutBuf:
                if (call.Returned && call.Return == 0) return "\"\"";
                if (failed || !call.Returned || capture is null || capture.Faulted) return Pointer(value);
                if ((ulong)call.Return == (ulong)capture.Data.Length && NetlinkDecoder(call) is { } received
                    && received.Formatter.Format(capture.Data, received.Protocol) is { } receivedMessages) return receivedMessages;
                return Quote(capture.Data, (ulong)call.Return > (ulong)capture.Data.Length);
            case ArgKind.RandomOut:
                var random = new StringBuilder();
                StringQuoter.Append(random, capture!.Data, options.Hex, false, (ulong)call.Return > (ulong)capture.Data.Length, forceHex: true);
                return random.ToString();
            case ArgKind.OutPath: return StringQuoter.Quote(capture!.Data, options.Hex, stopAtNul: false);
            case ArgKind.StatOut: return StructFormatter.Stat(capture!.Data, options.Verbose, options.Xlat);
            case ArgKind.StatxOut: return StructFormatter.Statx(capture!.Data, options.Verbose, options.Xlat);
            case ArgKind.TimespecIn or ArgKind.TimespecOut: return Struct(value, capture, b => StructFormatter.Timespec(b));
            case ArgKind.RlimitIn or ArgKind.RlimitOut: return Struct(value, capture, b => StructFormatter.Rlimit(b, options.Xlat));
            case ArgKind.SigsetIn or ArgKind.SigsetOut:
                return Struct(value, capture, b => StructFormatter.Sigset(BinaryPrimitives.ReadUInt64LittleEndian(b), xlat: options.Xlat));
            case ArgKind.SigactionIn or ArgKind.SigactionOut: return Struct(value, capture, b => StructFormatter.Sigaction(b, options.Xlat));
            case ArgKind.PipeFds:
                // An array of two, cut at -s as strace's print_array cuts it.
                if (PipeFdsOf(call, slots, index) is not { } fds) return Pointer(value);
                var kind = index == 3 ? "socket" : "pipe"; // socketpair's fds are its fourth argument, pipe's its first
                var inodes = NewFdInodes(call, slots);
                return StructFormatter.Items(fds.Select((fd, i) => fdPaths?.DescribeNew(call.Tgid, fd, kind, inodes?[i] ?? 0) ?? fd.ToString()), ArrayLimit);
            case ArgKind.WaitStatusOut: return value == 0 ? "NULL" : StructFormatter.WaitStatus(capture!.Data);
            case ArgKind.UtsnameOut: return StructFormatter.Utsname(capture!.Data);
            case ArgKind.SockaddrIn:
                if (value == 0) return "NULL";
                return capture is null || capture.Faulted ? Pointer(value) : StructFormatter.Sockaddr(capture.Data, (int)call.Args[arg.Related], options.Xlat);
            case ArgKind.SockaddrOut: return value == 0 ? "NULL" : StructFormatter.Sockaddr(capture!.Data, SockaddrOutLength(call, slots, index + 1, capture.Data.Length), options.Xlat);
            case ArgKind.Argv: return Argv(value, capture);
            case ArgKind.Envp:
                if (options.Verbose) return Argv(value, capture);
                if (capture is null || capture.Faulted || capture.Data.Length < 4) return Pointer(value);
                var vars = BinaryPrimitives.ReadUInt32LittleEndian(capture.Data);
                return $"{Pointer(value)} /* {vars} var{(vars == 1 ? "" : "s")}{(capture.More ? " ..." : "")} */";
            case ArgKind.CloneFlags: return Hex(value);
            default: return Hex(value);
        }
    }

    /// <summary>
    /// The bytes of an address the call stored (getsockname, accept): as strace, the smaller of the length given and the length
    /// returned in the socklen_t argument <paramref name="lengthArg"/>; the whole copy when that length is not known.
    /// </summary>
    private static int SockaddrOutLength(SyscallRecord call, CaptureSlot[] slots, int lengthArg, int copied)
    {
        if (call.Args.Length <= lengthArg || call.Args[lengthArg] == 0) return copied;
        var given = CaptureAt(call, slots, lengthArg, CapturePhase.Entry);
        var returned = CaptureAt(call, slots, lengthArg, CapturePhase.Exit);
        if (given is not { Faulted: false, Data.Length: >= 4 } || returned is not { Faulted: false, Data.Length: >= 4 }) return copied;
        var length = Math.Min(BinaryPrimitives.ReadInt32LittleEndian(given.Data), BinaryPrimitives.ReadInt32LittleEndian(returned.Data));
        return Math.Clamp(length, 0, copied);
    }

    /// <summary>Entries of an array strace shows before "...": -s, all with -v.</summary>
    private int ArrayLimit => options.Verbose ? int.MaxValue : options.StringLimit;

    /// <summary>An fd_set's first <paramref name="nfds"/> bits as the descriptors set: <c>[3 4]</c>.</summary>
    private string FdSet(SyscallRecord call, byte[] b, int nfds)
    {
        var text = new StringBuilder("[");
        for (var fd = 0; fd < nfds && fd / 8 < b.Length; fd++)
        {
            if ((b[fd / 8] & (1 << (fd % 8))) == 0) continue;
            if (text.Length > 1) text.Append(' ');
            text.Append(FdText(call, fd));
        }
        return text.Append(']').ToString();
    }

    /// <summary>struct epoll_event (packed on x86_64: u32 events, u64 data).</summary>
    private string EpollEvent(ReadOnlySpan<byte> b)
    {
        var events = BinaryPrimitives.ReadUInt32LittleEndian(b);
        var data = BinaryPrimitives.ReadUInt64LittleEndian(b[4..]);
        return $"{{events={XlatText.Format(options.Xlat, Hex(events), Flags.EpollEvents.Bits(events))}, data={{u32={(uint)data}, u64={data}}}}}";
    }

    private static Capture? CaptureAt(SyscallRecord call, CaptureSlot[] slots, int arg, CapturePhase phase)
    {
        var slot = CapturePlan.SlotOf(slots, arg, phase);
        return slot >= 0 ? call.Captures[slot] : null;
    }

    private string FdText(SyscallRecord call, int fd) => fdPaths?.Describe(call.Tgid, fd) ?? fd.ToString();

    private static string Struct(ulong address, Capture? capture, Func<byte[], string> format)
    {
        if (address == 0) return "NULL";
        return capture is null || capture.Faulted ? Pointer(address) : format(capture.Data);
    }

    /// <summary>A buffer's bytes, cut at -s (a socket call's copy is longer, for netlink messages).</summary>
    private string Quote(byte[] data, bool truncated)
    {
        if (data.Length > options.StringLimit) return QuoteBuffer(data, truncated);
        var text = new StringBuilder(data.Length + 8);
        StringQuoter.Append(text, data, options.Hex, stopAtNul: false, truncated);
        return text.ToString();
    }

    /// <summary>A C string: up to the NUL, cut at <paramref name="limit"/> with "..." when longer.</summary>
    private string QuoteString(byte[] data, int limit)
    {
        var nul = Array.IndexOf(data, (byte)0);
        var length = nul >= 0 ? nul : data.Length;
        var truncated = length > limit || nul < 0;
        var text = new StringBuilder(length + 8);
        StringQuoter.Append(text, data.AsSpan(0, Math.Min(length, limit)), options.Hex, stopAtNul: false, truncated);
        return text.ToString();
    }

    private string Argv(ulong address, Capture? capture)
    {
        if (address == 0) return "NULL";
        if (capture is null || capture.Faulted) return Pointer(address);
        var text = new StringBuilder("[");
        var data = capture.Data.AsSpan();
        var first = true;
        while (data.Length > 0)
        {
            var nul = data.IndexOf((byte)0);
            var item = nul >= 0 ? data[..nul] : data;
            if (!first) text.Append(", ");
            first = false;
            var cut = item.Length > options.StringLimit;
            StringQuoter.Append(text, item[..Math.Min(item.Length, options.StringLimit)], options.Hex, false, cut);
            data = nul >= 0 ? data[(nul + 1)..] : default;
        }
        if (capture.More) text.Append(first ? "..." : ", ...");
        return text.Append(']').ToString();
    }

    private static string OpenFlags(ulong value)
    {
        var access = (value & 3) switch { 0 => "O_RDONLY", 1 => "O_WRONLY", 2 => "O_RDWR", _ => "O_ACCMODE" };
        var rest = value & ~3UL;
        return rest == 0 ? access : $"{access}|{Flags.OpenRest.Bits(rest)}";
    }

    private static string FutexOp(ulong op)
    {
        var cmd = Flags.Futex.NameOf(op & 0x7f) ?? Hex(op & 0x7f);
        if ((op & 128) != 0) cmd += "_PRIVATE";
        if ((op & 256) != 0) cmd += "|FUTEX_CLOCK_REALTIME";
        return cmd;
    }

    private static string FcntlArg(ulong command, ulong value) => command switch
    {
        1 or 3 or 9 or 11 or 1025 or 1032 or 1034 => "",
        2 => Flags.FdFlags.Bits(value),
        4 => OpenFlags(value),
        _ => ((long)value).ToString(),
    };

    private List<(string, bool)> Clone(SyscallRecord call)
    {
        // x86_64 clone(flags, newsp, parent_tid, child_tid, tls).
        var flags = call.Args[0];
        var parts = new List<(string, bool)> { ($"child_stack={Pointer(call.Args[1])}", false) };
        var signal = flags & 0xff;
        // The flags and the exit signal are two constants (strace's printflags64 then printsignal): 0x1200000|17 under -X raw.
        var named = Xlat(ArgKind.FlagBits, flags & ~0xffUL, Flags.CloneFlags.Bits(flags & ~0xffUL));
        var signalText = Xlat(ArgKind.Signal, signal, Flags.Signal((long)signal));
        var flagsText = signal == 0 ? named : flags == signal ? signalText : $"{named}|{signalText}";
        parts.Add(($"flags={flagsText}", false));
        if ((flags & 0x00100000) != 0) parts.Add(($"parent_tid={Pointer(call.Args[2])}", false));
        if ((flags & 0x01200000) != 0) parts.Add(($"child_tidptr={Pointer(call.Args[3])}", false));
        if ((flags & 0x00080000) != 0) parts.Add(($"tls={Pointer(call.Args[4])}", false));
        return parts;
    }

    /// <summary>
    /// clone3(struct clone_args, size): the fields strace prints for the flags given, and at a
    /// successful exit the parent's tid it stored (the return value) as <c>=&gt; {parent_tid=[N]}</c>.
    /// </summary>
    private List<(string, bool)> Clone3(SyscallRecord call, CaptureSlot[] slots)
    {
        var size = (call.Args[1].ToString(), true);
        var slot = CapturePlan.SlotOf(slots, 0);
        if (slot < 0 || call.Captures[slot] is not { Faulted: false, Data.Length: >= 64 } capture)
            return [(Pointer(call.Args[0]), false), size];
        var b = capture.Data;
        ulong At(int offset) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(offset));
        var flags = At(0);
        var text = new StringBuilder("{flags=").Append(Xlat(ArgKind.FlagBits, flags, Flags.CloneFlags.Bits(flags)));
        if ((flags & 0x1000) != 0) text.Append(", pidfd=").Append(Pointer(At(8)));
        if ((flags & 0x01200000) != 0) text.Append(", child_tid=").Append(Pointer(At(16)));
        if ((flags & 0x00100000) != 0) text.Append(", parent_tid=").Append(Pointer(At(24)));
        text.Append(", exit_signal=").Append(At(32) == 0 ? "0" : Xlat(ArgKind.Signal, At(32), Flags.Signal((long)At(32))))
            .Append(", stack=").Append(Pointer(At(40))).Append(", stack_size=").Append(Hex(At(48)));
        if ((flags & 0x00080000) != 0) text.Append(", tls=").Append(Pointer(At(56)));
        text.Append('}');
        var succeeded = call.Returned && call.Return > 0;
        var stored = succeeded && (flags & 0x00100000) != 0 ? $" => {{parent_tid=[{call.Return}]}}" : "";
        return [(text.ToString(), false), (Glued + stored + ", " + size.Item1, true)];
    }

    public static string Pointer(ulong value) => value == 0 ? "NULL" : $"0x{value:x}";

    public static string Hex(ulong value) => value == 0 ? "0" : $"0x{value:x}";

    /// <summary>C's %#03o, as strace prints modes: 000, 022, 0644.</summary>
    public static string Octal(ulong value) => value == 0 ? "000" : ("0" + Convert.ToString((long)value, 8)).PadLeft(3, '0');
}
