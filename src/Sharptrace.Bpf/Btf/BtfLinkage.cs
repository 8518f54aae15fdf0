namespace Sharptrace.Bpf.Btf;

/// <summary>Linkage of a BTF FUNC or VAR (BTF_FUNC_STATIC / GLOBAL / EXTERN, BTF_VAR_*).</summary>
public enum BtfLinkage : uint
{
    /// <summary>File-local (static).</summary>
    Static = 0,
    /// <summary>Global; for variables, globally allocated.</summary>
    Global = 1,
    /// <summary>Defined elsewhere.</summary>
    Extern = 2,
}
