using Sharptrace.Bpf.Elf;

namespace Sharptrace.Tracing.Symbols;

/// <summary>
/// The symbols of the vDSO, the small ELF image the kernel maps into every process ("[vdso]" in
/// maps): there is no file to read, but the image is the same in every process of one kernel, so
/// ours, read from /proc/self/mem, names the clock_gettime and gettimeofday frames of any process.
/// </summary>
public static class VdsoSymbols
{
    /// <summary>The name perf gives the vDSO mapping.</summary>
    public const string Module = "[vdso]";

    private static readonly Lock Gate = new();
    private static ElfSymbols? symbols;
    private static bool loaded;

    /// <summary>This kernel's vDSO symbols, read once; null where the vDSO is absent or unreadable.</summary>
    public static ElfSymbols? Current
    {
        get
        {
            lock (Gate)
            {
                if (!loaded)
                {
                    loaded = true;
                    symbols = Read();
                }
                return symbols;
            }
        }
    }

    private static ElfSymbols? Read()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                if (!ProcessMapsLine.TryParse(line, out var map) || map.Path != Module) continue;
                var image = new byte[map.End - map.Start];
                using var memory = File.OpenHandle("/proc/self/mem");
                if (RandomAccess.Read(memory, image, (long)map.Start) != image.Length) return null;
                return ElfSymbols.Parse(image, Module);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ElfFormatException) { }
        return null;
    }
}
