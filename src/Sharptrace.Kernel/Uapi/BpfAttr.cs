using System.Runtime.InteropServices;

namespace Sharptrace.Kernel.Uapi;

#pragma warning disable CS1591 // fields mirror union bpf_attr in include/uapi/linux/bpf.h

/// <summary>bpf_attr for BPF_MAP_CREATE.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct MapCreateAttr
{
    public BpfMapType MapType;
    public uint KeySize;
    public uint ValueSize;
    public uint MaxEntries;
    public uint MapFlags;
    public uint InnerMapFd;
    public uint NumaNode;
    public fixed byte MapName[16];
    public uint MapIfindex;
    public uint BtfFd;
    public uint BtfKeyTypeId;
    public uint BtfValueTypeId;
    public uint BtfVmlinuxValueTypeId;
    public ulong MapExtra;
}

/// <summary>bpf_attr for the BPF_MAP_*_ELEM and BPF_MAP_GET_NEXT_KEY commands.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct MapElemAttr
{
    public uint MapFd;
    private uint padding;
    public ulong Key;
    /// <summary>value, or next_key for BPF_MAP_GET_NEXT_KEY.</summary>
    public ulong ValueOrNextKey;
    public ulong Flags;
}

/// <summary>bpf_attr for the BPF_MAP_*_BATCH commands.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct MapBatchAttr
{
    public ulong InBatch;
    public ulong OutBatch;
    public ulong Keys;
    public ulong Values;
    public uint Count;
    public uint MapFd;
    public ulong ElemFlags;
    public ulong Flags;
}

/// <summary>bpf_attr for BPF_PROG_LOAD.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct ProgLoadAttr
{
    public BpfProgramType ProgType;
    public uint InsnCnt;
    public ulong Insns;
    public ulong License;
    public uint LogLevel;
    public uint LogSize;
    public ulong LogBuf;
    public uint KernVersion;
    public uint ProgFlags;
    public fixed byte ProgName[16];
    public uint ProgIfindex;
    public BpfAttachType ExpectedAttachType;
    public uint ProgBtfFd;
    public uint FuncInfoRecSize;
    public ulong FuncInfo;
    public uint FuncInfoCnt;
    public uint LineInfoRecSize;
    public ulong LineInfo;
    public uint LineInfoCnt;
    public uint AttachBtfId;
    public uint AttachProgFd;
    public uint CoreReloCnt;
    public ulong FdArray;
    public ulong CoreRelos;
    public uint CoreReloRecSize;
    public uint LogTrueSize;
}

/// <summary>bpf_attr for BPF_LINK_CREATE (the perf_event flavour: a cookie after the header).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct LinkCreateAttr
{
    public uint ProgFd;
    public uint TargetFd;
    public BpfAttachType AttachType;
    public uint Flags;
    public ulong Cookie;
    private ulong reserved1;
    private ulong reserved2;
}

/// <summary>bpf_attr for BPF_RAW_TRACEPOINT_OPEN.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct RawTracepointOpenAttr
{
    public ulong Name;
    public uint ProgFd;
    private uint padding;
    public ulong Cookie;
}

/// <summary>bpf_attr for BPF_OBJ_GET_INFO_BY_FD.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ObjInfoAttr
{
    public uint BpfFd;
    public uint InfoLen;
    public ulong Info;
}

/// <summary>bpf_attr for BPF_BTF_LOAD.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct BtfLoadAttr
{
    public ulong Btf;
    public ulong BtfLogBuf;
    public uint BtfSize;
    public uint BtfLogSize;
    public uint BtfLogLevel;
    public uint BtfLogTrueSize;
}

/// <summary>bpf_attr for BPF_OBJ_PIN / BPF_OBJ_GET.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct ObjPinAttr
{
    public ulong Pathname;
    public uint BpfFd;
    public uint FileFlags;
}
