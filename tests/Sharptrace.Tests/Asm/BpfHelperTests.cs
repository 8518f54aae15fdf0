using Sharptrace.Bpf.Asm;

namespace Sharptrace.Tests.Asm;

public class BpfHelperTests
{
    [Theory]
    [InlineData(BpfHelper.Unspec, 0, "bpf_unspec")]
    [InlineData(BpfHelper.MapLookupElem, 1, "bpf_map_lookup_elem")]
    [InlineData(BpfHelper.MapUpdateElem, 2, "bpf_map_update_elem")]
    [InlineData(BpfHelper.KtimeGetNs, 5, "bpf_ktime_get_ns")]
    [InlineData(BpfHelper.TracePrintk, 6, "bpf_trace_printk")]
    [InlineData(BpfHelper.GetCurrentPidTgid, 14, "bpf_get_current_pid_tgid")]
    [InlineData(BpfHelper.GetCurrentComm, 16, "bpf_get_current_comm")]
    [InlineData(BpfHelper.PerfEventOutput, 25, "bpf_perf_event_output")]
    [InlineData(BpfHelper.GetStackid, 27, "bpf_get_stackid")]
    [InlineData(BpfHelper.GetCurrentTask, 35, "bpf_get_current_task")]
    [InlineData(BpfHelper.GetStack, 67, "bpf_get_stack")]
    [InlineData(BpfHelper.ProbeReadUser, 112, "bpf_probe_read_user")]
    [InlineData(BpfHelper.ProbeReadKernel, 113, "bpf_probe_read_kernel")]
    [InlineData(BpfHelper.ProbeReadUserStr, 114, "bpf_probe_read_user_str")]
    [InlineData(BpfHelper.ProbeReadKernelStr, 115, "bpf_probe_read_kernel_str")]
    [InlineData(BpfHelper.KtimeGetBootNs, 125, "bpf_ktime_get_boot_ns")]
    [InlineData(BpfHelper.RingbufOutput, 130, "bpf_ringbuf_output")]
    [InlineData(BpfHelper.RingbufReserve, 131, "bpf_ringbuf_reserve")]
    [InlineData(BpfHelper.RingbufSubmit, 132, "bpf_ringbuf_submit")]
    [InlineData(BpfHelper.RingbufDiscard, 133, "bpf_ringbuf_discard")]
    [InlineData(BpfHelper.RingbufQuery, 134, "bpf_ringbuf_query")]
    [InlineData(BpfHelper.GetCurrentTaskBtf, 158, "bpf_get_current_task_btf")]
    [InlineData(BpfHelper.GetFuncIp, 173, "bpf_get_func_ip")]
    [InlineData(BpfHelper.GetAttachCookie, 174, "bpf_get_attach_cookie")]
    [InlineData(BpfHelper.Loop, 181, "bpf_loop")]
    [InlineData(BpfHelper.Strncmp, 182, "bpf_strncmp")]
    [InlineData(BpfHelper.CgrpStorageDelete, 211, "bpf_cgrp_storage_delete")]
    public void IdsAndNamesMatchTheKernel(BpfHelper helper, int id, string name)
    {
        Assert.Equal(id, (int)helper);
        Assert.Equal(name, BpfHelperNames.KernelName(helper));
    }

    [Fact]
    public void TheTableEndsAtTheKernelsFrozenList()
    {
        Assert.Equal(212, BpfHelperNames.Count);
        Assert.Null(BpfHelperNames.KernelName((BpfHelper)212));
        Assert.Null(BpfHelperNames.KernelName((BpfHelper)(-1)));
    }

    [Fact]
    public void ParsesNamesWithAndWithoutPrefix()
    {
        Assert.True(BpfHelperNames.TryParse("bpf_probe_read_user_str", out var withPrefix));
        Assert.Equal(BpfHelper.ProbeReadUserStr, withPrefix);
        Assert.True(BpfHelperNames.TryParse("ringbuf_output", out var withoutPrefix));
        Assert.Equal(BpfHelper.RingbufOutput, withoutPrefix);
        Assert.False(BpfHelperNames.TryParse("bpf_no_such_helper", out _));
    }
}
