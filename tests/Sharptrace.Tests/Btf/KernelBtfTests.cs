using System.Diagnostics;
using Sharptrace.Bpf.Btf;

namespace Sharptrace.Tests.Btf;

/// <summary>Parses the running kernel's BTF once for all tests in the class.</summary>
public sealed class KernelBtfFixture
{
    public KernelBtfFixture()
    {
        if (!File.Exists(BtfSpec.KernelBtfPath))
            return;
        Raw = File.ReadAllBytes(BtfSpec.KernelBtfPath);
        Spec = BtfSpec.Parse(Raw);
    }

    public byte[]? Raw { get; }

    public BtfSpec? Spec { get; }
}

public class KernelBtfTests(KernelBtfFixture fixture) : IClassFixture<KernelBtfFixture>
{
    private BtfSpec Spec
    {
        get
        {
            Assert.SkipWhen(fixture.Spec is null, $"{BtfSpec.KernelBtfPath} missing (kernel without CONFIG_DEBUG_INFO_BTF)");
            return fixture.Spec!;
        }
    }

    /// <summary>The start-up scan finds the offsets the full parse finds, and none where it cannot be sure.</summary>
    [Theory]
    [InlineData("task_struct", "pid", "exit_code", "tgid")]
    [InlineData("file", "f_flags", "f_mode")]
    [InlineData("sk_buff", "len", "protocol")]
    public void MemberScanAgreesWithTheFullParse(string structName, params string[] members)
    {
        var spec = Spec;
        var task = spec.FindType(structName, BtfKind.Struct);
        var expected = members.Select(m => spec.TryFindMember(task.Id, m, out var f) ? (int)f.ByteOffset : -1).ToArray();
        var scanned = BtfSpec.ScanKernelMemberOffsets(structName, members);
        var direct = task.Members.Where(m => m.HasName && m.BitfieldSize == 0).Select(m => m.Name).ToHashSet();
        if (members.All(direct.Contains))
            Assert.Equal(expected, scanned);
        else
            Assert.Null(scanned); // a member inside an anonymous struct or union: the caller parses fully
        Assert.Equal(scanned, BtfSpec.ScanMemberOffsets(fixture.Raw!, structName, members));
    }

    [Fact]
    public void MemberScanSaysNoForWhatIsNotThere()
    {
        _ = Spec;
        Assert.Null(BtfSpec.ScanKernelMemberOffsets("task_struct", "no_such_member"));
        Assert.Null(BtfSpec.ScanKernelMemberOffsets("no_such_struct_anywhere", "pid"));
    }

    [Fact]
    public void ParsesTheWholeKernelQuickly()
    {
        var spec = Spec;
        Assert.True(spec.TypeCount > 10_000);
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            BtfSpec.Parse(fixture.Raw!);
            best = clock.Elapsed < best ? clock.Elapsed : best;
        }
        // The bench measures the real figure (a few ms); this only catches an order-of-magnitude regression
        // on a busy 2-core machine running tests in parallel in a Debug build.
        Assert.True(best < TimeSpan.FromMilliseconds(500), $"parse took {best.TotalMilliseconds} ms");
    }

    [Fact]
    public void TaskStructPidAndComm()
    {
        var task = Spec.FindType("task_struct", BtfKind.Struct);
        var pid = Spec.FindMember(task.Id, "pid");
        var comm = Spec.FindMember(task.Id, "comm");
        Assert.Equal("pid_t", pid.Type.Name);
        Assert.Equal("int", Spec.Resolve(pid.Type.Id).Name);
        Assert.Equal(4, Spec.SizeOf(pid.Type.Id));
        Assert.Equal("char[16]", Spec.FormatType(comm.Type.Id));
        Assert.Equal(16, Spec.SizeOf(comm.Type.Id));

        // Second path: walk the members by hand and compare with the lookup.
        var byHand = task.Members.Where(m => m.HasName).ToDictionary(m => m.Name, m => m.BitOffset);
        Assert.Equal(byHand["pid"], (uint)pid.BitOffset);
        Assert.Equal(byHand["comm"], (uint)comm.BitOffset);
        Assert.Equal(0, pid.BitOffset % 32);
        Assert.Equal(0, comm.BitOffset % 8);
        Assert.True(comm.ByteOffset + 16 <= Spec.SizeOf(task.Id));
        // tgid follows pid in every kernel since 2.6.
        Assert.Equal(pid.BitOffset + 32, Spec.FindMember(task.Id, "tgid").BitOffset);
    }

    [Fact]
    public void ListHeadLayout()
    {
        var listHead = Spec.FindType("list_head", BtfKind.Struct);
        Assert.Equal(16, Spec.SizeOf(listHead.Id));
        Assert.Equal(0, Spec.FindMember(listHead.Id, "next").BitOffset);
        Assert.Equal(64, Spec.FindMember(listHead.Id, "prev").BitOffset);
        Assert.Equal("struct list_head *", Spec.FindMember(listHead.Id, "prev").Type.ToString());
    }

    [Fact]
    public void NestedPathAddsOffsetsAndAnonymousMembersAreSearched()
    {
        var task = Spec.FindType("task_struct", BtfKind.Struct);
        var se = Spec.FindMember(task.Id, "se");
        var vruntimeInSe = Spec.FindMember(se.Type.Id, "vruntime");
        Assert.Equal(se.BitOffset + vruntimeInSe.BitOffset, Spec.FindMember(task.Id, "se.vruntime").BitOffset);

        // sk_buff keeps next/prev inside anonymous unions and structs.
        var skb = Spec.FindType("sk_buff", BtfKind.Struct);
        var len = Spec.FindMember(skb.Id, "len");
        Assert.Equal("unsigned int", Spec.Resolve(len.Type.Id).Name);
        Assert.True(Spec.TryFindMember(skb.Id, "next", out var next));
        Assert.Equal(0, next.BitOffset);
        Assert.DoesNotContain(skb.Members, m => m.HasName && m.Name == "next");
    }

    [Fact]
    public void EnumValues()
    {
        var mapType = Spec.FindType("bpf_map_type", BtfKind.Enum);
        Assert.True(mapType.TryGetEnumValue("BPF_MAP_TYPE_RINGBUF", out var ringbuf));
        Assert.Equal(27, ringbuf);
        Assert.True(mapType.TryGetEnumValue("BPF_MAP_TYPE_HASH", out var hash));
        Assert.Equal(1, hash);
        Assert.True(Spec.TryFindEnumValue("BPF_PROG_TYPE_KPROBE", out var kprobe, out var owner));
        Assert.Equal((2L, "bpf_prog_type"), (kprobe, owner.Name));
    }

    [Fact]
    public void FunctionPrototypes()
    {
        var vfsRead = Spec.FindFunction("vfs_read");
        var proto = vfsRead.FuncProto;
        Assert.Equal(["file", "buf", "count", "pos"], proto.Params.Select(p => p.Name));
        Assert.Equal("ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos)", vfsRead.ToString());
        Assert.Equal("long int", Spec.Resolve(proto.ReferencedTypeId).Name);

        var openat2 = Spec.FindFunction("do_sys_openat2");
        Assert.Equal("dfd", openat2.FuncProto.Params[0].Name);
        Assert.Equal("int", Spec.FormatType(openat2.FuncProto.Params[0].TypeId));
    }

    [Fact]
    public void EveryTypePrintsAndSizesWithoutFormatErrors()
    {
        var spec = Spec;
        var sized = 0;
        for (var id = 0; id < spec.TypeCount; id++)
        {
            var type = spec.TypeById(id);
            Assert.NotEmpty(type.ToString());
            if (type.Kind is BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64
                or BtfKind.Pointer or BtfKind.Array or BtfKind.Typedef or BtfKind.Float)
            {
                try
                {
                    Assert.True(spec.SizeOf(id) >= 0);
                    sized++;
                }
                catch (InvalidOperationException)
                {
                    // typedefs of forward declarations and of function prototypes have no size
                }
            }
        }
        Assert.True(sized > spec.TypeCount / 4);
    }

    [Fact]
    public void ModuleBtfSplitsOnTopOfVmlinux()
    {
        var spec = Spec;
        var modules = BtfSpec.KernelModulesWithBtf();
        Assert.SkipWhen(modules.Count == 0, "no kernel module publishes BTF on this machine (the split logic is covered by hand-built blobs)");
        foreach (var module in modules.Take(5))
        {
            var moduleSpec = BtfSpec.LoadKernelModule(module, spec);
            Assert.Equal(spec.TypeCount, moduleSpec.FirstTypeId);
            foreach (var type in moduleSpec.Types.Skip(spec.TypeCount - 1))
                Assert.NotNull(type.ToString());
        }
    }
}
