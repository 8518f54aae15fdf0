using System.Buffers.Binary;
using System.Text;
using Sharptrace.Kernel;

namespace Sharptrace.Bpf.Btf;

// A start-up shortcut: a few member offsets of one struct by a single walk over raw BTF.
public sealed partial class BtfSpec
{
    /// <summary>
    /// Byte offsets of the direct members <paramref name="members"/> of the kernel's first struct
    /// named <paramref name="structName"/>, by one walk over its BTF, mapped rather than read where
    /// the kernel allows it: a few milliseconds where <see cref="LoadKernel"/> and a lookup take
    /// some 15 (read, offset table, checks, name index), for a tool that needs two offsets at start.
    /// Null when the struct or a member is missing, a bitfield, or inside an anonymous member.
    /// </summary>
    /// <exception cref="BtfFormatException">The kernel's BTF is malformed.</exception>
    public static unsafe int[]? ScanKernelMemberOffsets(string structName, params string[] members)
    {
        var length = new FileInfo(KernelBtfPath).Length;
        using var mapped = MappedMemory.TryMapFile(KernelBtfPath, length);
        return mapped is null
            ? ScanMemberOffsets(File.ReadAllBytes(KernelBtfPath), structName, members)
            : ScanMemberOffsets(new ReadOnlySpan<byte>(mapped.Pointer, checked((int)length)), structName, members);
    }

    /// <summary>As <see cref="ScanKernelMemberOffsets"/>, over little-endian raw BTF (not split BTF).</summary>
    /// <exception cref="BtfFormatException">The blob is malformed (or big-endian).</exception>
    public static int[]? ScanMemberOffsets(ReadOnlySpan<byte> btf, string structName, params string[] members)
    {
        var header = ReadHeader(btf);
        if (header.IsBigEndian) throw new BtfFormatException("big-endian BTF is not scanned", 0);
        var typeStart = (int)(header.HeaderLength + header.TypeOffset);
        var typeEnd = typeStart + (int)header.TypeLength;
        var strings = btf.Slice((int)(header.HeaderLength + header.StringOffset), (int)header.StringLength);
        var wanted = Encoding.UTF8.GetBytes(structName);
        for (var at = typeStart; at < typeEnd;)
        {
            var length = RecordLength(btf, at, typeEnd);
            var info = BinaryPrimitives.ReadUInt32LittleEndian(btf[(at + 4)..]);
            if ((BtfKind)((info >> 24) & 0x1f) == BtfKind.Struct && NameAt(strings, btf, at).SequenceEqual(wanted))
                return DirectMemberOffsets(btf, strings, at, info, members);
            at += length;
        }
        return null;
    }

    private static int[]? DirectMemberOffsets(ReadOnlySpan<byte> btf, ReadOnlySpan<byte> strings, int at, uint info, string[] members)
    {
        var hasBitfields = (info >> 31) != 0;
        var count = (int)(info & 0xffff);
        var offsets = new int[members.Length];
        for (var m = 0; m < members.Length; m++)
        {
            var name = Encoding.UTF8.GetBytes(members[m]);
            var found = false;
            for (var i = 0; i < count && !found; i++)
            {
                var member = at + TypeRecordSize + 12 * i;
                if (!NameAt(strings, btf, member).SequenceEqual(name)) continue;
                var offset = BinaryPrimitives.ReadUInt32LittleEndian(btf[(member + 8)..]);
                // With kind_flag the high byte is a bitfield's size (0: not a bitfield).
                if (hasBitfields && (offset >> 24) != 0) return null;
                var bits = hasBitfields ? offset & 0xffffff : offset;
                if (bits % 8 != 0) return null;
                offsets[m] = (int)(bits / 8);
                found = true;
            }
            if (!found) return null;
        }
        return offsets;
    }

    /// <summary>The NUL-terminated name whose string offset is the u32 at <paramref name="at"/>.</summary>
    private static ReadOnlySpan<byte> NameAt(ReadOnlySpan<byte> strings, ReadOnlySpan<byte> btf, int at)
    {
        var offset = BinaryPrimitives.ReadUInt32LittleEndian(btf[at..]);
        if (offset >= (uint)strings.Length) throw new BtfFormatException($"name offset {offset} past the {strings.Length}-byte string section", at);
        var name = strings[(int)offset..];
        var end = name.IndexOf((byte)0);
        return end < 0 ? throw new BtfFormatException("string section does not end with NUL", at) : name[..end];
    }
}
