namespace Sharptrace.Kernel.Uapi;

#pragma warning disable CS1591 // names are the kernel's own (include/uapi/linux/bpf.h)

/// <summary>bpf(2) commands (enum bpf_cmd).</summary>
public enum BpfCommand
{
    MapCreate = 0, MapLookupElem, MapUpdateElem, MapDeleteElem, MapGetNextKey, ProgLoad, ObjPin, ObjGet,
    ProgAttach, ProgDetach, ProgTestRun, ProgGetNextId, MapGetNextId, ProgGetFdById, MapGetFdById, ObjGetInfoByFd,
    ProgQuery, RawTracepointOpen, BtfLoad, BtfGetFdById, TaskFdQuery, MapLookupAndDeleteElem, MapFreeze, BtfGetNextId,
    MapLookupBatch, MapLookupAndDeleteBatch, MapUpdateBatch, MapDeleteBatch, LinkCreate, LinkUpdate, LinkGetFdById,
    LinkGetNextId, EnableStats, IterCreate, LinkDetach, ProgBindMap, TokenCreate,
}

/// <summary>Map types (enum bpf_map_type).</summary>
public enum BpfMapType : uint
{
    Unspec = 0, Hash, Array, ProgArray, PerfEventArray, PercpuHash, PercpuArray, StackTrace, CgroupArray,
    LruHash, LruPercpuHash, LpmTrie, ArrayOfMaps, HashOfMaps, Devmap, Sockmap, Cpumap, Xskmap, Sockhash,
    CgroupStorage, ReuseportSockarray, PercpuCgroupStorage, Queue, Stack, SkStorage, DevmapHash, StructOps,
    Ringbuf, InodeStorage, TaskStorage, BloomFilter, UserRingbuf, CgrpStorage, Arena,
}

/// <summary>Program types (enum bpf_prog_type).</summary>
public enum BpfProgramType : uint
{
    Unspec = 0, SocketFilter, Kprobe, SchedCls, SchedAct, Tracepoint, Xdp, PerfEvent, CgroupSkb, CgroupSock,
    LwtIn, LwtOut, LwtXmit, SockOps, SkSkb, CgroupDevice, SkMsg, RawTracepoint, CgroupSockAddr, LwtSeg6local,
    LircMode2, SkReuseport, FlowDissector, CgroupSysctl, RawTracepointWritable, CgroupSockopt, Tracing,
    StructOps, Ext, Lsm, SkLookup, Syscall, Netfilter,
}

/// <summary>Attach types (enum bpf_attach_type), the ones tracing uses named.</summary>
public enum BpfAttachType : uint
{
    None = 0,
    TraceRawTp = 23, TraceFentry = 24, TraceFexit = 25, ModifyReturn = 26, TraceIter = 28,
    PerfEvent = 41, TraceKprobeMulti = 42, TraceUprobeMulti = 48,
}

/// <summary>Map update flags.</summary>
public enum BpfUpdateFlags : ulong
{
    /// <summary>BPF_ANY: create or update.</summary>
    Any = 0,
    /// <summary>BPF_NOEXIST: create only.</summary>
    NoExist = 1,
    /// <summary>BPF_EXIST: update only.</summary>
    Exist = 2,
}
