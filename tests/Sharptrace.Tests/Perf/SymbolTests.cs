using Sharptrace.Tests.Support;
using Sharptrace.Tracing.Symbols;

namespace Sharptrace.Tests.Perf;

public class SymbolTests
{
    [Fact]
    public void Kallsyms_text_resolves_kernel_and_module_symbols()
    {
        var text = """
            ffffffff81000000 T _text
            ffffffff81000100 T start_kernel
            ffffffff81000200 t helper
            ffffffff81000300 D some_data
            ffffffffc0001000 t mod_func	[ext4]
            0000000000000000 T hidden
            """;
        var kernel = KernelSymbols.Parse(new StringReader(text));
        Assert.Equal(0xffffffff81000000UL, kernel.TextAddress);
        Assert.Equal(new ResolvedSymbol("start_kernel", 0x10, "[kernel.kallsyms]", SymbolKind.Kernel), kernel.Resolve(0xffffffff81000110));
        Assert.Equal("helper+0x5", kernel.Resolve(0xffffffff81000205).ToString());
        Assert.Equal(new ResolvedSymbol("mod_func", 4, "[ext4]", SymbolKind.Kernel), kernel.Resolve(0xffffffffc0001004));
    }

    [Fact]
    public void Running_kernel_symbols_load_when_root()
    {
        Require.Root();
        var kernel = KernelSymbols.Current;
        Assert.True(kernel.IsAvailable);
        Assert.True(kernel.Count > 10_000);
        Assert.NotEqual(0UL, kernel.TextAddress);
    }

    [Fact]
    public void Perf_map_newest_entry_wins_and_sizes_bound_symbols()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["7f0000001000 100 [Program]Old::Method()", "7f0000001000 80 [Program]New::Method()", "0x7f0000002000 0x10 Stub", "garbage line"]);
            var map = PerfMapSymbols.Load(path);
            Assert.True(map.TryResolve(0x7f0000001010, out var symbol));
            Assert.Equal(("[Program]New::Method()", 0x10UL, SymbolKind.Jit), (symbol.Name, symbol.Offset, symbol.Kind));
            Assert.False(map.TryResolve(0x7f0000002010, out _));
            Assert.True(map.TryResolve(0x7f000000200f, out var stub)); // .NET's "0x"-prefixed lines
            Assert.Equal("Stub", stub.Name);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Address_space_new_mappings_replace_what_they_overlap()
    {
        var space = new AddressSpace();
        space.Add(new Mapping(0x1000, 0x5000, 0, "/a"));
        space.Add(new Mapping(0x2000, 0x3000, 0x100, "/b"));
        Assert.Equal(["/a", "/b", "/a"], space.Mappings.Select(m => m.Path));
        Assert.True(space.TryFind(0x3800, out var tail));
        Assert.Equal(new Mapping(0x3000, 0x5000, 0x2000, "/a"), tail);
        Assert.False(space.TryFind(0x5000, out _));
    }

    [Fact]
    public void Maps_lines_parse()
    {
        Assert.True(ProcessMapsLine.TryParse("7f12a000-7f12b000 r-xp 00002000 08:01 1234   /usr/lib/libc.so.6", out var map));
        Assert.Equal(new ProcessMapsLine(0x7f12a000, 0x7f12b000, true, 0x2000, 8, 1, 1234, "/usr/lib/libc.so.6"), map);
        Assert.False(ProcessMapsLine.TryParse("nonsense", out _));
    }

    [Fact]
    public void Live_symbolizer_resolves_a_function_of_a_running_program()
    {
        var path = NativeProgram.Build("opens");
        using var child = new WaitingChild(path, "0", "0");
        var elf = Sharptrace.Bpf.Elf.ElfFile.Load(path);
        Assert.True(elf.TryFindSymbol("probe_target", out var symbol));
        var maps = AddressSpace.FromProc(child.Pid);
        var text = maps.Mappings.First(m => m.Path == path);
        var fileOffset = elf.GetFileOffset(symbol);
        var address = text.Start + fileOffset - text.FileOffset + 2;
        var resolved = Symbolizer.ForLiveProcesses().Resolve(child.Pid, address);
        Assert.Equal(("probe_target", 2UL, path, SymbolKind.User), (resolved.Name, resolved.Offset, resolved.Module, resolved.Kind));
    }

    [Fact]
    public void Vdso_frames_are_named_from_our_own_vdso_image()
    {
        var vdso = AddressSpace.FromProc(Environment.ProcessId).Mappings.FirstOrDefault(m => m.Path == "[vdso]");
        if (vdso.Path is null) Assert.Skip("no [vdso] mapping here");
        var symbolizer = Symbolizer.ForLiveProcesses(KernelSymbols.Parse(new StringReader("")));
        var names = new HashSet<string>();
        for (var address = vdso.Start; address < vdso.End; address += 8)
        {
            var resolved = symbolizer.Resolve(Environment.ProcessId, address);
            Assert.Equal("[vdso]", resolved.Module);
            if (resolved.Name is { } name) names.Add(name);
        }
        Assert.Contains(names, n => n.Contains("clock_gettime", StringComparison.Ordinal));
    }

    [Fact]
    public void Unnamed_addresses_print_raw_like_perf()
    {
        var symbolizer = Symbolizer.ForRecordedMappings(KernelSymbols.Parse(new StringReader("")));
        symbolizer.AddMapping(7, 0x7f0000000000, 0x10000, 0x2000, "/nonexistent/libgone.so");
        var inBinary = symbolizer.Resolve(7, 0x7f0000000123);
        Assert.Equal(("/nonexistent/libgone.so", "0x0000000000002123"), (inBinary.Module, inBinary.DisplayName));
        var nowhere = symbolizer.Resolve(7, 0x1234567);
        Assert.Equal(("[unknown]", "0x0000000001234567"), (nowhere.Module, nowhere.DisplayName));
        Assert.Equal("[unknown]", ResolvedSymbol.Unknown.DisplayName);
    }

    [Fact]
    public void Jit_code_added_to_the_perf_map_later_is_found()
    {
        var dir = Directory.CreateTempSubdirectory("sharptrace-perfmap-").FullName;
        try
        {
            var map = Path.Combine(dir, "perf-4242.map");
            File.WriteAllLines(map, ["7f0000001000 100 First"]);
            var symbolizer = Symbolizer.ForRecordedMappings(KernelSymbols.Parse(new StringReader("")));
            symbolizer.PerfMapDirectory = dir;
            Assert.Equal("First", symbolizer.Resolve(4242, 0x7f0000001010).Name);
            Assert.Null(symbolizer.Resolve(4242, 0x7f0000002010).Name);
            File.AppendAllLines(map, ["7f0000002000 100 Later"]);
            Thread.Sleep(600);
            Assert.Equal("Later", symbolizer.Resolve(4242, 0x7f0000002020).Name);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Elf_symbols_load_lazily_and_resolve_libc_functions()
    {
        var libc = AddressSpace.FromProc(Environment.ProcessId).Mappings.Select(m => m.Path).FirstOrDefault(p => Path.GetFileName(p).StartsWith("libc.so", StringComparison.Ordinal));
        if (libc is null) Assert.Skip("libc is not mapped");
        var elf = Sharptrace.Bpf.Elf.ElfFile.Load(libc);
        Assert.True(elf.TryFindSymbol("getpid", out var getpid));
        var symbols = SharedBinaryCache.Get(libc);
        Assert.Same(symbols, SharedBinaryCache.Get(libc));
        Assert.True(symbols.TryResolveFileOffset(elf.GetFileOffset(getpid) + 1, out var name, out var offset));
        Assert.Equal(1UL, offset);
        Assert.Contains(name, new[] { "getpid", "__getpid" });
        Assert.True(symbols.MemoryBytes < 4 << 20, $"{symbols.MemoryBytes} bytes");
    }

    [Fact]
    public void Symbols_found_through_mappings_name_themselves_on_demand_and_compare_equal()
    {
        var libc = AddressSpace.FromProc(Environment.ProcessId).Mappings.FirstOrDefault(m => Path.GetFileName(m.Path).StartsWith("libc.so", StringComparison.Ordinal));
        if (libc.Path is null) Assert.Skip("libc is not mapped");
        var elf = Sharptrace.Bpf.Elf.ElfFile.Load(libc.Path);
        Assert.True(elf.TryFindSymbol("getpid", out var getpid));
        var symbolizer = Symbolizer.ForRecordedMappings(KernelSymbols.Parse(new StringReader("")));
        symbolizer.AddMapping(9, 0x7f0000000000, libc.End - libc.Start, libc.FileOffset, libc.Path);
        var address = 0x7f0000000000 + elf.GetFileOffset(getpid) - libc.FileOffset + 2;
        var first = symbolizer.Resolve(9, address);
        var again = symbolizer.Resolve(9, address);
        Assert.True(first.HasName);
        Assert.Equal(first, again);
        Assert.Contains(first.Name, new[] { "getpid", "__getpid" });
        Assert.Equal(2UL, first.Offset);
        Assert.Equal($"{first.Name}+0x2", first.ToString());
        var renamed = first with { Name = "other" };
        Assert.Equal("other", renamed.Name);
        Assert.NotEqual(first, renamed);
    }
}
