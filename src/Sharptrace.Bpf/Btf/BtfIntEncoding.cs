namespace Sharptrace.Bpf.Btf;

/// <summary>How a BTF integer is to be read (BTF_INT_SIGNED, BTF_INT_CHAR, BTF_INT_BOOL).</summary>
[Flags]
public enum BtfIntEncoding : byte
{
    /// <summary>Unsigned, not a character, not a boolean.</summary>
    None = 0,
    /// <summary>Signed integer.</summary>
    Signed = 1,
    /// <summary>Character type (printing hint).</summary>
    Char = 2,
    /// <summary>Boolean.</summary>
    Bool = 4,
}
