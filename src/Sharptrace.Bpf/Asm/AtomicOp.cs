namespace Sharptrace.Bpf.Asm;

/// <summary>
/// Atomic operations, stored in the immediate of a <c>STX | ATOMIC</c> instruction. The fetch forms
/// return the old value in the source register; <see cref="CompareExchange"/> compares with and
/// returns into R0.
/// </summary>
public enum AtomicOp
{
    /// <summary>BPF_ADD: <c>lock *(dst + off) += src</c>.</summary>
    Add = 0x00,
    /// <summary>BPF_OR: <c>lock *(dst + off) |= src</c>.</summary>
    Or = 0x40,
    /// <summary>BPF_AND: <c>lock *(dst + off) &amp;= src</c>.</summary>
    And = 0x50,
    /// <summary>BPF_XOR: <c>lock *(dst + off) ^= src</c>.</summary>
    Xor = 0xa0,
    /// <summary>BPF_ADD | BPF_FETCH: src = atomic_fetch_add(dst + off, src).</summary>
    FetchAdd = 0x01,
    /// <summary>BPF_OR | BPF_FETCH.</summary>
    FetchOr = 0x41,
    /// <summary>BPF_AND | BPF_FETCH.</summary>
    FetchAnd = 0x51,
    /// <summary>BPF_XOR | BPF_FETCH.</summary>
    FetchXor = 0xa1,
    /// <summary>BPF_XCHG: src = xchg(dst + off, src).</summary>
    Exchange = 0xe1,
    /// <summary>BPF_CMPXCHG: r0 = cmpxchg(dst + off, r0, src).</summary>
    CompareExchange = 0xf1,
    /// <summary>BPF_LOAD_ACQ: dst = load_acquire(src + off). Note the roles of the registers.</summary>
    LoadAcquire = 0x100,
    /// <summary>BPF_STORE_REL: store_release(dst + off, src).</summary>
    StoreRelease = 0x110,
}
