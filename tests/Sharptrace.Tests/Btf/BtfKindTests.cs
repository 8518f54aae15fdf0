using Sharptrace.Bpf.Btf;

namespace Sharptrace.Tests.Btf;

public class BtfKindTests
{
    private static readonly BtfSpec Spec = BtfSpec.Parse(BtfSamples.AllKinds().Build());

    [Fact]
    public void EveryKindIsRead()
    {
        var kinds = Spec.Types.Select(t => t.Kind).ToHashSet();
        foreach (var kind in Enum.GetValues<BtfKind>().Where(k => k != BtfKind.Void))
            Assert.Contains(kind, kinds);
        Assert.Equal(35, Spec.TypeCount);
        Assert.Equal(BtfKind.Void, Spec.TypeById(0).Kind);
    }

    [Fact]
    public void IntEncodingBitsAndOffset()
    {
        var c = Spec.TypeById(2);
        Assert.Equal("char", c.Name);
        Assert.Equal(1u, c.Size);
        Assert.Equal(BtfIntEncoding.Signed | BtfIntEncoding.Char, c.IntEncoding);
        Assert.Equal(8, c.IntBits);
        Assert.Equal(0, c.IntBitOffset);
        Assert.Equal(BtfIntEncoding.None, Spec.TypeById(3).IntEncoding);
    }

    [Fact]
    public void ArrayAndPointer()
    {
        var array = Spec.TypeById(4);
        Assert.Equal((2, 3, 16u), (array.ArrayElementTypeId, array.ArrayIndexTypeId, array.ArrayLength));
        Assert.Equal("char[16]", array.ToString());
        Assert.Equal(16, Spec.SizeOf(4));
        Assert.Equal(8, Spec.SizeOf(6));
        Assert.Equal("struct list_head *", Spec.FormatType(6));
    }

    [Fact]
    public void StructMembersAndBitfields()
    {
        var listHead = Spec.FindType("list_head", BtfKind.Struct);
        Assert.Equal(16u, listHead.Size);
        Assert.Equal(["next", "prev"], listHead.Members.Select(m => m.Name));
        Assert.Equal([0u, 64u], listHead.Members.Select(m => m.BitOffset));

        var flags = Spec.FindType("flags", BtfKind.Struct);
        Assert.True(flags.KindFlag);
        Assert.Equal((3u, 5), (flags.Members[1].BitOffset, flags.Members[1].BitfieldSize));
        var b = Spec.FindMember(flags.Id, "b");
        Assert.True(b.IsBitfield);
    }

    [Fact]
    public void MemberLookupDescendsIntoAnonymousMembersAndPaths()
    {
        var task = Spec.FindType("task", BtfKind.Struct);
        Assert.Equal(32, Spec.FindMember(task.Id, "comm").BitOffset);
        Assert.Equal(192, Spec.FindMember(task.Id, "whole").BitOffset);
        Assert.Equal(192 + 32, Spec.FindMember(task.Id, "y").BitOffset);
        Assert.Equal(256 + 3, Spec.FindMember(task.Id, "fl.b").BitOffset);
        Assert.Equal(320 + 64, Spec.FindMember(task.Id, "tasks.prev").BitOffset);
        Assert.Equal(48, Spec.FindMember(task.Id, "tasks.prev").ByteOffset);
        Assert.False(Spec.TryFindMember(task.Id, "nope", out _));
        Assert.False(Spec.TryFindMember(task.Id, "pid.x", out _)); // pid is not a struct
        Assert.False(Spec.TryFindMember(task.Id, "", out _));
        Assert.Throws<KeyNotFoundException>(() => Spec.FindMember(task.Id, "nope"));
        Assert.Equal(1, Spec.FindMember(task.Id, "pid").Type.Id);
    }

    [Fact]
    public void EnumsSignedUnsignedAnd64()
    {
        var color = Spec.FindType("color", BtfKind.Enum);
        Assert.False(color.KindFlag);
        Assert.True(color.TryGetEnumValue("BIG", out var big));
        Assert.Equal(0xffff_fff0L, big); // unsigned: zero-extended
        var wide = Spec.FindType("wide", BtfKind.Enum64);
        Assert.Equal(-5, wide.EnumValues[0].Value);
        Assert.Equal(1L << 40, wide.EnumValues[1].Value);
        Assert.True(Spec.TryFindEnumValue("HUGE", out var huge, out var owner));
        Assert.Equal((1L << 40, "wide"), (huge, owner.Name));
        Assert.False(Spec.TryFindEnumValue("MISSING", out _, out _));
        Assert.Equal("enum wide", wide.ToString());
    }

    [Fact]
    public void ForwardsTypedefsQualifiers()
    {
        Assert.False(Spec.FindType("opaque", BtfKind.Forward).IsForwardUnion);
        Assert.True(Spec.FindType("uopaque", BtfKind.Forward).IsForwardUnion);
        Assert.Equal("union uopaque", Spec.FormatType(15));
        Assert.Equal(1, Spec.Resolve(16).Id);
        Assert.Equal(16, Spec.SkipQualifiers(16).Id);
        Assert.Equal("volatile int", Spec.FormatType(17));
        Assert.Equal("const char *", Spec.FormatType(19));
        Assert.Equal("const char *restrict", Spec.FormatType(20));
        Assert.Equal(4, Spec.SizeOf(16));
        Assert.Throws<InvalidOperationException>(() => Spec.SizeOf(14));
        Assert.Throws<InvalidOperationException>(() => Spec.SizeOf(0));
    }

    [Fact]
    public void FunctionsAndPrototypes()
    {
        var func = Spec.FindFunction("do_thing");
        Assert.Equal(BtfLinkage.Global, func.Linkage);
        var proto = func.FuncProto;
        Assert.Equal(1, proto.ReferencedTypeId);
        Assert.Equal(["pid", "name"], proto.Params.Select(p => p.Name));
        Assert.Equal("pid_t", proto.Params[0].Type.Name);
        Assert.Equal("int do_thing(pid_t pid, const char *name)", func.ToString());
        Assert.Equal("int (pid_t pid, const char *name)", proto.ToString());
        Assert.True(Spec.TypeById(29).Params[1].IsVariadic);
        Assert.Equal("void (*)(const char *fmt, ...)", Spec.FormatType(30));
        Assert.Throws<InvalidOperationException>(() => Spec.SizeOf(22));
    }

    [Fact]
    public void VarDataSecFloatTags()
    {
        var variable = Spec.TypeById(23);
        Assert.Equal((BtfLinkage.Global, 1), (variable.Linkage, variable.ReferencedTypeId));
        Assert.Equal("int counter", variable.ToString());
        Assert.Equal(4, Spec.SizeOf(23));
        var section = Spec.FindType(".data", BtfKind.DataSec);
        Assert.Equal((23, 0u, 4u), (section.Variables[0].TypeId, section.Variables[0].Offset, section.Variables[0].Size));
        Assert.Equal(8, Spec.SizeOf(25));
        var declTag = Spec.TypeById(26);
        Assert.Equal((-1, 22, "kfunc"), (declTag.DeclTagComponentIndex, declTag.ReferencedTypeId, declTag.Name));
        Assert.Equal("user", Spec.TypeById(27).Name);
        Assert.Equal("char *", Spec.FormatType(28)); // type tags are not C
        Assert.Equal(2, Spec.Resolve(27).Id);
    }

    [Theory]
    [InlineData(31, "char (*)[16]")]
    [InlineData(32, "const char *[4]")]
    [InlineData(34, "const char *const *")]
    [InlineData(9, "union {...}")]
    public void PrinterSpellsDeclaratorsLikeC(int id, string expected) => Assert.Equal(expected, Spec.FormatType(id));

    [Fact]
    public void WrongKindAccessorsThrowInvalidOperation()
    {
        Assert.Throws<InvalidOperationException>(() => Spec.TypeById(1).Members);
        Assert.Throws<InvalidOperationException>(() => Spec.TypeById(5).ArrayLength);
        Assert.Throws<InvalidOperationException>(() => Spec.TypeById(6).Size);
        Assert.Throws<ArgumentOutOfRangeException>(() => Spec.TypeById(Spec.TypeCount));
    }

    [Fact]
    public void FindTypesListsEveryKindWithTheName()
    {
        var b = new BtfBlobBuilder();
        b.Forward("dup", union: false);
        b.Struct("dup", 0);
        var spec = BtfSpec.Parse(b.Build());
        Assert.Equal([BtfKind.Forward, BtfKind.Struct], spec.FindTypes("dup").Select(t => t.Kind));
        Assert.Equal(2, spec.FindType("dup", BtfKind.Struct).Id);
        Assert.True(spec.TryFindType("dup", out var first));
        Assert.Equal(1, first.Id);
        Assert.Empty(spec.FindTypes("none"));
    }

    [Fact]
    public void BigEndianBlobParsesTheSame()
    {
        var little = BtfSpec.Parse(BtfSamples.AllKinds().Build());
        var big = BtfSpec.Parse(BtfSamples.AllKinds().Build(bigEndian: true));
        Assert.True(big.Header.IsBigEndian);
        Assert.False(little.Header.IsBigEndian);
        Assert.Equal(little.Types.Select(t => t.ToString()), big.Types.Select(t => t.ToString()));
        Assert.Equal(little.FindMember(11, "tasks.prev"), big.FindMember(11, "tasks.prev") with { Type = little.TypeById(6) });
    }

    [Fact]
    public void SplitBtfContinuesIdsAndStringsOfTheBase()
    {
        var baseBlob = BtfSamples.AllKinds();
        var baseSpec = BtfSpec.Parse(baseBlob.Build());
        var stringLength = baseSpec.Header.StringLength;
        var split = new BtfBlobBuilder(firstId: baseSpec.TypeCount, stringBase: stringLength);
        var ownId = split.Struct("module_thing", 24, ("head", 5, 0, 0), ("owner", 16, 128, 0));
        split.Ptr(ownId);
        var spec = BtfSpec.Parse(split.Build(), baseSpec);

        Assert.Equal(35, spec.FirstTypeId);
        Assert.Equal(37, spec.TypeCount);
        Assert.Equal(2, spec.OwnTypeCount);
        var thing = spec.FindType("module_thing", BtfKind.Struct);
        Assert.Equal(35, thing.Id);
        Assert.Equal("struct module_thing *", spec.FormatType(36));
        Assert.Equal("list_head", thing.Members[0].Type.Name);  // a base type
        Assert.Equal(64 + 0, spec.FindMember(35, "head.prev").BitOffset);
        Assert.Equal(BtfKind.Struct, spec.FindType("list_head", BtfKind.Struct).Kind); // base lookup through split
        Assert.Same(baseSpec, spec.TypeById(5).Spec);
    }

    [Fact]
    public void SplitBtfCanUseBaseStringsForNames()
    {
        var baseSpec = BtfSpec.Parse(BtfSamples.AllKinds().Build());
        var split = new BtfBlobBuilder(firstId: baseSpec.TypeCount, stringBase: baseSpec.Header.StringLength);
        split.Typedef("x", 1);
        var blob = split.Build();
        // Point the typedef's name at the base's "int" string.
        var intOffset = baseSpec.TypeById(1).NameOffset;
        BitConverter.TryWriteBytes(blob.AsSpan(24), intOffset);
        var spec = BtfSpec.Parse(blob, baseSpec);
        Assert.Equal("int", spec.TypeById(35).Name);
    }
}
