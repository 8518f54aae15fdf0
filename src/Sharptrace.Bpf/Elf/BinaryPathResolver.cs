namespace Sharptrace.Bpf.Elf;

/// <summary>
/// Turns what a user writes in a uprobe (<c>libc</c>, <c>libc.so.6</c>, <c>bash</c>,
/// <c>/usr/bin/bash</c>) into the path of a file: libraries through ld.so.cache and the usual
/// library directories, plain names through PATH. Path logic and File.Exists only.
/// </summary>
public sealed class BinaryPathResolver
{
    private static readonly string[] DefaultLibraryDirectories =
    [
        "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
        "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib",
    ];

    private readonly string[] searchPath;
    private readonly IReadOnlyList<string> libraryDirectories;
    private readonly Lazy<LdSoCache> cache;

    /// <summary>Creates a resolver; nulls mean the process's PATH, the usual library directories and /etc/ld.so.cache.</summary>
    public BinaryPathResolver(string? pathVariable = null, IReadOnlyList<string>? libraryDirectories = null, LdSoCache? cache = null)
    {
        searchPath = (pathVariable ?? Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries);
        this.libraryDirectories = libraryDirectories ?? DefaultLibraryDirectories;
        this.cache = cache is null ? new(LdSoCache.LoadDefault) : new(cache);
    }

    /// <summary>A resolver over this process's environment.</summary>
    public static BinaryPathResolver Default { get; } = new();

    /// <summary>Resolves a binary or library name to an existing file's full path (symlinks followed).</summary>
    /// <exception cref="FileNotFoundException">Nothing matches; the message says where it looked.</exception>
    public string Resolve(string name) =>
        TryResolve(name) ?? throw new FileNotFoundException(
            LooksLikeLibrary(name)
                ? $"library '{name}' not found in ld.so.cache or {string.Join(", ", libraryDirectories)}"
                : $"'{name}' not found in PATH ({string.Join(':', searchPath)})", name);

    /// <summary>As <see cref="Resolve"/>, or null when nothing matches.</summary>
    public string? TryResolve(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/'))
            return File.Exists(name) ? RealPath(name) : null;
        return LooksLikeLibrary(name)
            ? TryResolveLibrary(name) ?? TryResolveExecutable(name)
            : TryResolveExecutable(name) ?? TryResolveLibrary(name);
    }

    /// <summary>Finds an executable by name in PATH.</summary>
    public string? TryResolveExecutable(string name)
    {
        foreach (var directory in searchPath)
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
                return RealPath(candidate);
        }
        return null;
    }

    /// <summary>
    /// Finds a shared library: <c>libc</c> or <c>c</c> or <c>libc.so.6</c>, through ld.so.cache first,
    /// then the library directories, preferring a versioned file (libc.so.6) to a bare libc.so, which
    /// is often a linker script.
    /// </summary>
    public string? TryResolveLibrary(string name)
    {
        foreach (var candidate in LibraryNames(name))
        {
            if (cache.Value.Find(candidate) is { } cached && File.Exists(cached))
                return RealPath(cached);
        }
        foreach (var candidate in LibraryNames(name))
        {
            foreach (var directory in libraryDirectories)
            {
                if (!Directory.Exists(directory))
                    continue;
                if (candidate.Contains(".so", StringComparison.Ordinal) && IsElfFile(Path.Combine(directory, candidate)))
                    return RealPath(Path.Combine(directory, candidate));
                var versioned = Directory.EnumerateFiles(directory, candidate + ".so.*")
                    .Order(StringComparer.Ordinal)
                    .FirstOrDefault(IsElfFile);
                if (versioned is not null)
                    return RealPath(versioned);
                if (IsElfFile(Path.Combine(directory, candidate + ".so")))
                    return RealPath(Path.Combine(directory, candidate + ".so"));
            }
        }
        return null;
    }

    private static IEnumerable<string> LibraryNames(string name)
    {
        yield return name;
        if (!name.StartsWith("lib", StringComparison.Ordinal))
            yield return "lib" + name;
    }

    private static bool LooksLikeLibrary(string name) =>
        name.StartsWith("lib", StringComparison.Ordinal) || name.Contains(".so", StringComparison.Ordinal);

    private static bool IsElfFile(string path)
    {
        if (!File.Exists(path))
            return false;
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> magic = stackalloc byte[4];
            return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && ElfFile.HasElfMagic(magic);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            return File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException)
        {
            return full;
        }
    }
}
