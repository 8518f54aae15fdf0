using System.CommandLine;
using Sharptrace.Script;
using Sharptrace.Script.Diagnostics;
using Sharptrace.Script.Runtime;
using Sharptrace.Script.Syntax;

namespace Sharptrace.Cli;

/// <summary>
/// The root command: <c>sharptrace -e 'program'</c> or <c>sharptrace file.bt [args]</c>, with
/// bpftrace's option letters.
/// </summary>
internal static class ScriptCommand
{
    public static void Configure(RootCommand root)
    {
        var program = new Option<string?>("-e") { Description = "program text to run, e.g. 'kretfunc:vfs_read { @[comm] = sum(retval); }'" };
        var list = new Option<bool>("-l") { Description = "list probes matching the program text or the argument (-lv: with tracepoint and kfunc arguments; uprobe:/path/bin:* its functions, usdt:/path/bin:* its USDT probes)" };
        var verbose = new Option<bool>("-v") { Description = "verbose: verifier statistics" };
        var debug = new Option<bool>("-d") { Description = "debug: dump the AST and the annotated bytecode, do not run" };
        var command = new Option<string?>("-c") { Description = "run COMMAND and trace until it exits (cpid is its pid)" };
        var pid = new Option<int?>("-p") { Description = "limit uprobes and usdt probes to PID; the binary may then be left out: uprobe:FUNCTION is in its program, usdt::provider:name in its program or libraries (-lp PID lists them)" };
        var outputFile = new Option<string?>("-o") { Description = "write output to FILE" };
        var format = new Option<string?>("-f") { Description = "output format: text or json" };
        var buffering = new Option<string?>("-B") { Description = "output buffering: line, full or none" };
        var quiet = new Option<bool>("-q") { Description = "quiet: no 'Attaching' line" };
        var unsafeOption = new Option<bool>("--unsafe") { Description = "allow unsafe builtins (system, signal, override)" };
        var include = new Option<string[]>("-I") { Description = "include directory (accepted; BTF is used instead of headers)" };
        var arguments = new Argument<string[]>("file-and-args") { Arity = ArgumentArity.ZeroOrMore, Description = "script file, then its positional parameters" };
        foreach (var option in new Option[] { program, list, verbose, debug, command, pid, outputFile, format, buffering, quiet, unsafeOption, include })
            root.Options.Add(option);
        root.Arguments.Add(arguments);
        root.SetAction(result =>
        {
            var rest = result.GetValue(arguments) ?? [];
            var text = result.GetValue(program);
            if (result.GetValue(list)) return ProbeLister.Run(text ?? rest.FirstOrDefault(), result.GetValue(verbose), result.GetValue(pid) ?? -1);
            string name;
            IReadOnlyList<string> positionals;
            if (text is not null)
            {
                name = "stdin";
                positionals = rest;
            }
            else if (rest.Length > 0)
            {
                name = rest[0];
                try { text = File.ReadAllText(rest[0]); }
                catch (IOException e) { return CliApp.Fail($"cannot read {rest[0]}: {e.Message}"); }
                positionals = rest[1..];
            }
            else
            {
                Console.Error.WriteLine("USAGE: sharptrace [options] filename\n       sharptrace [options] -e 'program'\n       sharptrace <command> ... (see --help)");
                return 1;
            }
            var outputFormat = result.GetValue(format) switch
            {
                null or "text" => OutputFormat.Text,
                "json" => OutputFormat.Json,
                var other => (OutputFormat?)null,
            };
            if (outputFormat is null) return CliApp.Fail($"invalid output format '{result.GetValue(format)}': expected text or json");
            var source = new SourceText(name, text);
            var (script, error) = ScriptCompiler.Compile(source, positionals, allowUnsafe: result.GetValue(unsafeOption), pid: result.GetValue(pid) ?? -1);
            if (error is not null)
            {
                Console.Error.Write(error);
                return 1;
            }
            foreach (var warning in script!.Warnings) Console.Error.Write(DiagnosticRenderer.Render(source, warning));
            if (result.GetValue(debug))
            {
                try { Console.Out.Write(ScriptRunner.Dump(script!)); }
                catch (ScriptException e)
                {
                    Console.Error.Write(DiagnosticRenderer.Render(source, e.Diagnostic));
                    return 1;
                }
                return 0;
            }
            // Buffered: the runner flushes after every batch of events, so output stays prompt without a write(2) per line.
            // -B none flushes each write, as unbuffered output would.
            var writer = result.GetValue(outputFile) is { } path ? new StreamWriter(path) : new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16);
            if (result.GetValue(buffering) == "none") writer.AutoFlush = true;
            try
            {
                using var runner = new ScriptRunner(script!, new RunOptions
                {
                    Format = outputFormat.Value,
                    Command = result.GetValue(command),
                    Pid = result.GetValue(pid) ?? -1,
                    Verbose = result.GetValue(verbose),
                    Quiet = result.GetValue(quiet),
                    Output = writer,
                });
                return runner.Run();
            }
            catch (ScriptRunException e)
            {
                Console.Error.Write(e.Message);
                return 1;
            }
            catch (ScriptException e)
            {
                // Code generation limits (e.g. the 512-byte BPF stack) point at the source too.
                Console.Error.Write(DiagnosticRenderer.Render(source, e.Diagnostic));
                return 1;
            }
            finally
            {
                writer.Dispose();
            }
        });
    }
}
