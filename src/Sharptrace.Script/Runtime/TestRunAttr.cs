using System.Runtime.InteropServices;

namespace Sharptrace.Script.Runtime;

/// <summary>The test run member of union bpf_attr (BPF_PROG_TEST_RUN), used to run BEGIN and END once.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TestRunAttr
{
    public uint ProgFd;
    public uint Retval;
    public uint DataSizeIn;
    public uint DataSizeOut;
    public ulong DataIn;
    public ulong DataOut;
    public uint Repeat;
    public uint Duration;
    public uint CtxSizeIn;
    public uint CtxSizeOut;
    public ulong CtxIn;
    public ulong CtxOut;
    public uint Flags;
    public uint Cpu;
    public uint BatchSize;
    public uint Padding;
}
