using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace Sharptrace.Tracing.Symbols;

/// <summary>
/// A read-only memory map of a whole file as <see cref="Memory{T}"/>: a symbol load touches only the
/// headers and the symbol and string tables of a binary, so reading all of a 100 MB library
/// (File.ReadAllBytes) would cost far more than the symbols. Dispose unmaps; nothing taken from
/// <see cref="MemoryManager{T}.Memory"/> may be used after that (copy what must outlive the map).
/// </summary>
public sealed unsafe class MappedFile : MemoryManager<byte>
{
    private readonly MemoryMappedFile map;
    private readonly MemoryMappedViewAccessor view;
    private readonly byte* pointer;
    private readonly int length;

    private MappedFile(MemoryMappedFile map, MemoryMappedViewAccessor view, int length)
    {
        this.map = map;
        this.view = view;
        this.length = length;
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        pointer = start + view.PointerOffset;
    }

    /// <summary>The file's size and modification time when it was opened (the key of the symbol cache).</summary>
    public (long Length, DateTime Modified) Identity { get; private init; }

    /// <summary>Maps <paramref name="path"/>; IOException for an empty, unreadable or over-2-GiB file.</summary>
    public static MappedFile Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        MemoryMappedFile map;
        long size;
        DateTime modified;
        try
        {
            size = stream.Length;
            if (size == 0) throw new IOException($"{path}: empty file");
            if (size > int.MaxValue) throw new IOException($"{path}: larger than 2 GiB");
            modified = File.GetLastWriteTimeUtc(path);
            map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        try
        {
            var view = map.CreateViewAccessor(0, size, MemoryMappedFileAccess.Read);
            return new MappedFile(map, view, (int)size) { Identity = (size, modified) };
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public override Span<byte> GetSpan() => new(pointer, length);

    /// <inheritdoc/>
    public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);

    /// <inheritdoc/>
    public override void Unpin() { }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        map.Dispose();
    }
}
