using Sharptrace.Bpf.Elf;

namespace Sharptrace.Tests.Elf;

public class ElfRealBinaryTests(CompiledProgramFixture program) : IClassFixture<CompiledProgramFixture>
{
    private static string Libc =>
        BinaryPathResolver.Default.TryResolve("libc") ?? throw new InvalidOperationException("libc not found on this machine");

    private static void RequireReadElf() => Assert.SkipUnless(ReadElfOracle.Available, "readelf (binutils) not installed");

    private void RequireProgram() => Assert.SkipWhen(program.Skipped is not null, program.Skipped ?? "");

    [Fact]
    public void BinTrueHeadersSectionsAndSegments()
    {
        var elf = ElfFile.Load("/bin/true");
        Assert.True(elf.Header.Is64Bit);
        Assert.False(elf.Header.IsBigEndian);
        Assert.Equal(ElfHeader.MachineX86_64, elf.Header.Machine);
        Assert.Contains(elf.Header.Type, new[] { ElfFileType.SharedObject, ElfFileType.Executable });
        Assert.Contains(elf.Segments, s => s.Type == ElfSegmentType.Load && s.IsExecutable);
        Assert.Contains("ld-linux", elf.Interpreter);
        Assert.NotEmpty(elf.DynamicSymbols);
        Assert.Contains(elf.DynamicSymbols, s => !s.IsDefined && s.IsDynamic);
        if (ReadElfOracle.Available)
            Assert.Equal(ReadElfOracle.SectionNames("/bin/true"), elf.Sections.Select(s => s.Name));
    }

    [Fact]
    public void BinTrueNotesAndDebugLink()
    {
        RequireReadElf();
        var elf = ElfFile.Load("/bin/true");
        var notes = ExternalTool.Run("readelf", ["-n", "/bin/true"]);
        var buildId = notes.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Build ID: ", StringComparison.Ordinal));
        Assert.Equal(buildId?["Build ID: ".Length..], elf.BuildId);
        Assert.Contains(elf.Notes, n => n.Owner == "GNU");
        if (elf.FindSection(".gnu_debuglink") is not null)
        {
            var link = elf.DebugLink!.Value;
            Assert.EndsWith(".debug", link.FileName);
            var dump = ExternalTool.Run("readelf", ["--string-dump=.gnu_debuglink", "/bin/true"]);
            Assert.Contains(link.FileName, dump);
        }
    }

    [Fact]
    public void LibcMallocOffsetMatchesReadElf()
    {
        RequireReadElf();
        var libc = Libc;
        var elf = ElfFile.Load(libc);
        Assert.Equal(ElfFileType.SharedObject, elf.Header.Type);
        Assert.Equal(ReadElfOracle.UprobeOffset(libc, "malloc"), elf.GetUprobeOffset("malloc"));
        Assert.Equal(ReadElfOracle.UprobeOffset(libc, "free"), ElfFile.ResolveUprobeOffset(libc, "free"));
        Assert.True(elf.TryFindSymbol("malloc", out var malloc));
        Assert.True(malloc.IsDefinedFunction);
        Assert.Equal(ElfSymbolBinding.Global, malloc.Binding);
    }

    [Fact]
    public void MissingSymbolNamesBinaryAndSymbol()
    {
        var error = Assert.Throws<SymbolNotFoundException>(() => ElfFile.ResolveUprobeOffset("/bin/true", "no_such_function_here"));
        Assert.Equal("/bin/true", error.Binary);
        Assert.Equal("no_such_function_here", error.Symbol);
        Assert.Contains("no_such_function_here", error.Message);
        Assert.Contains("/bin/true", error.Message);
        // An import is not a definition: probing it here would be wrong.
        var import = ElfFile.Load("/bin/true").DynamicSymbols.First(s => !s.IsDefined && s.Type == ElfSymbolType.Func);
        Assert.Contains("imported", Assert.Throws<SymbolNotFoundException>(() => ElfFile.ResolveUprobeOffset("/bin/true", import.Name)).Message);
    }

    [Fact]
    public void NonElfFileIsATypedError()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "#!/bin/sh\necho not elf\n");
            var error = Assert.Throws<ElfFormatException>(() => ElfFile.Load(path));
            Assert.Equal(path, error.Path);
            Assert.Contains("not an ELF file", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("/dev/zero")] // endless: once read forever (the script fuzzer's uprobe:/dev/zero:main)
    [InlineData("/dev/null")]
    [InlineData("/proc/self/status")]
    public void SpecialFilesAreATypedErrorWithoutReadingThem(string path)
    {
        var error = Assert.Throws<ElfFormatException>(() => ElfFile.Load(path));
        Assert.Contains("empty, or not a regular file", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CompiledProgramOffsetsMatchReadElf(bool pie)
    {
        RequireProgram();
        RequireReadElf();
        var path = pie ? program.Pie : program.NonPie;
        var elf = ElfFile.Load(path);
        Assert.Equal(pie ? ElfFileType.SharedObject : ElfFileType.Executable, elf.Header.Type);
        foreach (var function in new[] { "probe_me", "main", "local_helper" })
            Assert.Equal(ReadElfOracle.UprobeOffset(path, function), elf.GetUprobeOffset(function));
        Assert.True(elf.TryFindSymbol("local_helper", out var local));
        Assert.Equal(ElfSymbolBinding.Local, local.Binding);
        Assert.True(elf.TryFindSymbol("global_sample", out var data));
        Assert.Equal(ElfSymbolType.Object, data.Type);
        Assert.Contains("not a function", Assert.Throws<SymbolNotFoundException>(() => elf.GetUprobeOffset("global_sample")).Message);
        if (!pie)
        {
            // A non-PIE executable is linked at a fixed base; its offsets are the address minus that base.
            var text = elf.Segments.First(s => s.Type == ElfSegmentType.Load && s.Offset == 0);
            Assert.True(text.VirtualAddress >= 0x400000);
            Assert.True(elf.TryFindSymbol("probe_me", out var probe));
            Assert.Equal(probe.Value - text.VirtualAddress, elf.GetUprobeOffset("probe_me"));
        }
    }

    [Fact]
    public void ObjectFileOffsetsAreSectionRelative()
    {
        RequireProgram();
        var elf = ElfFile.Load(program.Object);
        Assert.Equal(ElfFileType.Relocatable, elf.Header.Type);
        Assert.Empty(elf.Segments);
        Assert.True(elf.TryFindSymbol("probe_me", out var probe));
        var section = elf.Sections[probe.SectionIndex];
        Assert.Equal(section.Offset + probe.Value, elf.GetUprobeOffset("probe_me"));
    }

    [Fact]
    public void ResolvesLibrariesAndExecutables()
    {
        var libc = BinaryPathResolver.Default.Resolve("libc");
        Assert.Matches(@"/libc\.so\.6$|/libc-[0-9.]+\.so$", libc);
        Assert.Equal(libc, BinaryPathResolver.Default.Resolve("libc.so.6"));
        Assert.Equal(libc, BinaryPathResolver.Default.Resolve("c"));
        Assert.True(ElfFile.Load(libc).TryFindSymbol("malloc", out _));
        var trueBinary = BinaryPathResolver.Default.Resolve("true");
        Assert.EndsWith("/true", trueBinary);
        Assert.True(File.Exists(trueBinary));
        Assert.Equal("/bin/true", new BinaryPathResolver().Resolve("/bin/true")); // a path is taken as given
        Assert.Null(BinaryPathResolver.Default.TryResolve("libdefinitely_not_here"));
        Assert.Throws<FileNotFoundException>(() => BinaryPathResolver.Default.Resolve("definitely-not-a-command"));
    }

    [Fact]
    public void ResolverFallsBackToLibraryDirectoriesWithoutCache()
    {
        var resolver = new BinaryPathResolver(pathVariable: "/nonexistent", cache: LdSoCache.Empty);
        var libc = resolver.TryResolveLibrary("libc");
        Assert.NotNull(libc);
        Assert.True(ElfFile.HasElfMagic(File.ReadAllBytes(libc!).AsSpan(0, 4)));
        Assert.Null(resolver.TryResolveExecutable("true"));
    }

    [Fact]
    public void LdSoCacheAgreesWithLdconfig()
    {
        Assert.SkipUnless(File.Exists(LdSoCache.DefaultPath) && ExternalTool.Exists("ldconfig"), "no ld.so.cache or ldconfig");
        var cache = LdSoCache.LoadDefault();
        var first = ExternalTool.Run("ldconfig", ["-p"]).Split('\n')[0];
        Assert.StartsWith($"{cache.Entries.Count} libs found", first);
        Assert.EndsWith("libc.so.6", cache.Find("libc"));
        Assert.Throws<FormatException>(() => LdSoCache.Parse("not a cache"u8));
    }
}
