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
}

/// <summary>Where the copy's length comes from.</summary>
internal enum SizeSource : byte { Constant = 0, Argument = 1, ReturnValue = 2 }

/// <summary>One copy the kernel makes for a call: argument <see cref="Arg"/> points at the data.</summary>
internal readonly record struct CaptureSlot(CapturePhase Phase, CaptureKind Kind, byte Arg, SizeSource SizeFrom, byte SizeArg, ushort Max);

/// <summary>
/// Derives from a decoder what the kernel must copy: the printing format decides the copy, so
/// the two cannot disagree. At most <see cref="MaxSlots"/> copies per call.
/// </summary>
internal static class CapturePlan
{
    public const int MaxSlots = 4;
    public const int PathMax = 4096;

    /// <summary>Sizes of the structs copied, for x86_64 (asm-generic layouts on arm64 have the same sizes except stat).</summary>
    public const int StatSize = 144, StatxSize = 256, SockaddrSize = 128, UtsnameSize = 390, SigactionSize = 32;

    /// <summary>The copies for <paramref name="decoder"/> with strings cut at -s; with -v the environment's strings too.</summary>
    public static CaptureSlot[] For(SyscallDecoder decoder, DecodeOptions options)
    {
        var stringLimit = options.StringLimit;
        var slots = new List<CaptureSlot>();
        // Strings are read two bytes past -s: a NUL within s+1 means "not cut", as strace reads s+1.
        var stringMax = (ushort)Math.Min(stringLimit + 2, PathMax);
        var bufferMax = (ushort)Math.Min(stringLimit, PathMax);
        for (var i = 0; i < decoder.Args.Length && slots.Count < MaxSlots; i++)
        {
            var a = decoder.Args[i];
            var arg = (byte)i;
            CaptureSlot? slot = a.Kind switch
            {
                ArgKind.PathName => new(CapturePhase.Entry, CaptureKind.String, arg, SizeSource.Constant, 0, PathMax),
                ArgKind.Str => new(CapturePhase.Entry, CaptureKind.String, arg, SizeSource.Constant, 0, stringMax),
                ArgKind.InBuf => new(CapturePhase.Entry, CaptureKind.Bytes, arg, SizeSource.Argument, (byte)a.Related, bufferMax),
                ArgKind.OutBuf or ArgKind.RandomOut => new(CapturePhase.Exit, CaptureKind.Bytes, arg, SizeSource.ReturnValue, 0, bufferMax),
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
                ArgKind.Envp when options.Verbose => new(CapturePhase.Entry, CaptureKind.StringArray, arg, SizeSource.Constant, 0, stringMax),
                ArgKind.Envp => new(CapturePhase.Entry, CaptureKind.PointerCount, arg, SizeSource.Constant, 0, 0),
                _ => null,
            };
            if (slot is { } s) slots.Add(s);
        }
        return [.. slots];
    }

    /// <summary>The slot index that holds argument <paramref name="arg"/>'s copy, or -1.</summary>
    public static int SlotOf(CaptureSlot[] slots, int arg)
    {
        for (var i = 0; i < slots.Length; i++) if (slots[i].Arg == arg) return i;
        return -1;
    }

    private static CaptureSlot Fixed(CapturePhase phase, byte arg, ushort size) => new(phase, CaptureKind.Bytes, arg, SizeSource.Constant, 0, size);
}
