using System.Buffers.Binary;
using System.Text;

namespace Sharptrace.Tracing.Ftrace;

/// <summary>
/// Writes a sharptrace trace file: an 16-byte header ("STFTRACE", version, reserved) and typed,
/// length-prefixed sections, appended as the recording goes (pages are streamed, never held).
/// </summary>
public sealed class TraceFileWriter : IDisposable
{
    /// <summary>The file's first 8 bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "STFTRACE"u8;

    /// <summary>The format version this writer produces.</summary>
    public const uint Version = 1;

    private readonly Stream stream;
    private readonly byte[] sectionHeader = new byte[16];

    /// <summary>Starts a file on <paramref name="stream"/> (owned: disposed with the writer).</summary>
    public TraceFileWriter(Stream stream)
    {
        this.stream = stream;
        Span<byte> header = stackalloc byte[16];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Version);
        stream.Write(header);
    }

    /// <summary>Creates (or replaces) the file at <paramref name="path"/>.</summary>
    public static TraceFileWriter Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16));

    /// <summary>Bytes written so far.</summary>
    public long Length => stream.Position;

    /// <summary>Appends a section of <paramref name="kind"/> with <paramref name="payload"/>.</summary>
    public void WriteSection(TraceFileSection kind, ReadOnlySpan<byte> payload) => WriteSection(kind, [], payload);

    /// <summary>Appends a text section.</summary>
    public void WriteText(TraceFileSection kind, string text) => WriteSection(kind, Encoding.UTF8.GetBytes(text));

    /// <summary>Appends a section whose payload is a u32 cpu then <paramref name="payload"/> (pages, stats).</summary>
    public void WriteCpuSection(TraceFileSection kind, int cpu, ReadOnlySpan<byte> payload)
    {
        Span<byte> prefix = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, (uint)cpu);
        WriteSection(kind, prefix, payload);
    }

    private void WriteSection(TraceFileSection kind, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(sectionHeader, (uint)kind);
        BinaryPrimitives.WriteUInt32LittleEndian(sectionHeader.AsSpan(4), 0);
        BinaryPrimitives.WriteUInt64LittleEndian(sectionHeader.AsSpan(8), (ulong)(prefix.Length + payload.Length));
        stream.Write(sectionHeader);
        stream.Write(prefix);
        stream.Write(payload);
    }

    /// <summary>Flushes buffered data to the file.</summary>
    public void Flush() => stream.Flush();

    /// <inheritdoc />
    public void Dispose() => stream.Dispose();
}
