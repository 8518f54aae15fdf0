using System.Buffers.Binary;
using System.Globalization;

namespace Sharptrace.Syscalls.Decoding;

/// <summary>
/// Each traced thread's blocked-signal mask, followed from the calls that change it
/// (rt_sigprocmask, and fork/clone which copy it), so that rt_sigreturn can show the mask it
/// restores (<c>{mask=[]}</c>) as strace does, which reads it from the signal frame. A thread
/// whose start we did not see has its mask read from /proc. Calls filtered out with -e trace or
/// -z/-Z are not seen, so the mask is then only as good as the calls shown.
/// </summary>
internal sealed class SignalMasks
{
    private readonly Dictionary<int, ulong> masks = [];

    /// <summary>The held, not yet started command, and processes attached with -p: every thread's mask from /proc now.</summary>
    public void ReadFromProc(int pid)
    {
        try
        {
            foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
                if (int.TryParse(Path.GetFileName(task), out var tid) && Blocked(tid) is { } mask) masks[tid] = mask;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static ulong? Blocked(int tid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{tid}/status"))
                if (line.StartsWith("SigBlk:", StringComparison.Ordinal)
                    && ulong.TryParse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask)) return mask;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>The mask <paramref name="tid"/> has now, if known.</summary>
    public ulong? Of(int tid) => masks.TryGetValue(tid, out var mask) ? mask : null;

    /// <summary>Follows a call that returned: <paramref name="set"/> is rt_sigprocmask's new set as copied at entry.</summary>
    public void Learn(string name, SyscallRecord call, Capture? set)
    {
        if (!call.Returned || call.Return is < 0 and >= -4095) return;
        switch (name)
        {
            case "rt_sigprocmask" when call.Args[1] != 0:
                if (set is not { Faulted: false, Data.Length: >= 8 } || !masks.TryGetValue(call.Tid, out var mask)) return;
                var bits = BinaryPrimitives.ReadUInt64LittleEndian(set.Data);
                mask = call.Args[0] switch { 0 => mask | bits, 1 => mask & ~bits, 2 => bits, _ => mask };
                // SIGKILL and SIGSTOP cannot be blocked.
                masks[call.Tid] = mask & ~((1UL << 8) | (1UL << 18));
                break;
            case "fork" or "vfork" or "clone" or "clone3" when call.Return > 0:
                if (masks.TryGetValue(call.Tid, out var parent)) masks[(int)call.Return] = parent;
                break;
        }
    }
}
