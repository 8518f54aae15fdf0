using System.Buffers.Binary;
using System.Text;
using Sharptrace.Tracing.Ftrace;
using Sharptrace.Tracing.Ftrace.PrintFormat;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Tests.Ftrace;

/// <summary>The print fmt evaluator against the kernel's own formats (sched_switch's flags and ternaries, syscalls' casts).</summary>
public sealed class PrintFormatTests
{
    internal const string SchedSwitch = """
        name: sched_switch
        ID: 372
        format:
        	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
        	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;
        	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;
        	field:int common_pid;	offset:4;	size:4;	signed:1;

        	field:char prev_comm[16];	offset:8;	size:16;	signed:0;
        	field:pid_t prev_pid;	offset:24;	size:4;	signed:1;
        	field:int prev_prio;	offset:28;	size:4;	signed:1;
        	field:long prev_state;	offset:32;	size:8;	signed:1;
        	field:char next_comm[16];	offset:40;	size:16;	signed:0;
        	field:pid_t next_pid;	offset:56;	size:4;	signed:1;
        	field:int next_prio;	offset:60;	size:4;	signed:1;

        print fmt: "prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%s%s ==> next_comm=%s next_pid=%d next_prio=%d", REC->prev_comm, REC->prev_pid, REC->prev_prio, (REC->prev_state & ((((0x00000000 | 0x00000001 | 0x00000002 | 0x00000004 | 0x00000008 | 0x00000010 | 0x00000020 | 0x00000040) + 1) << 1) - 1)) ? __print_flags(REC->prev_state & ((((0x00000000 | 0x00000001 | 0x00000002 | 0x00000004 | 0x00000008 | 0x00000010 | 0x00000020 | 0x00000040) + 1) << 1) - 1), "|", { 0x00000001, "S" }, { 0x00000002, "D" }, { 0x00000004, "T" }, { 0x00000008, "t" }, { 0x00000010, "X" }, { 0x00000020, "Z" }, { 0x00000040, "P" }, { 0x00000080, "I" }) : "R", REC->prev_state & (((0x00000000 | 0x00000001 | 0x00000002 | 0x00000004 | 0x00000008 | 0x00000010 | 0x00000020 | 0x00000040) + 1) << 1) ? "+" : "", REC->next_comm, REC->next_pid, REC->next_prio
        """;

    internal const string SysEnterWrite = """
        name: sys_enter_write
        ID: 700
        format:
        	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
        	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;
        	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;
        	field:int common_pid;	offset:4;	size:4;	signed:1;

        	field:int __syscall_nr;	offset:8;	size:4;	signed:1;
        	field:unsigned int fd;	offset:16;	size:8;	signed:0;
        	field:const char * buf;	offset:24;	size:8;	signed:0;
        	field:size_t count;	offset:32;	size:8;	signed:0;

        print fmt: "fd: 0x%08lx, buf: 0x%08lx, count: 0x%08lx", ((unsigned long)(REC->fd)), ((unsigned long)(REC->buf)), ((unsigned long)(REC->count))
        """;

    internal static byte[] SwitchRecord(string prev, int prevPid, long state, string next, int nextPid)
    {
        var record = new byte[64];
        BinaryPrimitives.WriteUInt16LittleEndian(record, 372);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(4), prevPid);
        Encoding.ASCII.GetBytes(prev).CopyTo(record, 8);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(24), prevPid);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(28), 120);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(32), state);
        Encoding.ASCII.GetBytes(next).CopyTo(record, 40);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(56), nextPid);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(60), 98);
        return record;
    }

    [Theory]
    [InlineData(0L, "R")]
    [InlineData(1L, "S")]
    [InlineData(2L, "D")]
    [InlineData(0x100L, "R+")]
    [InlineData(0x80L, "I")]
    [InlineData(0x3L, "S|D")]
    public void SchedSwitchPrintsLikeTheKernel(long state, string shown)
    {
        var printer = PrintFormatCompiler.Compile(EventFormat.Parse(SchedSwitch));
        var text = printer.Format(SwitchRecord("bash", 42, state, "swapper/1", 0));
        Assert.Equal($"prev_comm=bash prev_pid=42 prev_prio=120 prev_state={shown} ==> next_comm=swapper/1 next_pid=0 next_prio=98", text);
    }

    [Fact]
    public void SyscallCastsAndZeroPaddedHex()
    {
        var record = new byte[40];
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(16), 1);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(24), 0x7ffd1234abcd);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(32), 7);
        var printer = PrintFormatCompiler.Compile(EventFormat.Parse(SysEnterWrite));
        Assert.Equal("fd: 0x00000001, buf: 0x7ffd1234abcd, count: 0x00000007", printer.Format(record));
    }

    [Theory]
    [InlineData("%d", -5L, "-5")]
    [InlineData("%u", -1L, "4294967295")]
    [InlineData("%lu", -1L, "18446744073709551615")]
    [InlineData("%5d|", 42L, "   42|")]
    [InlineData("%-5d|", 42L, "42   |")]
    [InlineData("%05d", -42L, "-0042")]
    [InlineData("%#x", 255L, "0xff")]
    [InlineData("%03d", 7L, "007")]
    [InlineData("%hhx", 0x1ffL, "ff")]
    [InlineData("%.3d", 5L, "005")]
    [InlineData("%c", 65L, "A")]
    [InlineData("%%%d", 1L, "%1")]
    public void PrintfConversionsFollowC(string format, long value, string expected)
    {
        var specs = FormatSpec.ParseAll(format);
        var output = new StringBuilder();
        foreach (var spec in specs)
        {
            if (spec.TakesArgument) spec.Append(output, PrintValue.Of(value), PrintContext.Default);
            else output.Append(spec.Literal);
        }
        Assert.Equal(expected, output.ToString());
    }

    [Fact]
    public void SymbolicFunctionPointersAndDynamicStrings()
    {
        const string format = """
            name: demo
            ID: 9
            format:
            	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
            	field:int common_pid;	offset:4;	size:4;	signed:1;
            	field:int mode;	offset:8;	size:4;	signed:1;
            	field:__data_loc char[] name;	offset:12;	size:4;	signed:0;
            	field:unsigned long ip;	offset:16;	size:8;	signed:0;
            	field:unsigned long args[6];	offset:24;	size:48;	signed:0;

            print fmt: "mode=%s name=%s at %ps/%pS arg1=%lx", __print_symbolic(REC->mode, { 0, "READ" }, { 1, "WRITE" }), __get_str(name), (void *)REC->ip, (void *)REC->ip, REC->args[1]
            """;
        var record = new byte[80];
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), 72 | 6u << 16);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(16), 0xffffffff81000010);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(32), 0xabc);
        Encoding.ASCII.GetBytes("hello\0").CopyTo(record, 72);
        var symbols = KernelSymbolTable.Parse("ffffffff81000000 T do_thing\nffffffff81000100 t other\n");
        var printer = PrintFormatCompiler.Compile(EventFormat.Parse(format));
        Assert.Equal("mode=WRITE name=hello at do_thing/do_thing+0x10 arg1=abc", printer.Format(record, new PrintContext(symbols.Lookup)));
    }

    [Theory]
    [InlineData("\"%d\", some_function(REC->a)")]
    [InlineData("\"%d %d\", REC->a")]
    [InlineData("\"%d\", REC->missing")]
    [InlineData("\"%*pbl\", 3, 4")]
    [InlineData("\"%pbl\", REC->a")]
    [InlineData("\"%s\", __print_symbolic(REC->a, { REC->a, \"X\" })")]
    public void UnknownConstructsFallBackToFields(string printFormat)
    {
        var text = $"name: x\nID: 3\nformat:\n\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\tfield:int a;\toffset:8;\tsize:4;\tsigned:1;\n\nprint fmt: {printFormat}\n";
        var type = new TraceEventType("test", EventFormat.Parse(text));
        Assert.Null(type.Printer);
        var record = new byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(8), -3);
        var output = new StringBuilder();
        RecordFields.AppendFieldsText(output, record, type.Format);
        Assert.Equal("a=-3", output.ToString());
    }

    private static string Demo(string printFormat, string extraFields = "") =>
        "name: demo\nID: 7\nformat:\n\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
        + "\tfield:int a;\toffset:8;\tsize:4;\tsigned:1;\n\tfield:unsigned int len;\toffset:12;\tsize:4;\tsigned:0;\n"
        + "\tfield:unsigned long mask[2];\toffset:16;\tsize:16;\tsigned:0;\n\tfield:__data_loc char[] name;\toffset:32;\tsize:4;\tsigned:0;\n"
        + "\tfield:__data_loc unsigned long[] cpus;\toffset:36;\tsize:4;\tsigned:0;\n" + extraFields
        + $"\nprint fmt: {printFormat}\n";

    /// <summary>a=-3, len=3, mask = bits 0-3, 8 and 64, name "hello", cpus = one word with bits 1 and 33.</summary>
    private static byte[] DemoRecord()
    {
        var record = new byte[64];
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(8), -3);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), 3);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(16), 0x10f);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(24), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(32), 40 | 6u << 16);
        Encoding.ASCII.GetBytes("hello\0").CopyTo(record, 40);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(36), 48 | 8u << 16);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(48), 1UL << 1 | 1UL << 33);
        return record;
    }

    [Theory]
    // '*' width and precision come from the argument before the value, as in C (negative width: left-justified).
    [InlineData("\"[%*d]\", 5, REC->a", "[   -3]")]
    [InlineData("\"[%*d]\", -5, REC->a", "[-3   ]")]
    [InlineData("\"[%-*d]\", REC->len + 2, REC->a", "[-3   ]")]
    [InlineData("\"%.*s|\", REC->len, __get_str(name)", "hel|")]
    [InlineData("\"%*.*s|\", 6, 2, __get_str(name)", "    he|")]
    // Flag tables keyed by constant expressions, ending with a NULL entry, naming an unexpanded macro.
    [InlineData("\"%s\", __print_flags(REC->len, \"|\", { (1UL << 0), \"ONE\" }, { (1UL << 1), TWO_MACRO }, { -1, 0 })", "ONE|TWO_MACRO")]
    [InlineData("\"%s\", __print_symbolic(REC->a, { -3, \"MINUS_THREE\" }, { 0, ((void *)0) })", "MINUS_THREE")]
    [InlineData("\"%d\", REC->len * sizeof(u64) + sizeof(unsigned short) + sizeof(void *)", "34")]
    [InlineData("\"%u\", (REC)->len", "3")]
    // Bitmaps: %*pb is 32-bit hex chunks (the first as wide as its bits), %*pbl the ranges.
    [InlineData("\"%*pbl\", 128, REC->mask", "0-3,8,64")]
    [InlineData("\"%*pb\", 72, REC->mask", "01,00000000,0000010f")]
    [InlineData("\"%*pb\", 8, REC->mask", "0f")]
    [InlineData("\"cpus=%s\", __get_cpumask(cpus)", "cpus=00000002,00000002")]
    [InlineData("\"%s\", __get_bitmask(cpus)", "00000002,00000002")]
    public void StarsConstantTablesSizeofAndBitmaps(string printFormat, string expected)
    {
        var printer = PrintFormatCompiler.Compile(EventFormat.Parse(Demo(printFormat)));
        Assert.Equal(expected, printer.Format(DemoRecord()));
    }
}
