namespace Sharptrace.Bpf.Btf;

/// <summary>The kind of a BTF type, as encoded in bits 24-28 of <c>btf_type.info</c> (uapi/linux/btf.h).</summary>
public enum BtfKind : byte
{
    /// <summary>Type id 0: <c>void</c>. Never appears as a record.</summary>
    Void = 0,
    /// <summary>Integer: size, encoding, bit offset and bit count.</summary>
    Int = 1,
    /// <summary>Pointer to a type.</summary>
    Pointer = 2,
    /// <summary>Array: element type, index type, element count.</summary>
    Array = 3,
    /// <summary>Struct with members.</summary>
    Struct = 4,
    /// <summary>Union with members.</summary>
    Union = 5,
    /// <summary>Enumeration with 32-bit values.</summary>
    Enum = 6,
    /// <summary>Forward declaration of a struct or union.</summary>
    Forward = 7,
    /// <summary>Typedef.</summary>
    Typedef = 8,
    /// <summary>volatile qualifier.</summary>
    Volatile = 9,
    /// <summary>const qualifier.</summary>
    Const = 10,
    /// <summary>restrict qualifier.</summary>
    Restrict = 11,
    /// <summary>Function: name, linkage, and its prototype.</summary>
    Func = 12,
    /// <summary>Function prototype: return type and parameters.</summary>
    FuncProto = 13,
    /// <summary>Variable: name, type and linkage.</summary>
    Var = 14,
    /// <summary>Data section: variables with offsets and sizes.</summary>
    DataSec = 15,
    /// <summary>Floating point type of a given size.</summary>
    Float = 16,
    /// <summary>Declaration tag attached to a type, member or parameter.</summary>
    DeclTag = 17,
    /// <summary>Type tag (e.g. <c>__user</c>) in a pointer chain.</summary>
    TypeTag = 18,
    /// <summary>Enumeration with 64-bit values.</summary>
    Enum64 = 19,
}
