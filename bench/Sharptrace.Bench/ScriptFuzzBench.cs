using System.Diagnostics;
using Sharptrace.Tests.Fuzzing;

namespace Sharptrace.Bench;

/// <summary>
/// script-fuzz [COUNT] [SEED] [LIMIT_MS]: runs COUNT random and mutated scripts (default 1,000,000)
/// through the whole front end on a worker thread, with a watchdog that calls a script hung when it
/// takes longer than LIMIT_MS (default 2000). Prints counts by outcome and scripts/s; every crash
/// and hang is printed with its index and text (ScriptFuzzer.Script(i) reproduces it). Exit 1 when
/// any script crashed or hung.
/// </summary>
internal static class ScriptFuzzBench
{
    public static int Run(string[] args)
    {
        var count = args.Length > 0 ? long.Parse(args[0].Replace("_", "")) : 1_000_000;
        var seed = args.Length > 1 ? int.Parse(args[1]) : 1;
        var limit = TimeSpan.FromMilliseconds(args.Length > 2 ? int.Parse(args[2]) : 2000);
        var fuzzer = new ScriptFuzzer(ScriptFuzzer.ConformanceScripts(RepoRoot()), seed);
        var outcomes = new long[Enum.GetValues<ScriptOutcome>().Length];
        var hangs = new List<long>();
        // One-time loads that some scripts trigger (kallsyms for kaddr(), vmlinux BTF for kfunc and struct
        // fields) are made before the clock and the watchdog start: they are no hang.
        _ = Sharptrace.Script.Semantics.KernelSymbolAddress.Find("vfs_read");
        _ = Sharptrace.Script.Semantics.KernelTypes.Spec;
        var clock = Stopwatch.StartNew();
        long next = 0;

        while (next < count && hangs.Count < 5)
        {
            // The worker takes scripts from 'next' on; a hung one is abandoned (a background thread) and a new worker carries on after it.
            long current = -1, startedAt = 0;
            var abandoned = false;
            var worker = new Thread(() =>
            {
                for (var i = Interlocked.Read(ref next); i < count && !Volatile.Read(ref abandoned); i = Interlocked.Increment(ref next))
                {
                    var text = fuzzer.Script(i);
                    Volatile.Write(ref startedAt, Stopwatch.GetTimestamp());
                    Volatile.Write(ref current, i);
                    var (outcome, crash) = ScriptFuzzer.Exercise(text);
                    Volatile.Write(ref current, -1);
                    Interlocked.Increment(ref outcomes[(int)outcome]);
                    if (crash is not null)
                        Console.WriteLine($"CRASH script {i} (seed {seed}): {crash.GetType().Name}: {crash.Message}\n--- input ---\n{Shown(text)}\n--- stack ---\n{crash.StackTrace}\n");
                }
            }, 8 * 1024 * 1024) { IsBackground = true, Name = "fuzz worker" }; // the stack sharptrace's main thread has
            worker.Start();
            while (!worker.Join(100))
            {
                var i = Volatile.Read(ref current);
                if (i < 0 || Stopwatch.GetElapsedTime(Volatile.Read(ref startedAt)) < limit) continue;
                Volatile.Write(ref abandoned, true);
                hangs.Add(i);
                Console.WriteLine($"HANG script {i} (seed {seed}): over {limit.TotalMilliseconds:0} ms\n--- input ---\n{Shown(fuzzer.Script(i))}\n");
                Interlocked.Exchange(ref next, i + 1);
                break;
            }
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        var done = outcomes.Sum();
        Console.WriteLine($"{done:N0} scripts in {elapsed:0.0} s: {done / elapsed:N0} scripts/s (seed {seed}, limit {limit.TotalMilliseconds:0} ms per script)");
        foreach (var outcome in Enum.GetValues<ScriptOutcome>())
            Console.WriteLine($"  {outcome,-14} {outcomes[(int)outcome],10:N0}");
        Console.WriteLine($"  {"Hang",-14} {hangs.Count,10:N0}");
        return outcomes[(int)ScriptOutcome.Crash] > 0 || hangs.Count > 0 ? 1 : 0;
    }

    // Long inputs (deep nesting) are shown by their two ends; ScriptFuzzer.Script(i) gives the whole text.
    private static string Shown(string text) => text.Length <= 600 ? text : $"{text[..300]} … ({text.Length} chars) … {text[^300..]}";

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "sharptrace.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
