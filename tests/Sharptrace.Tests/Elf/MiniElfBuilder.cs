using System.Buffers.Binary;
using System.Text;

namespace Sharptrace.Tests.Elf;

/// <summary>
/// Writes a tiny ELF file in any class and byte order: one PT_LOAD segment at 0x10000, .text with
/// a FUNC symbol "func" at .text+4, a build-id note, and the string tables. Used to test the 32-bit
/// and big-endian paths that no binary on this machine exercises.
/// </summary>
internal static class MiniElfBuilder
{
    public const ulong LoadAddress = 0x10000;
    public const int FunctionOffsetInText = 4;

    public sealed record Layout(byte[] Bytes, int TextOffset, int SectionHeaderOffset, int SymbolTableOffset);

    public static Layout Build(bool is64, bool bigEndian)
    {
        var bytes = new List<byte>();
        var ehsize = is64 ? 64 : 52;
        var phentsize = is64 ? 56 : 32;
        var shentsize = is64 ? 64 : 40;
        var symsize = is64 ? 24 : 16;

        void Pad(int alignment) { while (bytes.Count % alignment != 0) bytes.Add(0); }
        int Append(byte[] data, int alignment) { Pad(alignment); var at = bytes.Count; bytes.AddRange(data); return at; }

        bytes.AddRange(new byte[ehsize + phentsize]);
        var textOffset = Append(Enumerable.Range(0x90, 16).Select(i => (byte)i).ToArray(), 16);
        var note = new byte[20];
        var noteWriter = new FieldWriter(note, bigEndian, is64);
        noteWriter.U32(0, 4);
        noteWriter.U32(4, 4);
        noteWriter.U32(8, 3);
        "GNU\0"u8.CopyTo(note.AsSpan(12));
        new byte[] { 0xde, 0xad, 0xbe, 0xef }.CopyTo(note, 16);
        var noteOffset = Append(note, 4);
        var strtab = Encoding.ASCII.GetBytes("\0func\0");
        var strtabOffset = Append(strtab, 1);
        var shstrtab = Encoding.ASCII.GetBytes("\0.text\0.symtab\0.strtab\0.shstrtab\0.note.gnu.build-id\0");
        var shstrtabOffset = Append(shstrtab, 1);
        var symtab = new byte[2 * symsize];
        var sym = new FieldWriter(symtab.AsSpan(symsize).ToArray(), bigEndian, is64);
        sym.U32(0, 1);                                  // st_name "func"
        var value = LoadAddress + (ulong)textOffset + FunctionOffsetInText;
        if (is64)
        {
            sym.Bytes[4] = 0x12;                        // GLOBAL FUNC
            sym.U16(6, 1);                              // .text
            sym.U64(8, value);
            sym.U64(16, 8);
        }
        else
        {
            sym.U32(4, (uint)value);
            sym.U32(8, 8);
            sym.Bytes[12] = 0x12;
            sym.U16(14, 1);
        }
        sym.Bytes.CopyTo(symtab, symsize);
        var symtabOffset = Append(symtab, 8);
        Pad(8);
        var shoff = bytes.Count;
        bytes.AddRange(new byte[6 * shentsize]);
        var file = bytes.ToArray();
        var w = new FieldWriter(file, bigEndian, is64);

        // e_ident and header
        "\u007fELF"u8.CopyTo(file);
        file[4] = (byte)(is64 ? 2 : 1);
        file[5] = (byte)(bigEndian ? 2 : 1);
        file[6] = 1;
        w.U16(16, 2);                                   // ET_EXEC
        w.U16(18, 8);                                   // EM_MIPS, a big-endian-capable machine
        w.U32(20, 1);
        var a = is64 ? 0 : -12;
        w.Word(24, LoadAddress + (ulong)textOffset);
        w.Word(is64 ? 32 : 28, (ulong)ehsize);
        w.Word(is64 ? 40 : 32, (ulong)shoff);
        w.U16(52 + a, (ushort)ehsize);
        w.U16(54 + a, (ushort)phentsize);
        w.U16(56 + a, 1);
        w.U16(58 + a, (ushort)shentsize);
        w.U16(60 + a, 6);
        w.U16(62 + a, 4);

        // PT_LOAD covering the whole file
        var ph = ehsize;
        w.U32(ph, 1);
        if (is64)
        {
            w.U32(ph + 4, 5);
            w.U64(ph + 8, 0);
            w.U64(ph + 16, LoadAddress);
            w.U64(ph + 24, LoadAddress);
            w.U64(ph + 32, (ulong)file.Length);
            w.U64(ph + 40, (ulong)file.Length);
            w.U64(ph + 48, 0x1000);
        }
        else
        {
            w.U32(ph + 4, 0);
            w.U32(ph + 8, (uint)LoadAddress);
            w.U32(ph + 12, (uint)LoadAddress);
            w.U32(ph + 16, (uint)file.Length);
            w.U32(ph + 20, (uint)file.Length);
            w.U32(ph + 24, 5);
            w.U32(ph + 28, 0x1000);
        }

        void Section(int index, uint name, uint type, ulong flags, ulong address, int offset, int size, uint link, ulong align, ulong entsize)
        {
            var at = shoff + index * shentsize;
            w.U32(at, name);
            w.U32(at + 4, type);
            w.Word(at + 8, flags);
            w.Word(at + (is64 ? 16 : 12), address);
            w.Word(at + (is64 ? 24 : 16), (ulong)offset);
            w.Word(at + (is64 ? 32 : 20), (ulong)size);
            w.U32(at + (is64 ? 40 : 24), link);
            w.U32(at + (is64 ? 44 : 28), index == 2 ? 1u : 0u);
            w.Word(at + (is64 ? 48 : 32), align);
            w.Word(at + (is64 ? 56 : 36), entsize);
        }
        Section(1, 1, 1, 6, LoadAddress + (ulong)textOffset, textOffset, 16, 0, 16, 0);
        Section(2, 7, 2, 0, 0, symtabOffset, symtab.Length, 3, 8, (ulong)symsize);
        Section(3, 15, 3, 0, 0, strtabOffset, strtab.Length, 0, 1, 0);
        Section(4, 23, 3, 0, 0, shstrtabOffset, shstrtab.Length, 0, 1, 0);
        Section(5, 33, 7, 2, LoadAddress + (ulong)noteOffset, noteOffset, note.Length, 0, 4, 0);
        return new Layout(file, textOffset, shoff, symtabOffset);
    }

    private sealed class FieldWriter(byte[] bytes, bool bigEndian, bool is64)
    {
        public byte[] Bytes => bytes;

        public void U16(int at, ushort v)
        {
            if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), v);
            else BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), v);
        }

        public void U32(int at, uint v)
        {
            if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), v);
            else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), v);
        }

        public void U64(int at, ulong v)
        {
            if (bigEndian) BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(at), v);
            else BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at), v);
        }

        public void Word(int at, ulong v)
        {
            if (is64) U64(at, v);
            else U32(at, (uint)v);
        }
    }
}
