using System.Diagnostics;
using Sharptrace.Bpf.Elf;
using Sharptrace.Tracing.Symbols;

namespace Sharptrace.Bench;

/// <summary>
/// Symbolization rate: 1M random code addresses over up to 100 shared libraries of this machine,
/// each mapped at its own base in one recorded address space (cold: every binary's symbols load
/// inside the timed region).
/// </summary>
public static class SymbolizeBench
{
    public static int Run(string[] args)
    {
        var addresses = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        var libraries = Directory.GetFiles("/usr/lib/x86_64-linux-gnu", "*.so*").Where(f => !Directory.Exists(f)).Order(StringComparer.Ordinal).ToList();
        var chosen = new List<(string Path, ulong Offset, ulong Size)>();
        foreach (var path in libraries)
        {
            if (chosen.Count == 100) break;
            try
            {
                var elf = ElfFile.Load(path);
                var text = elf.Segments.FirstOrDefault(s => s.Type == ElfSegmentType.Load && s.IsExecutable);
                if (text.FileSize > 4096 && elf.DynamicSymbols.Count > 10) chosen.Add((path, text.Offset, text.FileSize));
            }
            catch (Exception e) when (e is ElfFormatException or IOException or UnauthorizedAccessException) { }
        }
        var random = new Random(42);
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        var symbolizer = Symbolizer.ForRecordedMappings(KernelSymbols.Parse(new StringReader("")));
        var bases = new ulong[chosen.Count];
        for (var i = 0; i < chosen.Count; i++)
        {
            bases[i] = 0x7f00_0000_0000UL + (ulong)i * 0x1000_0000UL;
            symbolizer.AddMapping(1, bases[i], chosen[i].Size, chosen[i].Offset, chosen[i].Path);
        }
        foreach (var (path, _, _) in chosen) symbolizer.BinaryAt(path);
        var loaded = clock.Elapsed;
        var loadedCpu = Environment.CpuUsage.TotalTime - cpu;
        var named = 0;
        // Names are decoded and demangled when first asked for (a report asks only for the frames it
        // shows); SYMBOLIZE_NAMES=1 asks for every one, as the symbolizer before that change did.
        var askNames = Environment.GetEnvironmentVariable("SYMBOLIZE_NAMES") == "1";
        for (var n = 0; n < addresses; n++)
        {
            var lib = random.Next(chosen.Count);
            var address = bases[lib] + (ulong)random.NextInt64((long)chosen[lib].Size);
            var symbol = symbolizer.Resolve(1, address);
            if (askNames ? symbol.Name is not null : symbol.HasName) named++;
        }
        clock.Stop();
        var cpuUsed = Environment.CpuUsage.TotalTime - cpu;
        if (Environment.GetEnvironmentVariable("SYMBOLIZE_BREAKDOWN") is not null)
        {
            var tables = chosen.Select(c => symbolizer.BinaryAt(c.Path)).ToArray();
            var r2 = new Random(42);
            var sw = Stopwatch.StartNew();
            for (var n = 0; n < addresses; n++) { var lib = r2.Next(chosen.Count); _ = bases[lib] + (ulong)r2.NextInt64((long)chosen[lib].Size); }
            Console.WriteLine($"  random numbers alone: {sw.ElapsedMilliseconds} ms");
            r2 = new Random(42);
            sw.Restart();
            for (var n = 0; n < addresses; n++) { var lib = r2.Next(chosen.Count); var off = (ulong)r2.NextInt64((long)chosen[lib].Size); tables[lib]?.TryResolveFileOffset(off + chosen[lib].Offset, out _, out _); }
            Console.WriteLine($"  table lookups (warm names): {sw.ElapsedMilliseconds} ms");
            r2 = new Random(42);
            sw.Restart();
            for (var n = 0; n < addresses; n++) { var lib = r2.Next(chosen.Count); symbolizer.Resolve(1, bases[lib] + (ulong)r2.NextInt64((long)chosen[lib].Size)); }
            Console.WriteLine($"  full resolve again (warm names): {sw.ElapsedMilliseconds} ms");
        }
        Console.WriteLine($"symbolize{(askNames ? " and name" : "")}: {addresses} addresses over {chosen.Count} binaries in {clock.Elapsed.TotalMilliseconds:F0} ms " +
            $"({addresses / clock.Elapsed.TotalSeconds / 1e6:F2} M/s), {cpuUsed.TotalMilliseconds:F0} ms CPU, {100.0 * named / addresses:F1}% named; " +
            $"of which loading the symbols {loaded.TotalMilliseconds:F0} ms ({loadedCpu.TotalMilliseconds:F0} ms CPU)");
        // Real samples are call chains: a few thousand return addresses seen again and again. Stacks of
        // 16 frames drawn from 2000 chains show what the caches buy on such input (names already warm).
        var chains = new ulong[2000][];
        for (var c = 0; c < chains.Length; c++)
        {
            chains[c] = new ulong[16];
            for (var f = 0; f < 16; f++)
            {
                var lib = random.Next(chosen.Count);
                chains[c][f] = bases[lib] + (ulong)random.NextInt64((long)chosen[lib].Size);
            }
        }
        cpu = Environment.CpuUsage.TotalTime;
        clock.Restart();
        for (var n = 0; n < addresses / 16; n++)
            foreach (var address in chains[random.Next(chains.Length)]) symbolizer.Resolve(1, address);
        Console.WriteLine($"symbolize call chains: {addresses / 16 * 16} addresses (2000 distinct stacks of 16) in {clock.Elapsed.TotalMilliseconds:F0} ms, {(Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds:F0} ms CPU");
        return 0;
    }
}
