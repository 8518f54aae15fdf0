using System.Buffers.Binary;
using Sharptrace.Bpf.Btf;

namespace Sharptrace.Tests.Btf;

public class BtfMalformedTests
{
    private static BtfFormatException Rejects(byte[] blob, BtfSpec? baseSpec = null) =>
        Assert.Throws<BtfFormatException>(() => BtfSpec.Parse(blob, baseSpec));

    private static byte[] Valid() => BtfSamples.AllKinds().Build();

    private static byte[] With(byte[] blob, int at, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(at), value);
        return blob;
    }

    [Fact]
    public void HeaderProblemsCarryTheirOffset()
    {
        Assert.Equal(0, Rejects(new byte[10]).Offset);
        Assert.Contains("magic", Rejects(new byte[24]).Message);
        var badVersion = Valid();
        badVersion[2] = 2;
        Assert.Equal(2, Rejects(badVersion).Offset);
        Assert.Equal(4, Rejects(With(Valid(), 4, 16)).Offset);
        Assert.Equal(4, Rejects(With(Valid(), 4, 1_000_000)).Offset);
        Assert.Equal(8, Rejects(With(Valid(), 12, 0xffff_fff0)).Offset);
        Assert.Equal(16, Rejects(With(Valid(), 20, 0x7fff_ffff)).Offset);
        Assert.Equal(8, Rejects(With(Valid(), 8, 2)).Offset);
    }

    [Fact]
    public void StringSectionMustBeTerminatedAndStartEmpty()
    {
        var blob = Valid();
        blob[^1] = (byte)'x';
        Assert.Contains("NUL", Rejects(blob).Message);
        var noEmpty = Valid();
        var stringStart = 24 + (int)BinaryPrimitives.ReadUInt32LittleEndian(noEmpty.AsSpan(16));
        noEmpty[stringStart] = (byte)'x';
        Assert.Equal(stringStart, Rejects(noEmpty).Offset);
    }

    [Fact]
    public void RecordProblemsPointAtTheRecord()
    {
        // Type 1 (int) is the first record, at 24.
        Assert.Equal(28, Rejects(With(Valid(), 28, 25u << 24)).Offset);              // unknown kind
        Assert.Equal(24, Rejects(With(Valid(), 24, 0x00ff_ffff)).Offset);           // name past strings
        Assert.Equal(24, Rejects(With(Valid(), 32, 64)).Offset);                    // int bits > size
        var b = new BtfBlobBuilder();
        b.Ptr(7);
        Assert.Equal(32, Rejects(b.Build()).Offset);                                 // type id out of range
        var vlen = new BtfBlobBuilder();
        vlen.Struct("s", 4, ("a", 0, 0, 0));
        Assert.Contains("runs past", Rejects(With(vlen.Build(), 28, ((uint)BtfKind.Struct << 24) | 0xffff)).Message);
        var truncated = new BtfBlobBuilder();
        truncated.RawWord(0);
        truncated.RawWord((uint)BtfKind.Pointer << 24);
        Assert.Equal(24, Rejects(truncated.Build()).Offset);
    }

    [Fact]
    public void CyclesAreReportedNotFollowedForever()
    {
        var b = new BtfBlobBuilder();
        b.Typedef("a", 2);
        b.Const(1);
        b.Ptr(3);        // 3: points at itself
        b.Array(5, 0, 2); // 4 -> 5 -> 4
        b.Array(4, 0, 2);
        b.Struct("s", 8, ("", 7, 0, 0)); // 6 -> anonymous union 7 -> anonymous struct 6
        b.Union(null, 8, ("", 6, 0, 0));
        var spec = BtfSpec.Parse(b.Build());
        Assert.Throws<BtfFormatException>(() => spec.Resolve(1));
        Assert.Throws<BtfFormatException>(() => spec.SizeOf(1));
        Assert.Equal("a", spec.FormatType(1)); // a typedef prints its name and stops
        Assert.Throws<BtfFormatException>(() => spec.FormatType(3));
        Assert.Equal(8, spec.SizeOf(3));
        Assert.Throws<BtfFormatException>(() => spec.SizeOf(4));
        Assert.Throws<BtfFormatException>(() => spec.FormatType(4));
        Assert.Throws<BtfFormatException>(() => spec.TryFindMember(6, "x", out _));
    }

    [Fact]
    public void HugeArraysAndBadFuncsAreFormatErrors()
    {
        var b = new BtfBlobBuilder();
        var big = b.Struct("big", 0xffff_ffff);
        var a1 = b.Array(big, 0, 0xffff_ffff);
        b.Array(a1, 0, 0xffff_ffff);
        b.Func("f", big);
        var spec = BtfSpec.Parse(b.Build());
        Assert.Throws<BtfFormatException>(() => spec.SizeOf(3));
        Assert.Throws<BtfFormatException>(() => spec.TypeById(4).FuncProto);
    }

    [Fact]
    public void SplitBtfRejectsReferencesPastItsOwnTypes()
    {
        var baseSpec = BtfSpec.Parse(Valid());
        var split = new BtfBlobBuilder(firstId: baseSpec.TypeCount, stringBase: baseSpec.Header.StringLength);
        split.Ptr(baseSpec.TypeCount + 5);
        Rejects(split.Build(), baseSpec);
    }
}
