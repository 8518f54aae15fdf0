using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Sharptrace.Bpf.Asm;
using Sharptrace.Bpf.Links;
using Sharptrace.Bpf.Maps;
using Sharptrace.Bpf.Programs;
using Sharptrace.Bpf.Readers;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;
using Sharptrace.Script.CodeGen;
using Sharptrace.Script.Diagnostics;
using Sharptrace.Script.Probes;
using Sharptrace.Script.Semantics;

namespace Sharptrace.Script.Runtime;

/// <summary>
/// Runs a checked script: creates its maps and ring buffer, loads one program per probe, attaches
/// them, runs BEGIN, prints events until exit() / Ctrl-C / SIGTERM / the -c command ends, runs END
/// and prints every map as bpftrace does. Everything is detached on every exit path.
/// </summary>
internal sealed class ScriptRunner : IDisposable
{
    private readonly CheckedScript script;
    private readonly RunOptions options;
    private readonly TextWriter output;
    private readonly Dictionary<string, BpfMap> maps = [];
    private readonly List<BpfProgram> programs = [];
    private readonly List<IDisposable> links = [];
    private readonly List<string> mapNames;
    private readonly List<Syntax.Ast.Call> printValueCalls;
    private MapPrinter printer;
    private EventChannel events = null!;
    private BpfMap lostCounter = null!;
    private BpfMap scratch = null!;
    private BpfMap exiting = null!;
    private BpfMap? kernelStacks;
    private BpfMap? userStacks;
    private SyscallDispatcher? enterDispatcher;
    private SyscallDispatcher? exitDispatcher;
    private volatile bool stopRequested;
    private bool exitRequested;

    public ScriptRunner(CheckedScript script, RunOptions options)
    {
        this.script = script;
        this.options = options;
        output = options.Output;
        mapNames = [.. script.Maps.Keys.Order(StringComparer.Ordinal)];
        printValueCalls = ProgramGenerator.PrintValueCalls(script);
        printer = new MapPrinter(options.Format, ProbeName);
    }

    private string ProbeName(int index) => index >= 0 && index < script.Programs.Count ? script.Programs[index].Resolved.FullName : "?";

    /// <summary>Compiles every program with placeholder fds and returns the annotated listing (-d).</summary>
    public static string Dump(CheckedScript script)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < script.Programs.Count; i++)
        {
            var program = ProgramGenerator.Generate(script, i, MapFds.Placeholder(script.Maps.Keys), RuntimeConstants.None);
            builder.Append($"; {script.Programs[i].Resolved.FullName}: {program.Instructions.Length} instructions\n");
            string? last = null;
            var lines = Disassembler.Default.Disassemble(program.Instructions.AsSpan());
            foreach (var line in lines)
            {
                var annotation = program.AnnotationAt(line.Index)?.ToString();
                if (annotation is not null && annotation != last) builder.Append($"  ; {annotation}\n");
                last = annotation ?? last;
                builder.Append($"  {line.Index,4}: {line.Text}\n");
            }
        }
        return builder.ToString();
    }

    public int Run()
    {
        Syscall.RaiseMemlockLimit();
        CreateMaps();
        var startNs = (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));
        // bpftrace splits -c at blanks and execs the words without a shell.
        using var child = options.Command is { } command ? HeldCommand.Start(command.Split(' ', StringSplitOptions.RemoveEmptyEntries)) : null;
        var constants = new RuntimeConstants(startNs, child?.Pid ?? 0);
        for (var i = 0; i < script.Programs.Count; i++) programs.Add(Load(i, constants));

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        events.Open();
        var reader = events;
        // The end of a -c command wakes the loop at once (where pidfds exist; else it looks every few ms).
        if (child?.ExitFd is { } exitFd) reader.WakeOn(exitFd.Fd);
        // As bpftrace, a run with -p ends when that process does (where pidfds exist).
        using var traced = child is null && options.Pid > 0 ? PidFd.TryOpen(options.Pid) : null;
        if (traced is not null) reader.WakeOn(traced.Fd);

        if (options.Format == OutputFormat.Json) output.WriteLine($"{{\"type\": \"attached_probes\", \"data\": {{\"probes\": {script.ProbeCount}}}}}");
        else if (!options.Quiet) output.WriteLine($"Attaching {script.ProbeCount} probe{(script.ProbeCount == 1 ? "" : "s")}...");
        output.Flush();

        var pid = options.Pid >= 0 ? options.Pid : -1;
        for (var i = 0; i < script.Programs.Count; i++)
        {
            var resolved = script.Programs[i].Resolved;
            if (resolved.Kind is ProbeKind.Begin or ProbeKind.End) continue;
            if (resolved.Syscall is { } syscall && Dispatcher(syscall).TryAdd(syscall.Number, programs[i])) continue;
            var provider = ProbeProviders.All.First(p => p.Names.Contains(resolved.FullName.Split(':')[0]));
            if (provider.Attach(programs[i], resolved, resolved.Kind is ProbeKind.Uprobe or ProbeKind.Uretprobe or ProbeKind.Usdt ? pid : -1) is { } link) links.Add(link);
        }
        RunSpecial(ProbeKind.Begin);
        child?.Resume();
        while (!exitRequested && !stopRequested)
        {
            // A -c command is watched every few milliseconds so that we end right after it does.
            reader.Poll(child is null || child.ExitFd is not null ? 100 : 5, Handle);
            output.Flush();
            if (child is { HasEnded: true } || traced is { HasExited: true })
            {
                reader.Consume(Handle);
                break;
            }
            // exit() ran but its record was lost (buffer full): the in-kernel flag still says so.
            if (!exitRequested && ExitFlagRaised())
            {
                reader.Consume(Handle);
                break;
            }
        }
        // Ctrl-C or the end of -c freezes the maps the same way exit() does, before the slow detach.
        exiting.Update(0u, 1ul);
        reader.Consume(Handle);
        DetachAll();
        exitRequested = false;
        RunSpecial(ProbeKind.End);
        reader.Consume(Handle);
        if (reader.Lost > 0)
        {
            if (options.Format == OutputFormat.Json) output.WriteLine($"{{\"type\": \"lost_events\", \"data\": {{\"events\": {reader.Lost}}}}}");
            else output.WriteLine($"Lost {reader.Lost} events");
        }
        output.Write("\n\n");
        foreach (var name in mapNames) PrintMap(name, 0, 1);
        output.Flush();
        return 0;
    }

    /// <summary>The sys_enter or sys_exit dispatcher, attached on first use; detached with the links.</summary>
    private SyscallDispatcher Dispatcher(SyscallTracepoint syscall)
    {
        ref var dispatcher = ref syscall.IsExit ? ref exitDispatcher : ref enterDispatcher;
        if (dispatcher is null)
        {
            dispatcher = SyscallDispatcher.Attach(syscall.IsExit, Syscalls.Tables.SyscallTable.Current.Count);
            links.Add(dispatcher);
        }
        return dispatcher;
    }

    private bool ExitFlagRaised()
    {
        Span<byte> value = stackalloc byte[8];
        return exiting.TryLookup(stackalloc byte[4], value) && BitConverter.ToUInt64(value) != 0;
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        stopRequested = true;
    }

    private void CreateMaps()
    {
        // Preallocating 4096 elements (per CPU, for a per-CPU map) costs milliseconds at every start.
        // Since 6.1 (bpf_mem_alloc) maps that allocate on insert are safe in tracing programs, but
        // still refused to perf_event ones (they run in NMI).
        var allocateOnInsert = script.Maps.Count > 0 && !script.Programs.Any(p => p.Resolved.ProgramType == BpfProgramType.PerfEvent) && Syscall.KernelAtLeast(6, 1);
        foreach (var (name, info) in script.Maps)
        {
            var kernelName = name.Length > 1 ? name[1..] : "anon";
            var spec = info.IsPerCpu
                ? MapSpec.PercpuHash(kernelName, info.StorageKeySize, info.StorageValueSize, 4096)
                : MapSpec.Hash(kernelName, info.StorageKeySize, info.StorageValueSize, 4096);
            maps[name] = BpfMap.Create(allocateOnInsert ? spec with { Flags = 1 /* BPF_F_NO_PREALLOC */ } : spec);
        }
        scratch = BpfMap.Create(MapSpec.PercpuArray("scratch", EventIds.JoinRecordSize, 1));
        if (script.UsesKernelStacks) kernelStacks = BpfMap.Create(MapSpec.StackTrace("kstacks", StackFormatter.MaxDepth, 4096));
        if (script.UsesUserStacks) userStacks = BpfMap.Create(MapSpec.StackTrace("ustacks", StackFormatter.MaxDepth, 4096));
        printer = new MapPrinter(options.Format, ProbeName, new StackFormatter(kernelStacks, userStacks));
        lostCounter = BpfMap.Create(MapSpec.Array("lost", 8, 1));
        events = EventChannel.Create(lostCounter, small: script.Programs.All(p => p.Resolved.Kind is ProbeKind.Begin or ProbeKind.End || !ProgramGenerator.SendsRecords(p.Probe.Body)));
        exiting = BpfMap.Create(MapSpec.Array("exiting", 8, 1));
    }

    private BpfProgram Load(int index, RuntimeConstants constants)
    {
        var fds = new MapFds(maps.ToDictionary(m => m.Key, m => m.Value.Fd.Value), events.Map.Fd.Value, lostCounter.Fd.Value, scratch.Fd.Value)
        {
            PerfBuffer = events.IsPerfBuffer,
            KernelStacks = kernelStacks?.Fd.Value ?? 0,
            UserStacks = userStacks?.Fd.Value ?? 0,
            Exiting = exiting.Fd.Value,
        };
        var code = ProgramGenerator.Generate(script, index, fds, constants);
        var resolved = script.Programs[index].Resolved;
        var name = ProgramName(resolved);
        try
        {
            var program = resolved.Tracing is { } function
                ? function.Load(function.Spec(name, [.. code.Instructions], resolved.IsReturn), options.Verbose ? 4u : 0u)
                : BpfProgram.Load(new ProgramSpec(name, resolved.ProgramType, [.. code.Instructions]), options.Verbose ? 4u : 0u);
            if (options.Verbose) Console.Error.Write($"{resolved.FullName}: {LastLines(program.VerifierLog)}\n");
            return program;
        }
        catch (VerifierException e)
        {
            var annotation = code.AnnotationAt(e.InstructionIndex);
            var where = annotation is { Line: > 0 }
                ? DiagnosticRenderer.Render(script.Program.Source, new Diagnostic(new Syntax.SourceSpan(SpanStart(annotation), 1),
                    $"the kernel verifier rejected the code for {resolved.FullName}: {VerifierReason(e.Log)}{MissingFeatureHint(e.Log)}"))
                : $"the kernel verifier rejected the code for {resolved.FullName}: {VerifierReason(e.Log)}{MissingFeatureHint(e.Log)}\n";
            throw new ScriptRunException(where + (options.Verbose ? e.Log : ""));
        }
    }

    /// <summary>What a verifier complaint about a helper means for the script (path(), override()), or "".</summary>
    internal static string MissingFeatureHint(string log) =>
        log.Contains("bpf_override_return", StringComparison.Ordinal) && log.Contains("unknown func", StringComparison.Ordinal)
            ? " (override() needs a kernel built with CONFIG_BPF_KPROBE_OVERRIDE)"
        : log.Contains("helper call is not allowed in probe", StringComparison.Ordinal) && log.Contains("bpf_d_path", StringComparison.Ordinal)
            ? " (the kernel allows path() only in kfunc probes on some functions, e.g. kfunc:filp_close, kfunc:vfs_getattr, kfunc:security_file_open)"
        : "";

    /// <summary>The verifier's reason in words: the last log line that is neither an instruction, a register state nor a statistic.</summary>
    internal static string VerifierReason(string log)
    {
        foreach (var line in log.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Reverse())
        {
            if (!IsVerifierDetail(line)) return line;
        }
        return VerifierException.Summarize(log);
    }

    private static readonly string[] VerifierDetailPrefixes =
        [";", "state", "old state", "cur state", "processed ", "verification time", "stack depth", "mark_precise", "last_idx", "regs=", "parent"];

    /// <summary>An instruction ("12: (85) call …"), a register state, a statistic or a back-tracking note, not a reason.</summary>
    private static bool IsVerifierDetail(string line)
    {
        static int Digits(string s, int at)
        {
            var end = at;
            while (end < s.Length && char.IsAsciiDigit(s[end])) end++;
            return end - at;
        }
        var lead = Digits(line, 0);
        if (lead > 0 && lead < line.Length && line[lead] == ':') return true;
        if (line.StartsWith('R') && Digits(line, 1) > 0) return true;
        if (line.StartsWith("frame", StringComparison.Ordinal) && Digits(line, 5) > 0) return true;
        if (line.StartsWith("from ", StringComparison.Ordinal) && Digits(line, 5) is > 0 and var from
            && line.AsSpan(5 + from).StartsWith(" to ", StringComparison.Ordinal) && Digits(line, 9 + from) > 0) return true;
        return VerifierDetailPrefixes.Any(p => line.StartsWith(p, StringComparison.Ordinal));
    }

    private int SpanStart(InstructionAnnotation annotation)
    {
        var text = script.Program.Source.Text;
        var line = 1;
        var i = 0;
        while (line < annotation.Line && i < text.Length)
        {
            if (text[i] == '\n') line++;
            i++;
        }
        return i + Math.Max(0, annotation.Column - 1);
    }

    private static string LastLines(string log)
    {
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join("\n", lines.TakeLast(2));
    }

    private static string ProgramName(ResolvedProbe probe)
    {
        var name = new string(probe.FullName.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        return name.Length > 15 ? name[..15] : name;
    }

    private unsafe void RunSpecial(ProbeKind kind)
    {
        for (var i = 0; i < script.Programs.Count; i++)
        {
            if (script.Programs[i].Resolved.Kind != kind) continue;
            var attr = new TestRunAttr { ProgFd = (uint)programs[i].Fd.Value };
            if (BpfSyscall.TryInvoke(BpfCommand.ProgTestRun, ref attr) < 0)
                throw BpfSyscall.Error(BpfCommand.ProgTestRun, Syscall.LastErrno, $"running {kind}");
            if (exitRequested && kind == ProbeKind.Begin) break;
        }
    }

    private void Handle(ReadOnlySpan<byte> record)
    {
        if (record.Length < 8) return;
        var id = BitConverter.ToUInt64(record);
        // After exit() nothing but END's output is shown (later records from other CPUs are dropped).
        if (exitRequested) return;
        if (id == EventIds.Exit)
        {
            exitRequested = true;
            return;
        }
        if (id >= EventIds.JoinBase)
        {
            var call = ProgramGenerator.CallsNamed(script, "join")[(int)(id - EventIds.JoinBase)];
            var separator = call.Arguments.Count > 1 ? ((Syntax.Ast.StringLiteral)call.Arguments[1]).Value : " ";
            var bytes = record.ToArray();
            var parts = new List<string>();
            for (var i = 0; i < EventIds.JoinArguments; i++)
            {
                var part = MapPrinter.ReadString(bytes, 8 + i * EventIds.JoinArgumentSize, EventIds.JoinArgumentSize);
                if (part.Length == 0) break;
                parts.Add(part);
            }
            var text = string.Join(separator, parts);
            if (options.Format == OutputFormat.Json) output.WriteLine($"{{\"type\": \"join\", \"data\": {JsonText.Quote(text)}}}");
            else output.WriteLine(text);
            return;
        }
        if (id >= EventIds.TimeBase)
        {
            var call = ProgramGenerator.CallsNamed(script, "time")[(int)(id - EventIds.TimeBase)];
            var format = call.Arguments.Count > 0 ? ((Syntax.Ast.StringLiteral)call.Arguments[0]).Value : "%H:%M:%S\n";
            var text = Strftime.Format(format, DateTime.Now);
            if (options.Format == OutputFormat.Json) output.WriteLine($"{{\"type\": \"time\", \"data\": {JsonText.Quote(text)}}}");
            else output.Write(text);
            return;
        }
        if (id >= EventIds.PrintValueBase)
        {
            var call = printValueCalls[(int)(id - EventIds.PrintValueBase)];
            var text = printer.FormatValue(call.Arguments[0].Type, record.ToArray(), 8, options.Format == OutputFormat.Json);
            output.WriteLine(options.Format == OutputFormat.Json ? $"{{\"type\": \"value\", \"data\": {text}}}" : text);
            return;
        }
        if (id >= EventIds.ZeroMapBase)
        {
            ZeroMap(mapNames[(int)(id - EventIds.ZeroMapBase)]);
            return;
        }
        if (id >= EventIds.ClearMapBase)
        {
            ClearMap(mapNames[(int)(id - EventIds.ClearMapBase)]);
            return;
        }
        if (id >= EventIds.PrintMapBase)
        {
            PrintMap(mapNames[(int)(id - EventIds.PrintMapBase)], BitConverter.ToInt64(record[8..]), BitConverter.ToInt64(record[16..]));
            return;
        }
        if (id >= EventIds.PrintfBase)
        {
            var format = script.Printfs[(int)(id - EventIds.PrintfBase)];
            if (format.Arguments.Count == 0 && format.Action == "printf")
            {
                // bpftrace 0.17 prints a printf without arguments verbatim: "%%" stays "%%".
                if (options.Format == OutputFormat.Json) output.WriteLine($"{{\"type\": \"printf\", \"data\": {JsonText.Quote(format.Format)}}}");
                else output.Write(format.Format);
                return;
            }
            var bytes = record.ToArray();
            var text = PrintfFormatter.Format(format.Format, i =>
            {
                if (i >= format.Arguments.Count) return 0L;
                var type = format.Arguments[i];
                var offset = format.Offset(i);
                return type.Kind switch
                {
                    TypeKind.String => MapPrinter.ReadString(bytes, offset, type.Size),
                    TypeKind.Probe or TypeKind.Username or TypeKind.Timestamp or TypeKind.Inet or TypeKind.Strerror or TypeKind.MacAddress or TypeKind.CgroupPath or TypeKind.Buffer or TypeKind.Tuple or TypeKind.Kstack or TypeKind.Ustack or TypeKind.Ksym or TypeKind.Usym
                        => printer.FormatValue(type, bytes, offset, false),
                    _ => BitConverter.ToInt64(bytes, offset),
                };
            });
            switch (format.Action)
            {
                case "system": RunSystem(text); break;
                case "cat": Cat(text); break;
                default:
                    if (options.Format == OutputFormat.Json) output.WriteLine($"{{\"type\": \"printf\", \"data\": {JsonText.Quote(text)}}}");
                    else output.Write(text);
                    break;
            }
        }
    }

    /// <summary>system(): runs the command through /bin/sh and shows its output in ours, as bpftrace does.</summary>
    private void RunSystem(string command)
    {
        output.Flush();
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        using var process = Process.Start(info);
        if (process is null) return;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (options.Format == OutputFormat.Json) output.WriteLine($"{{\"type\": \"syscall\", \"data\": {JsonText.Quote(text)}}}");
        else output.Write(text);
    }

    /// <summary>cat(): prints a file's contents (bpftrace: up to 4 KiB... here the whole small file).</summary>
    private void Cat(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { text = $"cat: {path}: {e.Message}\n"; }
        if (options.Format == OutputFormat.Json) output.WriteLine($"{{\"type\": \"cat\", \"data\": {JsonText.Quote(text)}}}");
        else output.Write(text);
    }

    private void PrintMap(string name, long top, long div)
    {
        var info = script.Maps[name];
        var map = maps[name];
        var entries = map.Entries();
        output.Write(printer.Print(info, entries, info.IsPerCpu ? PossibleCpus.Count : 1, map.Spec.PerCpuStride, top, div));
    }

    /// <summary>clear(): every entry goes.</summary>
    private void ClearMap(string name)
    {
        var map = maps[name];
        foreach (var key in map.Keys().ToList()) map.Delete(key);
    }

    /// <summary>zero(): the keys stay, with zeroed values (on every CPU for per-CPU maps).</summary>
    private void ZeroMap(string name)
    {
        var map = maps[name];
        var zero = new byte[map.Spec.UserValueSize];
        foreach (var key in map.Keys().ToList()) map.Update(key, zero);
    }

    /// <summary>Detaches every probe, the per-CPU links of a set each on their own, several at a time (each waits for the kernel).</summary>
    private void DetachAll()
    {
        Detach.All([.. links.SelectMany<IDisposable, IDisposable>(l => l is LinkSet set ? set.Links : [l])]);
        links.Clear();
    }

    public void Dispose()
    {
        DetachAll();
        foreach (var program in programs) program.Dispose();
        foreach (var map in maps.Values) map.Dispose();
        events?.Dispose();
        lostCounter?.Dispose();
        scratch?.Dispose();
        exiting?.Dispose();
        kernelStacks?.Dispose();
        userStacks?.Dispose();
    }
}

/// <summary>A run that failed for a reason the user should read as is (already rendered).</summary>
internal sealed class ScriptRunException(string message) : Exception(message);
