using Sharptrace.Bpf.Btf;
using Sharptrace.Bpf.Elf;
using Sharptrace.Tests.Elf;

namespace Sharptrace.Tests.Btf;

/// <summary>BTF written by another encoder (gcc -gbtf) for a struct whose layout C fixes.</summary>
public class GccBtfTests(CompiledProgramFixture program) : IClassFixture<CompiledProgramFixture>
{
    private BtfSpec Spec()
    {
        Assert.SkipWhen(program.Skipped is not null, program.Skipped ?? "");
        var elf = ElfFile.Load(program.Object);
        var section = elf.FindSection(".BTF");
        Assert.SkipWhen(section is null, "this gcc does not emit BTF (-gbtf)");
        return BtfSpec.Parse(elf.GetSectionData(section!.Value));
    }

    [Fact]
    public void StructLayoutMatchesTheCAbi()
    {
        var spec = Spec();
        var sample = spec.FindType("sample", BtfKind.Struct);
        Assert.Equal(24, spec.SizeOf(sample.Id));
        Assert.Equal((0L, 0), (spec.FindMember(sample.Id, "a").BitOffset, spec.FindMember(sample.Id, "a").BitfieldSize));
        Assert.Equal("char[4]", spec.FindMember(sample.Id, "b").Type.ToString());
        Assert.Equal(32, spec.FindMember(sample.Id, "b").BitOffset);
        var c = spec.FindMember(sample.Id, "c");
        var d = spec.FindMember(sample.Id, "d");
        Assert.Equal(64, c.BitOffset);
        Assert.Equal(67, d.BitOffset);
        if (sample.KindFlag)
            Assert.Equal((3, 5), (c.BitfieldSize, d.BitfieldSize));
        Assert.Equal(128, spec.FindMember(sample.Id, "e").BitOffset);
    }

    [Fact]
    public void FunctionsEnumsAndVariables()
    {
        var spec = Spec();
        Assert.Equal("int probe_me(int x, const char *name)", spec.FindFunction("probe_me").ToString());
        Assert.True(spec.TryFindEnumValue("SAMPLE_BLUE", out var blue, out var color));
        Assert.Equal((7L, "sample_color"), (blue, color.Name));
        Assert.True(spec.TryFindType("global_sample", BtfKind.Var, out var variable));
        Assert.Equal("struct sample global_sample", variable.ToString());
    }
}
