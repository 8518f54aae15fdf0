using System.Diagnostics;
using Sharptrace.Bpf.Maps;
using Sharptrace.Kernel;

namespace Sharptrace.Bench;

/// <summary>Map update+lookup operations per second from user space (one bpf() call each), hash and array.</summary>
internal static class MapBench
{
    public static void Run()
    {
        Syscall.RaiseMemlockLimit();
        const int entries = 10_000;
        const int rounds = 20;
        foreach (var spec in new[] { MapSpec.Hash("bench_hash", 8, 8, entries), MapSpec.Array("bench_array", 8, entries), MapSpec.PercpuHash("bench_pchash", 8, 8, entries) })
        {
            using var map = BpfMap.Create(spec);
            var value = new byte[spec.UserValueSize];
            var key = new byte[spec.KeySize];
            // Warm-up fills the map so updates below overwrite (the steady state of a tracer's maps).
            for (var i = 0; i < entries; i++) { WriteKey(key, i); map.Update(key, value); }
            var watch = Stopwatch.StartNew();
            for (var r = 0; r < rounds; r++)
                for (var i = 0; i < entries; i++)
                {
                    WriteKey(key, i);
                    map.Update(key, value);
                    map.TryLookup(key, value);
                }
            var ops = 2.0 * entries * rounds / watch.Elapsed.TotalSeconds;
            watch.Restart();
            var iterated = 0;
            for (var r = 0; r < rounds; r++) iterated += map.Entries().Count;
            var iterateRate = iterated / watch.Elapsed.TotalSeconds;
            Console.WriteLine($"map {spec.Type,-12} update+lookup: {ops / 1e6:F2} M ops/s   iterate (batch where supported): {iterateRate / 1e6:F2} M entries/s");
        }
    }

    // Array keys are 4 bytes, hash keys 8 here: a long written into a 4-byte key fails (TryWriteBytes
    // returns false) and would leave every operation on index 0.
    private static void WriteKey(byte[] key, int i)
    {
        if (key.Length == 4) BitConverter.TryWriteBytes(key, i);
        else BitConverter.TryWriteBytes(key, (long)i);
    }
}
