using Sharptrace.Bpf.Btf;
using Sharptrace.Bpf.Elf;
using Sharptrace.Tests.Elf;
using Sharptrace.Tests.Fuzzing;

namespace Sharptrace.Tests.Btf;

public class BtfFuzzTests(CompiledProgramFixture program) : IClassFixture<CompiledProgramFixture>
{
    private static readonly TimeSpan PerIteration = TimeSpan.FromSeconds(2);

    /// <summary>Parses and then walks everything a consumer could ask, so lazily read records get fuzzed too.</summary>
    internal static void Exercise(byte[] blob, BtfSpec? baseSpec = null)
    {
        var spec = BtfSpec.Parse(blob, baseSpec);
        for (var id = spec.FirstTypeId; id < spec.TypeCount; id++)
        {
            var type = spec.TypeById(id);
            _ = type.Name;
            _ = type.ToString();
            _ = spec.Resolve(id);
            try
            {
                _ = spec.SizeOf(id);
            }
            catch (InvalidOperationException)
            {
                // void, forwards and functions have no size: a valid answer about a mutated type
            }
            switch (type.Kind)
            {
                case BtfKind.Struct or BtfKind.Union:
                    foreach (var member in type.Members)
                    {
                        _ = member.Name;
                        if (member.HasName)
                            spec.TryFindMember(id, member.Name, out _);
                    }
                    spec.TryFindMember(id, "no.such.member", out _);
                    break;
                case BtfKind.Enum or BtfKind.Enum64:
                    foreach (var value in type.EnumValues)
                        _ = value.Name;
                    break;
                case BtfKind.Func:
                    foreach (var parameter in type.FuncProto.Params)
                        _ = parameter.Name;
                    break;
                case BtfKind.DataSec:
                    foreach (var variable in type.Variables)
                        _ = variable.Type.Kind;
                    break;
            }
        }
        spec.TryFindType("list_head", BtfKind.Struct, out _);
        spec.TryFindEnumValue("RED", out _, out _);
    }

    private static bool IsFormatError(Exception e) => e is BtfFormatException;

    [Fact]
    public void MutatedHandBuiltBlobsOnlyRaiseFormatErrors()
    {
        var inputs = new[] { BtfSamples.AllKinds().Build(), BtfSamples.AllKinds().Build(bigEndian: true) };
        var (accepted, rejected) = ByteMutator.Run(seed: 20240601, iterations: 30_000, inputs, focusLength: 24,
            b => Exercise(b), IsFormatError, PerIteration);
        Assert.True(accepted > 1000 && rejected > 1000, $"accepted {accepted}, rejected {rejected}: the mutations should exercise both paths");
    }

    [Fact]
    public void MutatedSplitBlobsOnlyRaiseFormatErrors()
    {
        var baseSpec = BtfSpec.Parse(BtfSamples.AllKinds().Build());
        var split = new BtfBlobBuilder(baseSpec.TypeCount, baseSpec.Header.StringLength);
        var own = split.Struct("module_thing", 24, ("head", 5, 0, 0), ("owner", 16, 128, 0));
        split.Ptr(own);
        split.FuncProto(own, ("thing", own + 1));
        ByteMutator.Run(seed: 7, iterations: 5_000, [split.Build()], focusLength: 24, b => Exercise(b, baseSpec), IsFormatError, PerIteration);
    }

    [Fact]
    public void MutatedGccBtfOnlyRaisesFormatErrors()
    {
        Assert.SkipWhen(program.Skipped is not null, program.Skipped ?? "");
        var elf = ElfFile.Load(program.Object);
        var section = elf.FindSection(".BTF");
        Assert.SkipWhen(section is null, "this gcc does not emit BTF (-gbtf)");
        var blob = elf.GetSectionData(section!.Value).ToArray();
        ByteMutator.Run(seed: 99, iterations: 10_000, [blob], focusLength: 24, b => Exercise(b), IsFormatError, PerIteration);
    }

    [Fact]
    public void MutatedKernelBtfHeadersOnlyRaiseFormatErrors()
    {
        Assert.SkipUnless(File.Exists(BtfSpec.KernelBtfPath), "no kernel BTF");
        // Parsing 5 MB costs milliseconds, so only a few hundred mutations of the real thing, and only
        // the cheap checks (parse, no full walk).
        var blob = File.ReadAllBytes(BtfSpec.KernelBtfPath);
        ByteMutator.Run(seed: 5, iterations: 300, [blob], focusLength: 4096, b => BtfSpec.Parse(b), IsFormatError, PerIteration);
    }
}
