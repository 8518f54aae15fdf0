using System.Diagnostics;
using Sharptrace.Tests.Fuzzing;

namespace Sharptrace.Bench;

/// <summary>
/// script-fuzz [COUNT] [SEED] [LIMIT_MS] [real]: runs COUNT random and mutated scripts (default 1,000,000)
/// through the whole front end on a worker thread, with a watchdog: a script over LIMIT_MS (default
/// 2000) is slow and re-timed alone at the end (the machine is shared), one over ten times that is
/// hung and abandoned. Prints counts by outcome and scripts/s; every crash, hang and slow script is
/// printed with its index and text (ScriptFuzzer.Script(i) reproduces it). Exit 1 when any script
/// crashed, hung, or was slow even alone. With "real", attach points are resolved by the real probe
/// providers on this machine (tracefs, BTF, ELF files; nothing is attached) instead of offline.
/// </summary>
internal static class ScriptFuzzBench
{
    public static int Run(string[] args)
    {
        var count = args.Length > 0 ? long.Parse(args[0].Replace("_", "")) : 1_000_000;
        var seed = args.Length > 1 ? int.Parse(args[1]) : 1;
        var limit = TimeSpan.FromMilliseconds(args.Length > 2 ? int.Parse(args[2]) : 2000);
        var realProbes = args.Length > 3 && args[3] == "real";
        var fuzzer = new ScriptFuzzer(ScriptFuzzer.ConformanceScripts(RepoRoot()), seed);
        var outcomes = new long[Enum.GetValues<ScriptOutcome>().Length];
        var hangs = new List<long>();
        var slow = new List<long>();
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
                    var (outcome, crash) = ScriptFuzzer.Exercise(text, realProbes);
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
                var elapsed = Stopwatch.GetElapsedTime(Volatile.Read(ref startedAt));
                if (i < 0 || elapsed < limit) continue;
                // Over the limit: slow, maybe only because other work shares the machine (re-timed alone at the
                // end); a hang once over ten times the limit.
                if (!slow.Contains(i)) slow.Add(i);
                if (elapsed < 10 * limit) continue;
                Volatile.Write(ref abandoned, true);
                hangs.Add(i);
                Console.WriteLine($"HANG script {i} (seed {seed}): over {10 * limit.TotalMilliseconds:0} ms\n--- input ---\n{Shown(fuzzer.Script(i))}\n");
                Interlocked.Exchange(ref next, i + 1);
                break;
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var reallySlow = 0;
        foreach (var i in slow.Except(hangs))
        {
            var alone = Stopwatch.StartNew();
            ScriptFuzzer.Exercise(fuzzer.Script(i), realProbes);
            var slowAlone = alone.Elapsed >= limit;
            if (slowAlone) reallySlow++;
            Console.WriteLine($"SLOW script {i} (seed {seed}): over {limit.TotalMilliseconds:0} ms in the run, {alone.Elapsed.TotalMilliseconds:0} ms alone{(slowAlone ? "" : " (the machine was busy)")}\n--- input ---\n{Shown(fuzzer.Script(i))}\n");
        }
        var done = outcomes.Sum();
        Console.WriteLine($"{done:N0} scripts in {seconds:0.0} s: {done / seconds:N0} scripts/s (seed {seed}, {(realProbes ? "real" : "offline")} probes, limit {limit.TotalMilliseconds:0} ms per script, a hang at {10 * limit.TotalMilliseconds:0} ms)");
        foreach (var outcome in Enum.GetValues<ScriptOutcome>())
            Console.WriteLine($"  {outcome,-14} {outcomes[(int)outcome],10:N0}");
        Console.WriteLine($"  {"Slow",-14} {reallySlow,10:N0}  (over the limit when re-run alone; {slow.Count - hangs.Count} over it in the run)");
        Console.WriteLine($"  {"Hang",-14} {hangs.Count,10:N0}");
        return outcomes[(int)ScriptOutcome.Crash] > 0 || hangs.Count > 0 || reallySlow > 0 ? 1 : 0;
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
