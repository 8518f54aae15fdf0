using System.Globalization;
using Sharptrace.Kernel;

namespace Sharptrace.Bpf.Programs;

/// <summary>
/// The verifier rejected a program. Carries the full verifier log and the index of the instruction
/// it failed on; the message is a short summary (the verifier's last words), as cilium/ebpf's VerifierError.
/// </summary>
public sealed class VerifierException : KernelException
{
    /// <summary>Creates the exception from the kernel's answer to BPF_PROG_LOAD.</summary>
    public VerifierException(string programName, Errno errno, string log, bool truncated)
        : base($"bpf(BPF_PROG_LOAD) for program '{programName}'", errno, Summarize(log))
    {
        ProgramName = programName;
        Log = log;
        Truncated = truncated;
        InstructionIndex = FailingInstruction(log);
    }

    /// <summary>The program's name.</summary>
    public string ProgramName { get; }

    /// <summary>The whole verifier log.</summary>
    public string Log { get; }

    /// <summary>Whether the log was cut short because even the largest buffer was too small.</summary>
    public bool Truncated { get; }

    /// <summary>The index of the instruction the verifier stopped on, or -1 when the log does not say.</summary>
    public int InstructionIndex { get; }

    /// <summary>The last meaningful line of the log (plus the one before when it helps), like cilium/ebpf.</summary>
    public static string Summarize(string log)
    {
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("processed ", StringComparison.Ordinal) && !l.StartsWith("verification time", StringComparison.Ordinal)
                        && !l.StartsWith("stack depth", StringComparison.Ordinal) && !l.StartsWith("-- END PROG LOAD LOG --", StringComparison.Ordinal))
            .ToList();
        if (lines.Count == 0) return "the verifier gave no log";
        var last = lines[^1];
        // "R1 invalid mem access 'scalar'" is clearer with the instruction line above it.
        if (lines.Count > 1 && char.IsDigit(lines[^2][0]) && lines[^2].Contains(": (", StringComparison.Ordinal))
            return $"{last} (at {lines[^2]})";
        return last;
    }

    /// <summary>The index of the last "N: (op) …" instruction line in the log: the one being checked when it failed.</summary>
    public static int FailingInstruction(string log)
    {
        var index = -1;
        foreach (var raw in log.Split('\n'))
        {
            var line = raw.TrimStart();
            var colon = line.IndexOf(": (", StringComparison.Ordinal);
            if (colon > 0 && int.TryParse(line.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                index = n;
        }
        return index;
    }
}
