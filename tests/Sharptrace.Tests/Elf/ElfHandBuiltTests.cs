using System.Buffers.Binary;
using Sharptrace.Bpf.Elf;

namespace Sharptrace.Tests.Elf;

public class ElfHandBuiltTests
{
    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void EveryClassAndByteOrderReadsTheSame(bool is64, bool bigEndian)
    {
        var layout = MiniElfBuilder.Build(is64, bigEndian);
        var elf = ElfFile.Parse(layout.Bytes);
        Assert.Equal((is64, bigEndian, ElfFileType.Executable, (ushort)8), (elf.Header.Is64Bit, elf.Header.IsBigEndian, elf.Header.Type, elf.Header.Machine));
        Assert.Equal(["", ".text", ".symtab", ".strtab", ".shstrtab", ".note.gnu.build-id"], elf.Sections.Select(s => s.Name));
        var load = Assert.Single(elf.Segments);
        Assert.Equal((ElfSegmentType.Load, MiniElfBuilder.LoadAddress, 5u), (load.Type, load.VirtualAddress, load.Flags));
        var func = elf.Symbols.Single(s => s.Name == "func");
        Assert.Equal((ElfSymbolType.Func, ElfSymbolBinding.Global, (ushort)1, 8ul), (func.Type, func.Binding, func.SectionIndex, func.Size));
        Assert.Equal((ulong)(layout.TextOffset + MiniElfBuilder.FunctionOffsetInText), elf.GetUprobeOffset("func"));
        Assert.Equal("deadbeef", elf.BuildId);
        Assert.Null(elf.DebugLink);
        Assert.Null(elf.Interpreter);
        Assert.Empty(elf.DynamicSymbols);
    }

    private static ElfFormatException Rejects(byte[] bytes) => Assert.Throws<ElfFormatException>(() => ElfFile.Parse(bytes));

    [Fact]
    public void MalformedHeadersAndTablesCarryOffsets()
    {
        Assert.Equal(0, Rejects([]).Offset);
        Assert.Equal(0, Rejects("\x7f"u8.ToArray()).Offset);
        var good = MiniElfBuilder.Build(is64: true, bigEndian: false);

        var badClass = (byte[])good.Bytes.Clone();
        badClass[4] = 3;
        Assert.Equal(4, Rejects(badClass).Offset);
        var badData = (byte[])good.Bytes.Clone();
        badData[5] = 0;
        Assert.Equal(5, Rejects(badData).Offset);
        Assert.Equal(0, Rejects(good.Bytes[..40]).Offset);

        var shoffOutside = (byte[])good.Bytes.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(shoffOutside.AsSpan(40), 0xffff_ffff_0000);
        Assert.Equal(40, Rejects(shoffOutside).Offset);

        var smallEntries = (byte[])good.Bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(smallEntries.AsSpan(58), 12);
        Assert.Equal(58, Rejects(smallEntries).Offset);

        var manySections = (byte[])good.Bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(manySections.AsSpan(60), 60000);
        Assert.Contains("runs past", Rejects(manySections).Message);

        // .text (section 1) said to be larger than the file
        var bigSection = (byte[])good.Bytes.Clone();
        var textHeader = good.SectionHeaderOffset + 64;
        BinaryPrimitives.WriteUInt64LittleEndian(bigSection.AsSpan(textHeader + 32), 1 << 30);
        Assert.Equal(textHeader, Rejects(bigSection).Offset);
    }

    [Fact]
    public void MalformedSymbolTablesFailWhenRead()
    {
        var good = MiniElfBuilder.Build(is64: true, bigEndian: false);
        var badLink = (byte[])good.Bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(badLink.AsSpan(good.SectionHeaderOffset + 2 * 64 + 40), 99);
        var elf = ElfFile.Parse(badLink, "forged");
        var error = Assert.Throws<ElfFormatException>(() => elf.Symbols);
        Assert.Equal("forged", error.Path);

        var badName = (byte[])good.Bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(badName.AsSpan(good.SymbolTableOffset + 24), 5000);
        Assert.Throws<ElfFormatException>(() => ElfFile.Parse(badName).Symbols);
    }

    [Fact]
    public void MissingSymbolInMemoryImage()
    {
        var elf = ElfFile.Parse(MiniElfBuilder.Build(true, false).Bytes);
        var error = Assert.Throws<SymbolNotFoundException>(() => elf.GetUprobeOffset("nope"));
        Assert.Equal(("(memory)", "nope"), (error.Binary, error.Symbol));
    }
}
