using System.CommandLine;
using Sharptrace.Bpf.Elf;
using Sharptrace.Syscalls;
using Sharptrace.Syscalls.Decoding;
using Sharptrace.Syscalls.Filtering;
using Sharptrace.Syscalls.Formatting;
using Sharptrace.Syscalls.Tables;
using Sharptrace.Syscalls.Tracing;

namespace Sharptrace.Cli;

/// <summary>
/// `sharptrace strace [options] cmd [args]` / `-p PID`: strace's options, same meaning. The
/// options are parsed here rather than by System.CommandLine because strace's grammar bundles
/// letters (-ff, -tt, -xx) and ends at the first word that is not an option (the command).
/// </summary>
internal static class StraceCommand
{
    private const string HelperFlag = "--exec-held-helper";

    public static Command Create()
    {
        var command = new Command("strace", Strace.StraceHelp.Text);
        var words = new Argument<string[]>("args") { Arity = ArgumentArity.ZeroOrMore, Description = "strace options, then the command and its arguments" };
        command.Arguments.Add(words);
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(result => Run([.. result.GetValue(words) ?? [], .. result.UnmatchedTokens]));
        return command;
    }

    private static int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == HelperFlag) return HeldChild.RunHelper(args[1], args[2..]);
        var options = new StraceOptions();
        var pids = new List<int>();
        string? traceExpression = null;
        var table = SyscallTable.Current;
        var i = 0;
        var decode = new DecodeOptions();
        var backend = BackendKind.Ebpf;
        for (; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--") { i++; break; }
            if (!a.StartsWith('-') || a == "-") break;
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"option {a} needs a value");
            if (a.StartsWith("--backend=", StringComparison.Ordinal)) { args[i] = a["--backend=".Length..]; a = "--backend"; i--; }
            switch (a)
            {
                case "--backend":
                    var name = Value();
                    backend = SyscallBackends.Parse(name) ?? throw new ArgumentException($"invalid --backend '{name}' (ebpf or ptrace)");
                    break;
                case "-f": options = options with { Follow = true }; break;
                case "-ff": options = options with { Follow = true, PerTaskFiles = true }; break;
                case "-C": options = options with { SummaryWithLines = true }; break;
                case "-w": options = options with { WallClockSummary = true }; break;
                case "-S":
                    var key = Value();
                    options = options with { SummarySort = CallSummary.ParseSort(key) ?? throw new ArgumentException($"invalid sortby: '{key}'") };
                    break;
                case "-X":
                    var style = Value();
                    decode = decode with
                    {
                        Xlat = style switch { "raw" => XlatStyle.Raw, "abbrev" => XlatStyle.Abbrev, "verbose" => XlatStyle.Verbose, _ => throw new ArgumentException($"invalid -X argument: '{style}'") },
                    };
                    break;
                case "-y": case "-yy": decode = decode with { FdPaths = true }; break;
                case "-c": options = options with { CountOnly = true }; break;
                case "-T": options = options with { ShowDuration = true }; break;
                case "-t": options = options with { Timestamps = TimestampStyle.Seconds }; break;
                case "-tt": options = options with { Timestamps = TimestampStyle.Microseconds }; break;
                case "-ttt": options = options with { Timestamps = TimestampStyle.Epoch }; break;
                case "-r": options = options with { RelativeTimestamps = true }; break;
                case "-q": case "-qq": options = options with { Quiet = true }; break;
                case "-n": options = options with { ShowNumbers = true }; break;
                case "-x": decode = decode with { Hex = HexMode.NonAscii }; break;
                case "-xx": decode = decode with { Hex = HexMode.All }; break;
                case "-v": decode = decode with { Verbose = true }; break;
                case "-z": options = options with { OnlySuccessful = true }; break;
                case "-Z": options = options with { OnlySuccessful = false }; break;
                case "--json": options = options with { Json = true }; break;
                case "-o": options = options with { OutputFile = Value() }; break;
                case "-s":
                    var limit = Value();
                    if (!int.TryParse(limit, out var s) || s < 0) throw new ArgumentException($"invalid -s argument: '{limit}'");
                    decode = decode with { StringLimit = s };
                    break;
                case "-e":
                    var expr = Value();
                    if (expr.StartsWith("trace=", StringComparison.Ordinal)) traceExpression = expr["trace=".Length..];
                    else if (expr.StartsWith("status=", StringComparison.Ordinal))
                        options = options with { OnlySuccessful = expr[7..] switch { "successful" => true, "failed" => false, _ => null } };
                    else if (expr.StartsWith("signal=", StringComparison.Ordinal) || expr.StartsWith("signals=", StringComparison.Ordinal))
                    {
                        try { options = options with { Signals = SignalExpression.Parse(expr[(expr.IndexOf('=') + 1)..]) }; }
                        catch (TraceExpressionException e) { return CliApp.Fail(e.Message); }
                    }
                    else if (!expr.Contains('=')) traceExpression = expr;
                    else throw new ArgumentException($"invalid -e expression: '{expr}' (supported: trace=, status=, signal=)");
                    break;
                case "-p":
                    foreach (var p in Value().Split(',', ' '))
                        if (int.TryParse(p, out var pid) && pid > 0) pids.Add(pid);
                        else throw new ArgumentException($"Invalid process id: '{p}'");
                    break;
                default: throw new ArgumentException($"unknown strace option '{a}'");
            }
        }
        options = options with { Decode = decode };
        if (traceExpression is not null)
        {
            try { options = options with { Selected = TraceExpression.Parse(traceExpression, table) }; }
            catch (TraceExpressionException e) { return CliApp.Fail(e.Message); }
        }
        var command = args[i..];
        if (command.Length == 0 && pids.Count == 0) return CliApp.Fail("must have PROG [ARGS] or -p PID");
        foreach (var pid in pids)
            if (!Directory.Exists($"/proc/{pid}")) return CliApp.Fail($"attach: ptrace(PTRACE_SEIZE, {pid}): No such process");

        string? path = null;
        if (command.Length > 0)
        {
            path = ResolveExecutable(command[0]);
            if (path is null) return CliApp.Fail($"Cannot find executable '{command[0]}'");
        }

        // -ff -o FILE writes FILE.TID only; what belongs to no task goes to stderr.
        using var output = options.OutputFile is null || (options.PerTaskFiles && !options.Json)
            ? new StreamWriter(Console.OpenStandardError()) { AutoFlush = false }
            : new StreamWriter(options.OutputFile, append: false, new System.Text.UTF8Encoding(false), 1 << 16);
        // Without BPF here, ptrace serves; -v says so (on stderr, not in the trace).
        using var tracer = SyscallBackends.Open(options, backend, why => { if (decode.Verbose) Console.Error.WriteLine($"sharptrace: eBPF unavailable ({why}): tracing with ptrace"); });
        if (path is not null)
            return tracer.RunCommand([Environment.ProcessPath ?? "/proc/self/exe", "strace", HelperFlag], path, command, output);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        return tracer.AttachTo(pids, output, stop.Token);
    }

    /// <summary>strace's lookup: a name with a slash as is, otherwise the first executable on PATH.</summary>
    private static string? ResolveExecutable(string name)
    {
        if (name.Contains('/')) return File.Exists(name) ? name : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            var candidate = Path.Combine(dir.Length == 0 ? "." : dir, name);
            if (File.Exists(candidate) && OperatingSystem.IsLinux() && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
                return candidate;
        }
        return null;
    }
}
