using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Tests.Kernel;

public class ErrnoTests
{
    [Fact]
    public void ExceptionNamesOperationErrnoAndText()
    {
        var e = new KernelException("bpf(BPF_MAP_CREATE)", Errno.EINVAL);
        Assert.Equal("bpf(BPF_MAP_CREATE) failed: EINVAL (Invalid argument)", e.Message);
    }

    [Fact]
    public void CommandNamesFollowTheUapi()
    {
        Assert.Equal("BPF_MAP_CREATE", BpfSyscall.CommandName(BpfCommand.MapCreate));
        Assert.Equal("BPF_RAW_TRACEPOINT_OPEN", BpfSyscall.CommandName(BpfCommand.RawTracepointOpen));
        Assert.Equal("BPF_OBJ_GET_INFO_BY_FD", BpfSyscall.CommandName(BpfCommand.ObjGetInfoByFd));
    }

    [Fact]
    public void PermissionErrorNamesTheCapability()
    {
        var e = KernelException.For("bpf(BPF_PROG_LOAD)", Errno.EPERM, Capability.Bpf);
        var permission = Assert.IsType<KernelPermissionException>(e);
        Assert.Equal(Capability.Bpf, permission.Needed);
        Assert.Contains("CAP_BPF", e.Message);
    }
}
