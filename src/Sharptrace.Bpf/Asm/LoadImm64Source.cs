namespace Sharptrace.Bpf.Asm;

/// <summary>
/// What the 64-bit immediate of an ld_imm64 means, selected by its source register
/// (the BPF_PSEUDO_* values of include/uapi/linux/bpf.h).
/// </summary>
public enum LoadImm64Source : byte
{
    /// <summary>A plain 64-bit constant.</summary>
    Immediate = 0,
    /// <summary>BPF_PSEUDO_MAP_FD: the low immediate is a map fd; the kernel loads the map's address.</summary>
    MapFd = 1,
    /// <summary>BPF_PSEUDO_MAP_VALUE: map fd in the first immediate, offset into its value in the second.</summary>
    MapValue = 2,
    /// <summary>BPF_PSEUDO_BTF_ID: the address of a kernel variable given by its BTF id.</summary>
    BtfId = 3,
    /// <summary>BPF_PSEUDO_FUNC: the address of a subprogram; the immediate is its relative instruction offset.</summary>
    Function = 4,
    /// <summary>BPF_PSEUDO_MAP_IDX: index into the fd_array given at load time, instead of an fd.</summary>
    MapIndex = 5,
    /// <summary>BPF_PSEUDO_MAP_IDX_VALUE: fd_array index plus an offset into the map's value.</summary>
    MapIndexValue = 6,
}
