using Sharptrace.Bpf.Elf;
using Sharptrace.Tests.Fuzzing;

namespace Sharptrace.Tests.Elf;

public class ElfFuzzTests(CompiledProgramFixture program) : IClassFixture<CompiledProgramFixture>
{
    private static readonly TimeSpan PerIteration = TimeSpan.FromSeconds(2);

    private static void Exercise(byte[] image)
    {
        var elf = ElfFile.Parse(image, "fuzzed");
        _ = elf.Symbols.Count;
        _ = elf.DynamicSymbols.Count;
        _ = elf.Notes.Count;
        _ = elf.BuildId;
        _ = elf.DebugLink;
        _ = elf.Interpreter;
        foreach (var section in elf.Sections)
            _ = elf.GetSectionData(section).Length;
        elf.TryGetFileOffset(elf.Header.Entry, out _);
        foreach (var name in new[] { "main", "func", "probe_me", "malloc" })
        {
            try
            {
                elf.GetUprobeOffset(name);
            }
            catch (SymbolNotFoundException)
            {
                // a mutated symbol table may well lose the symbol: that is the documented answer
            }
        }
    }

    private static bool IsFormatError(Exception e) => e is ElfFormatException;

    [Fact]
    public void MutatedBinariesOnlyRaiseFormatErrors()
    {
        var inputs = new List<byte[]> { File.ReadAllBytes("/bin/true") };
        if (program.Skipped is null)
            inputs.Add(File.ReadAllBytes(program.Object));
        var (accepted, rejected) = ByteMutator.Run(seed: 1234, iterations: 8_000, [.. inputs], focusLength: 64,
            Exercise, IsFormatError, PerIteration);
        Assert.True(accepted > 100 && rejected > 100, $"accepted {accepted}, rejected {rejected}");
    }

    [Fact]
    public void MutatedHandBuiltImagesOnlyRaiseFormatErrors()
    {
        byte[][] inputs =
        [
            MiniElfBuilder.Build(true, false).Bytes, MiniElfBuilder.Build(true, true).Bytes,
            MiniElfBuilder.Build(false, false).Bytes, MiniElfBuilder.Build(false, true).Bytes,
        ];
        ByteMutator.Run(seed: 4321, iterations: 20_000, inputs, focusLength: 64, Exercise, IsFormatError, PerIteration);
    }
}
