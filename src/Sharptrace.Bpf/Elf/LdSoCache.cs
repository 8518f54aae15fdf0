using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Sharptrace.Bpf.Elf;

/// <summary>
/// The dynamic linker's library cache, /etc/ld.so.cache, as written by ldconfig: which file each
/// library soname (libc.so.6) maps to. Reads the "glibc-ld.so.cache1.1" format, alone or after
/// the legacy "ld.so-1.7.0" table.
/// </summary>
public sealed class LdSoCache
{
    /// <summary>Where ldconfig writes the cache.</summary>
    public const string DefaultPath = "/etc/ld.so.cache";

    private const string LegacyMagic = "ld.so-1.7.0";
    private const string Magic = "glibc-ld.so.cache1.1";
    private const int HeaderSize = 48;
    private const int EntrySize = 24;
    private const int LegacyEntrySize = 12;
    private const int FlagElfLibc6 = 0x0003;

    private LdSoCache(IReadOnlyList<LdSoCacheEntry> entries) => Entries = entries;

    /// <summary>Every entry in cache order (ldconfig sorts them so that preferred ones come first).</summary>
    public IReadOnlyList<LdSoCacheEntry> Entries { get; }

    /// <summary>An empty cache, for systems without one.</summary>
    public static LdSoCache Empty { get; } = new([]);

    /// <summary>Reads /etc/ld.so.cache, or gives <see cref="Empty"/> when it is missing or unreadable.</summary>
    public static LdSoCache LoadDefault()
    {
        try
        {
            return File.Exists(DefaultPath) ? Parse(File.ReadAllBytes(DefaultPath)) : Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return Empty;
        }
    }

    /// <summary>Parses the bytes of an ld.so.cache file.</summary>
    /// <exception cref="FormatException">Unknown format or entries that point outside the file.</exception>
    public static LdSoCache Parse(ReadOnlySpan<byte> data)
    {
        var start = 0;
        if (data.StartsWith(Encoding.ASCII.GetBytes(LegacyMagic)))
        {
            // Legacy header: magic (11 bytes, padded to 12), nlibs; new format follows, 8-aligned.
            if (data.Length < 16)
                throw new FormatException("ld.so.cache: truncated legacy header");
            var legacyCount = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
            var end = 16 + (long)legacyCount * LegacyEntrySize;
            start = (int)Math.Min((end + 7) & ~7L, data.Length);
        }
        var cache = data[start..];
        if (cache.Length < HeaderSize || !cache.StartsWith(Encoding.ASCII.GetBytes(Magic)))
            throw new FormatException("ld.so.cache: not in the glibc-ld.so.cache1.1 format");
        var count = BinaryPrimitives.ReadUInt32LittleEndian(cache[20..]);
        if (count > (cache.Length - HeaderSize) / EntrySize)
            throw new FormatException($"ld.so.cache: {count} entries do not fit in the file");
        var entries = new LdSoCacheEntry[count];
        for (var i = 0; i < entries.Length; i++)
        {
            var e = cache.Slice(HeaderSize + i * EntrySize, EntrySize);
            entries[i] = new LdSoCacheEntry(
                ReadString(cache, BinaryPrimitives.ReadUInt32LittleEndian(e[4..])),
                ReadString(cache, BinaryPrimitives.ReadUInt32LittleEndian(e[8..])),
                BinaryPrimitives.ReadInt32LittleEndian(e));
        }
        return new LdSoCache(entries);
    }

    // String offsets of the new format are relative to its own header.
    private static string ReadString(ReadOnlySpan<byte> cache, uint offset)
    {
        if (offset >= (uint)cache.Length)
            throw new FormatException($"ld.so.cache: string offset {offset} outside the file");
        var rest = cache[(int)offset..];
        var nul = rest.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? rest : rest[..nul]);
    }

    /// <summary>
    /// The path of the first entry for this process's architecture whose soname is
    /// <paramref name="soname"/> exactly (libc.so.6), or that starts with <paramref name="soname"/>
    /// + ".so" when no version is given (libc → libc.so.6).
    /// </summary>
    public string? Find(string soname)
    {
        var required = RequiredFlags();
        string? prefixMatch = null;
        foreach (var entry in Entries)
        {
            if ((entry.Flags & 0xff) != FlagElfLibc6 || (required is { } r && (entry.Flags & 0xff00) != r))
                continue;
            if (entry.Soname == soname)
                return entry.Path;
            if (prefixMatch is null && entry.Soname.StartsWith(soname + ".so", StringComparison.Ordinal))
                prefixMatch = entry.Path;
        }
        return prefixMatch;
    }

    // ldconfig tags 64-bit libraries with an architecture word so that multilib caches can hold
    // 32-bit ones beside them (FLAG_X8664_LIB64, FLAG_AARCH64_LIB64).
    private static int? RequiredFlags() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 0x0300,
        Architecture.Arm64 => 0x0a00,
        _ => null,
    };
}

/// <summary>One ld.so.cache entry.</summary>
/// <param name="Soname">The library name the linker looks for (libc.so.6).</param>
/// <param name="Path">The file that provides it.</param>
/// <param name="Flags">Type and architecture flags (0x0303 = ELF libc6, x86-64).</param>
public readonly record struct LdSoCacheEntry(string Soname, string Path, int Flags);
