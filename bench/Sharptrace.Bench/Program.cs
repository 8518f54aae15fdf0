// Runs one benchmark chosen by the first argument: `dotnet run -c Release --project bench/Sharptrace.Bench -- btf`.
// Each benchmark lives in its own file and registers itself in the table below.
using Sharptrace.Bench;

var benches = new SortedDictionary<string, Func<string[], int>>(StringComparer.Ordinal)
{
    ["btf"] = BtfParseBench.Run,
    ["maps"] = _ => { MapBench.Run(); return 0; },
    ["ringbuf"] = _ => { RingBufferBench.Run(); return 0; },
    ["ftrace-pages"] = FtracePageBench.Run,
    ["symbolize"] = SymbolizeBench.Run,
    ["script-fuzz"] = ScriptFuzzBench.Run,
};

if (args.Length == 0 || !benches.TryGetValue(args[0], out var bench))
{
    Console.Error.WriteLine($"usage: Sharptrace.Bench <{string.Join('|', benches.Keys)}> [options]");
    return 2;
}
return bench(args[1..]);
