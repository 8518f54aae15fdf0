namespace Sharptrace.Tests.Elf;

/// <summary>Compiles a small C program with gcc once per test run: non-PIE, PIE, and an object file with BTF.</summary>
public sealed class CompiledProgramFixture : IDisposable
{
    public const string Source = """
        #include <stdio.h>
        struct sample { int a; char b[4]; unsigned c : 3; unsigned d : 5; long e; };
        struct sample global_sample;
        enum sample_color { SAMPLE_RED = 1, SAMPLE_BLUE = 7 };
        __attribute__((noinline)) int probe_me(int x, const char *name) { return x + name[0]; }
        __attribute__((noinline)) static int local_helper(int y) { return y * 3; }
        int main(int argc, char **argv) { enum sample_color c = SAMPLE_BLUE; printf("%d\n", probe_me(argc, argv[0]) + local_helper(argc) + c); return 0; }
        """;

    private readonly string? directory;

    public CompiledProgramFixture()
    {
        if (!ExternalTool.Exists("gcc"))
        {
            Skipped = "gcc is not installed";
            return;
        }
        directory = Directory.CreateTempSubdirectory("sharptrace-elf-").FullName;
        var source = Path.Combine(directory, "sample.c");
        File.WriteAllText(source, Source);
        NonPie = Path.Combine(directory, "sample-nopie");
        Pie = Path.Combine(directory, "sample-pie");
        Object = Path.Combine(directory, "sample.o");
        ExternalTool.Run("gcc", ["-O1", "-g", "-fno-pie", "-no-pie", "-o", NonPie, source], 60_000);
        ExternalTool.Run("gcc", ["-O1", "-g", "-fPIE", "-pie", "-o", Pie, source], 60_000);
        try
        {
            ExternalTool.Run("gcc", ["-O1", "-gbtf", "-c", "-o", Object, source], 60_000);
        }
        catch (InvalidOperationException)
        {
            ExternalTool.Run("gcc", ["-O1", "-c", "-o", Object, source], 60_000);
        }
    }

    public string? Skipped { get; }

    public string NonPie { get; } = "";

    public string Pie { get; } = "";

    public string Object { get; } = "";

    public void Dispose()
    {
        if (directory is not null && Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }
}
