using System.Diagnostics;
using Sharptrace.Bpf.Links;
using Sharptrace.Bpf.Maps;
using Sharptrace.Bpf.Programs;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.VmChecks;

/// <summary>
/// kprobe + kretprobe (or, with <c>tracing</c>, fentry + fexit) on a kernel function of the openat
/// path (e.g. do_sys_openat2): attaches both through Attach.Kprobe (Attach.Tracing), makes <c>count</c> openat() calls of a file that exists and
/// <c>count</c> of one that does not, detaches, and reports what the programs saw.
/// </summary>
internal static class KprobeCheck
{
    const string MissingPath = "/sharptrace-vmchecks-no-such-file";

    public static KprobeCheckResult Run(string function, int count, bool tracing = false)
    {
        var tgid = Environment.ProcessId;
        var existingPath = Environment.ProcessPath ?? throw new CheckFailedException("cannot tell this program's own path (a file that surely exists)");
        if (File.Exists(MissingPath)) throw new CheckFailedException($"{MissingPath} exists; the check needs it missing");
        // Encoded before attaching: nothing but the counted calls should run while the probes are on.
        var existing = OpenCalls.PathBytes(existingPath);
        var missing = OpenCalls.PathBytes(MissingPath);
        // One call of each kind first: the runtime binds the P/Invokes lazily, and dlopen's search
        // for "libc" would otherwise show up as a handful of extra ENOENT opens under the probes.
        OpenCalls.CloseFd(OpenCalls.Open(existing));
        OpenCalls.Open(missing);

        using var counters = BpfMap.Create(MapSpec.Array("counters", OpenCounters.Size, 1));
        using var returnValues = BpfMap.Create(MapSpec.Hash("return_values", 8, 8, 64));
        // fentry/fexit see the arguments and then the return value as an array of u64; kprobes see pt_regs.
        var target = tracing ? TracingTarget.Find(Sharptrace.Bpf.Btf.BtfSpec.LoadKernel(), function) : null;
        var returnOffset = target?.ReturnValueOffset ?? (short)Kernel.Arch.Current.ReturnValueOffset;
        var entryInstructions = ProbeCounterPrograms.CountEntries(counters, tgid);
        var returnInstructions = ProbeCounterPrograms.RecordReturns(counters, returnValues, tgid, returnOffset);
        using var entryProgram = target is null
            ? BpfProgram.Load(new ProgramSpec("count_entries", BpfProgramType.Kprobe, entryInstructions))
            : target.Load(target.Spec("count_entries", entryInstructions, isReturn: false));
        using var returnProgram = target is null
            ? BpfProgram.Load(new ProgramSpec("record_returns", BpfProgramType.Kprobe, returnInstructions))
            : target.Load(target.Spec("record_returns", returnInstructions, isReturn: true));

        var clock = Stopwatch.StartNew();
        var entryLink = target is null ? Attach.Kprobe(entryProgram, function) : Attach.Tracing(entryProgram, function);
        BpfLink? returnLink = null;
        try
        {
            returnLink = target is null ? Attach.Kprobe(returnProgram, function, isReturn: true) : Attach.Tracing(returnProgram, function);
            var attachTime = clock.Elapsed;
            for (var i = 0; i < count; i++)
            {
                var fd = OpenCalls.Open(existing);
                if (fd < 0) throw new CheckFailedException($"openat({existingPath}) failed: errno {-fd}");
                OpenCalls.CloseFd(fd);
            }
            for (var i = 0; i < count; i++)
            {
                var result = OpenCalls.Open(missing);
                if (result != -2) throw new CheckFailedException($"openat({MissingPath}) returned {result}, not -ENOENT (-2)");
            }
            // Detach before reading, so the counts are final.
            returnLink.Dispose();
            entryLink.Dispose();

            if (!counters.TryLookup(0, out OpenCounters seen))
                throw new CheckFailedException("the counters array map has no element 0");
            var values = new List<(long Value, long Count)>();
            foreach (var (key, value) in returnValues.Entries())
                values.Add((BitConverter.ToInt64(key), BitConverter.ToInt64(value)));
            values.Sort();
            return new KprobeCheckResult(seen, values, attachTime);
        }
        finally
        {
            returnLink?.Dispose();
            entryLink.Dispose();
        }
    }
}

/// <summary>What the programs counted; <see cref="Format"/> is the line the VM test parses.</summary>
internal sealed record KprobeCheckResult(OpenCounters Counters, IReadOnlyList<(long Value, long Count)> ReturnValues, TimeSpan AttachTime)
{
    public string Format() =>
        $"kprobe_hits={Counters.Entries} kretprobe_hits={Counters.Returns} ret_enoent={Counters.Enoent} ret_ok={Counters.Ok} " +
        $"ret_sum={Counters.ReturnSum} ret_values={string.Join(',', ReturnValues.Select(v => $"{v.Value}:{v.Count}"))} " +
        $"attach_ms={AttachTime.TotalMilliseconds:0}";
}
