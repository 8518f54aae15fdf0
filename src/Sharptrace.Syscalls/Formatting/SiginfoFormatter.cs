using System.Buffers.Binary;
using Sharptrace.Syscalls.Decoding;

namespace Sharptrace.Syscalls.Formatting;

/// <summary>
/// strace's signal line, <c>--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=…} ---</c>,
/// from the kernel's siginfo (x86_64/arm64 layout: signo, errno, code, then the union at 16).
/// </summary>
internal static class SiginfoFormatter
{
    public const int Size = 48;

    public static string Line(int signal, ReadOnlySpan<byte> info, XlatStyle xlat = XlatStyle.Abbrev)
    {
        var name = Flags.Signal(signal);
        if (info.Length < Size) return $"--- {name} ---";
        return $"--- {name} {Body(signal, info, xlat)} ---";
    }

    /// <summary>The braces alone, <c>{si_signo=SIGCHLD, …}</c> (waitid's siginfo); <c>{}</c> for a zeroed one (nothing waited for).</summary>
    public static string Body(int signal, ReadOnlySpan<byte> info, XlatStyle xlat = XlatStyle.Abbrev)
    {
        if (signal == 0) return "{}";
        var name = Flags.Signal(signal);
        var code = BinaryPrimitives.ReadInt32LittleEndian(info[8..]);
        var pid = BinaryPrimitives.ReadInt32LittleEndian(info[16..]);
        var uid = BinaryPrimitives.ReadUInt32LittleEndian(info[20..]);
        var head = $"si_signo={XlatText.Format(xlat, signal.ToString(), name)}, si_code={XlatText.Format(xlat, CallFormatter.Hex((uint)code), CodeName(signal, code))}";
        string body;
        if (code is 0 or -6) body = $"{head}, si_pid={pid}, si_uid={uid}";
        else if (code == -1) body = $"{head}, si_pid={pid}, si_uid={uid}, si_int={BinaryPrimitives.ReadInt32LittleEndian(info[24..])}, si_ptr=0x{BinaryPrimitives.ReadUInt64LittleEndian(info[24..]):x}";
        else if (signal == 17 && code is >= 1 and <= 6)
        {
            var status = BinaryPrimitives.ReadInt32LittleEndian(info[24..]);
            // A killed or stopped child's status is a signal (strace's printsignal): 15 under -X raw.
            var statusText = code == 1 ? status.ToString() : XlatText.Format(xlat, status.ToString(), Flags.Signal(status));
            body = $"{head}, si_pid={pid}, si_uid={uid}, si_status={statusText}, si_utime={StructFormatter.ClockTicks(BinaryPrimitives.ReadUInt64LittleEndian(info[32..]), xlat)}, "
                + $"si_stime={StructFormatter.ClockTicks(BinaryPrimitives.ReadUInt64LittleEndian(info[40..]), xlat)}";
        }
        else if (signal is 4 or 7 or 8 or 11 && code > 0) body = $"{head}, si_addr={CallFormatter.Pointer(BinaryPrimitives.ReadUInt64LittleEndian(info[16..]))}";
        else body = head;
        return $"{{{body}}}";
    }

    private static string CodeName(int signal, int code) => code switch
    {
        0 => "SI_USER",
        0x80 => "SI_KERNEL",
        -1 => "SI_QUEUE",
        -2 => "SI_TIMER",
        -3 => "SI_MESGQ",
        -4 => "SI_ASYNCIO",
        -5 => "SI_SIGIO",
        -6 => "SI_TKILL",
        _ when signal == 17 && code is >= 1 and <= 6 => ((string[])["CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED"])[code - 1],
        _ when signal == 11 && code is 1 or 2 => code == 1 ? "SEGV_MAPERR" : "SEGV_ACCERR",
        _ when signal == 7 && code is >= 1 and <= 3 => ((string[])["BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR"])[code - 1],
        _ when signal == 8 && code is >= 1 and <= 8 => ((string[])["FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV", "FPE_FLTOVF", "FPE_FLTUND", "FPE_FLTRES", "FPE_FLTINV", "FPE_FLTSUB"])[code - 1],
        _ => code.ToString(),
    };
}
