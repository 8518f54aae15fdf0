using Sharptrace.Bpf.Elf;

namespace Sharptrace.Tracing.Symbols;

/// <summary>
/// The symbols of binaries, shared by every <see cref="Symbolizer"/> of the process (perf top,
/// ustack in several scripts, report after record): keyed by path and the file's size and
/// modification time, so a rebuilt binary is read again, and held weakly, so tables nobody uses
/// any more can be collected.
/// </summary>
public static class SharedBinaryCache
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<(string Path, string DebugRoot), (long Length, DateTime Modified, WeakReference<ElfSymbols> Symbols)> Entries = [];

    /// <summary>The symbols of <paramref name="path"/>, from the cache while the file is unchanged; throws as <see cref="ElfSymbols.Load"/>.</summary>
    public static ElfSymbols Get(string path, string debugRoot = "/usr/lib/debug")
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path}: no such file", path);
        var (length, modified) = (info.Length, info.LastWriteTimeUtc);
        lock (Gate)
        {
            if (Entries.TryGetValue((path, debugRoot), out var entry) && entry.Length == length && entry.Modified == modified
                && entry.Symbols.TryGetTarget(out var cached))
                return cached;
        }
        var symbols = ElfSymbols.Load(path, debugRoot);
        lock (Gate) Entries[(path, debugRoot)] = (length, modified, new WeakReference<ElfSymbols>(symbols));
        return symbols;
    }

    /// <summary>Forgets every entry (tests measuring cold loads).</summary>
    public static void Clear()
    {
        lock (Gate) Entries.Clear();
    }
}
