using System.Buffers.Binary;
using System.Text;
using Sharptrace.Bpf.Btf;

namespace Sharptrace.Tests.Btf;

/// <summary>Writes raw BTF blobs by hand, one call per type, for tests of every kind and of malformed input.</summary>
internal sealed class BtfBlobBuilder
{
    private readonly List<uint> words = [];
    private readonly MemoryStream strings = new();
    private readonly Dictionary<string, uint> stringOffsets = [];
    private readonly uint stringBase;
    private int nextId;

    /// <summary>A base blob (ids from 1), or split on top of a base with the given type count and string length.</summary>
    public BtfBlobBuilder(int firstId = 1, uint stringBase = 0)
    {
        nextId = firstId;
        this.stringBase = stringBase;
        if (stringBase == 0)
            strings.WriteByte(0);
        stringOffsets[""] = 0;
    }

    public uint Str(string s)
    {
        if (stringOffsets.TryGetValue(s, out var offset))
            return offset;
        offset = stringBase + (uint)strings.Length;
        var bytes = Encoding.UTF8.GetBytes(s);
        strings.Write(bytes);
        strings.WriteByte(0);
        stringOffsets[s] = offset;
        return offset;
    }

    private int Type(string? name, BtfKind kind, int vlen, bool kindFlag, uint sizeOrType, params uint[] trailing)
    {
        words.Add(Str(name ?? ""));
        words.Add(((uint)kind << 24) | (uint)vlen | (kindFlag ? 0x8000_0000u : 0));
        words.Add(sizeOrType);
        words.AddRange(trailing);
        return nextId++;
    }

    public int Int(string name, uint size, BtfIntEncoding encoding = BtfIntEncoding.Signed, int bits = -1, int offset = 0) =>
        Type(name, BtfKind.Int, 0, false, size, ((uint)encoding << 24) | ((uint)offset << 16) | (bits < 0 ? size * 8 : (uint)bits));

    public int Ptr(int target) => Type(null, BtfKind.Pointer, 0, false, (uint)target);

    public int Array(int element, int index, uint length) => Type(null, BtfKind.Array, 0, false, 0, (uint)element, (uint)index, length);

    public int Struct(string? name, uint size, params (string Name, int Type, uint BitOffset, int Bitfield)[] members) =>
        Composite(BtfKind.Struct, name, size, members);

    public int Union(string? name, uint size, params (string Name, int Type, uint BitOffset, int Bitfield)[] members) =>
        Composite(BtfKind.Union, name, size, members);

    private int Composite(BtfKind kind, string? name, uint size, (string Name, int Type, uint BitOffset, int Bitfield)[] members)
    {
        var kindFlag = members.Any(m => m.Bitfield != 0);
        var trailing = members.SelectMany(m => new[]
        {
            Str(m.Name), (uint)m.Type, kindFlag ? ((uint)m.Bitfield << 24) | m.BitOffset : m.BitOffset,
        }).ToArray();
        return Type(name, kind, members.Length, kindFlag, size, trailing);
    }

    public int Enum(string? name, uint size, bool signed, params (string Name, int Value)[] values) =>
        Type(name, BtfKind.Enum, values.Length, signed, size, values.SelectMany(v => new[] { Str(v.Name), (uint)v.Value }).ToArray());

    public int Enum64(string? name, uint size, bool signed, params (string Name, long Value)[] values) =>
        Type(name, BtfKind.Enum64, values.Length, signed, size,
            values.SelectMany(v => new[] { Str(v.Name), (uint)v.Value, (uint)((ulong)v.Value >> 32) }).ToArray());

    public int Forward(string name, bool union) => Type(name, BtfKind.Forward, 0, union, 0);

    public int Typedef(string name, int target) => Type(name, BtfKind.Typedef, 0, false, (uint)target);

    public int Volatile(int target) => Type(null, BtfKind.Volatile, 0, false, (uint)target);

    public int Const(int target) => Type(null, BtfKind.Const, 0, false, (uint)target);

    public int Restrict(int target) => Type(null, BtfKind.Restrict, 0, false, (uint)target);

    public int Func(string name, int proto, BtfLinkage linkage = BtfLinkage.Global) => Type(name, BtfKind.Func, (int)linkage, false, (uint)proto);

    public int FuncProto(int returnType, params (string Name, int Type)[] parameters) =>
        Type(null, BtfKind.FuncProto, parameters.Length, false, (uint)returnType,
            parameters.SelectMany(p => new[] { Str(p.Name), (uint)p.Type }).ToArray());

    public int Var(string name, int type, BtfLinkage linkage) => Type(name, BtfKind.Var, 0, false, (uint)type, (uint)linkage);

    public int DataSec(string name, uint size, params (int Type, uint Offset, uint Size)[] variables) =>
        Type(name, BtfKind.DataSec, variables.Length, false, size, variables.SelectMany(v => new[] { (uint)v.Type, v.Offset, v.Size }).ToArray());

    public int Float(string name, uint size) => Type(name, BtfKind.Float, 0, false, size);

    public int DeclTag(string name, int target, int componentIndex) => Type(name, BtfKind.DeclTag, 0, false, (uint)target, (uint)componentIndex);

    public int TypeTag(string name, int target) => Type(name, BtfKind.TypeTag, 0, false, (uint)target);

    /// <summary>Appends a raw word to the type section (to forge malformed records).</summary>
    public void RawWord(uint word) => words.Add(word);

    public byte[] Build(bool bigEndian = false)
    {
        var typeLength = words.Count * 4;
        var stringBytes = strings.ToArray();
        var blob = new byte[24 + typeLength + stringBytes.Length];
        void Put16(int at, ushort v) { if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(blob.AsSpan(at), v); else BinaryPrimitives.WriteUInt16LittleEndian(blob.AsSpan(at), v); }
        void Put32(int at, uint v) { if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(at), v); else BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(at), v); }
        Put16(0, 0xEB9F);
        blob[2] = 1;
        blob[3] = 0;
        Put32(4, 24);
        Put32(8, 0);
        Put32(12, (uint)typeLength);
        Put32(16, (uint)typeLength);
        Put32(20, (uint)stringBytes.Length);
        for (var i = 0; i < words.Count; i++)
            Put32(24 + 4 * i, words[i]);
        stringBytes.CopyTo(blob, 24 + typeLength);
        return blob;
    }
}
