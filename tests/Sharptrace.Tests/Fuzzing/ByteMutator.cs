using System.Buffers.Binary;
using System.Diagnostics;

namespace Sharptrace.Tests.Fuzzing;

/// <summary>
/// Seeded mutations of real inputs for parser fuzzing: bit flips, truncations, and random or
/// boundary values written over 16/32/64-bit fields (where length and offset fields live).
/// Deterministic per seed, so a failure names the iteration that reproduces it.
/// </summary>
internal sealed class ByteMutator(int seed)
{
    private static readonly ulong[] Interesting =
        [0, 1, 2, 3, 4, 7, 8, 12, 16, 24, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fff_ffff, 0x8000_0000, 0xffff_fff0, 0xffff_ffff,
         0x1_0000_0000, 0x7fff_ffff_ffff_ffff, 0xffff_ffff_ffff_ffff];

    private readonly Random random = new(seed);

    public byte[] Mutate(byte[] input, int focusLength = 0)
    {
        var data = (byte[])input.Clone();
        var rounds = 1 + random.Next(4);
        for (var i = 0; i < rounds && data.Length > 0; i++)
        {
            // Half of the edits land in the first focusLength bytes (headers), where parsers branch most.
            var limit = focusLength > 0 && random.Next(2) == 0 ? Math.Min(focusLength, data.Length) : data.Length;
            switch (random.Next(6))
            {
                case 0:
                    data[random.Next(limit)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data = data[..random.Next(data.Length)];
                    break;
                case 2 when limit >= 2:
                    BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(random.Next(limit - 1)), (ushort)Value());
                    break;
                case 3 when limit >= 4:
                    BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(random.Next(limit - 3) & ~3), (uint)Value());
                    break;
                case 4 when limit >= 8:
                    BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(random.Next(limit - 7) & ~7), Value());
                    break;
                default:
                    data[random.Next(limit)] = (byte)random.Next(256);
                    break;
            }
        }
        return data;
    }

    private ulong Value() => random.Next(3) == 0 ? (ulong)random.NextInt64() : Interesting[random.Next(Interesting.Length)];

    /// <summary>
    /// Runs <paramref name="iterations"/> mutations through <paramref name="exercise"/>; any exception
    /// not accepted by <paramref name="expected"/>, or an iteration slower than the bound, fails with the seed and iteration.
    /// </summary>
    public static (int Accepted, int Rejected) Run(int seed, int iterations, byte[][] inputs, int focusLength, Action<byte[]> exercise,
        Func<Exception, bool> expected, TimeSpan perIterationBound)
    {
        var mutator = new ByteMutator(seed);
        var (accepted, rejected) = (0, 0);
        var clock = new Stopwatch();
        for (var i = 0; i < iterations; i++)
        {
            var input = mutator.Mutate(inputs[i % inputs.Length], focusLength);
            clock.Restart();
            try
            {
                exercise(input);
                accepted++;
            }
            catch (Exception e) when (expected(e))
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed} iteration {i}: unexpected {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
            if (clock.Elapsed > perIterationBound)
                Assert.Fail($"seed {seed} iteration {i} took {clock.Elapsed.TotalMilliseconds:F0} ms (bound {perIterationBound.TotalMilliseconds} ms)");
        }
        return (accepted, rejected);
    }
}
