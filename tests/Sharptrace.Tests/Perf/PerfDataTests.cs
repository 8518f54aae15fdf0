using System.Buffers.Binary;
using Sharptrace.Kernel.Uapi;
using Sharptrace.Tracing.Perf;
using Sharptrace.Tracing.Symbols;

namespace Sharptrace.Tests.Perf;

public class PerfDataTests
{
    private static byte[] Sample(int pid, ulong time, params ulong[] chain)
    {
        // IP|TID|TIME|CPU|PERIOD|CALLCHAIN
        var bytes = new byte[8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 * (chain.Length + 1)];
        var s = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s, (uint)PerfRecordType.Sample);
        BinaryPrimitives.WriteUInt16LittleEndian(s[4..], PerfRecordMisc.User);
        BinaryPrimitives.WriteUInt16LittleEndian(s[6..], (ushort)bytes.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(s[8..], chain[0]);
        BinaryPrimitives.WriteInt32LittleEndian(s[16..], pid);
        BinaryPrimitives.WriteInt32LittleEndian(s[20..], pid);
        BinaryPrimitives.WriteUInt64LittleEndian(s[24..], time);
        BinaryPrimitives.WriteUInt64LittleEndian(s[40..], 1000);
        BinaryPrimitives.WriteUInt64LittleEndian(s[48..], (ulong)chain.Length + 1);
        BinaryPrimitives.WriteUInt64LittleEndian(s[56..], 0xfffffffffffffe00); // PERF_CONTEXT_USER
        for (var i = 0; i < chain.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(s[(64 + 8 * i)..], chain[i]);
        return bytes;
    }

    private static string WriteFile(Action<PerfDataWriter> body)
    {
        var path = Path.GetTempFileName();
        var attr = new PerfEventAttr
        {
            Type = PerfType.Software, Config = 0, SampleType = SamplingSession.SampleTypeFor(true),
            Flags = PerfEventFlags.SampleIdAll | PerfEventFlags.Freq, SamplePeriodOrFreq = 4000,
        };
        using var writer = new PerfDataWriter(path, attr, "cpu-clock", [7, 8]);
        body(writer);
        writer.Finish(["test"]);
        return path;
    }

    [Fact]
    public void Written_records_read_back_resolved_against_their_recorded_mappings_in_time_order()
    {
        var path = WriteFile(w =>
        {
            // The sample comes first in the file but after the mapping in time, as with two CPUs' rings.
            w.WriteRecord(Sample(42, time: 200, 0x401010, 0x402020));
            w.WriteRecord(SyntheticRecords.Comm(42, 42, "worker"));
            w.WriteRecord(SyntheticRecords.Mmap2(42, 42, 0x400000, 0x10000, 0, 0, 0, 0, 5, "/nonexistent/bin"));
        });
        try
        {
            var reader = PerfDataReader.Open(path);
            Assert.Equal("cpu-clock", reader.EventName);
            Assert.False(reader.Truncated);
            var profile = Profile.Load(reader, Symbolizer.ForRecordedMappings(KernelSymbols.Parse(new StringReader(""))));
            var sample = Assert.Single(profile.Samples);
            Assert.Equal(("worker", 42, 1000UL), (sample.Comm, sample.Pid, sample.Period));
            Assert.Equal(2, sample.Frames.Length);
            Assert.All(sample.Frames, f => Assert.Equal("/nonexistent/bin", f.Module));
            Assert.Equal("worker;[bin];[bin] 1\n", FoldedStacks.Render(profile));
            Assert.Contains("100.00%  worker", ReportTable.Render(profile, ReportTable.DefaultSort, callGraph: true));
            Assert.Contains("<svg", FlameGraphSvg.Render(profile));
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData(999, "999")]
    [InlineData(1000, "1000")]
    [InlineData(1001, "1K")]
    [InlineData(2999, "2K")]
    public void The_sample_count_is_abbreviated_as_perf_does(int count, string shown)
    {
        var path = WriteFile(w => { for (var i = 0; i < count; i++) w.WriteRecord(Sample(1, (ulong)i, 0x1000)); });
        try
        {
            var profile = Profile.Load(PerfDataReader.Open(path), Symbolizer.ForRecordedMappings(KernelSymbols.Parse(new StringReader(""))));
            Assert.Contains($"# Samples: {shown} of event 'cpu-clock'\n", ReportTable.Render(profile, ["sym"], callGraph: false));
            var perf = Sharptrace.Tests.Support.ProcessRunner.Run(Oracles.Require("perf"), ["report", "-i", path, "--stdio", "--sort", "sym"]);
            Assert.Matches($"# Samples: {shown} +of event 'cpu-clock'", perf.StdOut);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_truncated_file_reports_the_samples_before_the_cut()
    {
        var path = WriteFile(w => { for (var i = 0; i < 100; i++) w.WriteRecord(Sample(1, (ulong)i, 0x1000)); });
        try
        {
            var bytes = File.ReadAllBytes(path);
            var reader = PerfDataReader.Parse(bytes[..(PerfDataWriter.HeaderSize + 16 + 144 + 50 * 72 + 30)]);
            var profile = Profile.Load(reader, Symbolizer.ForRecordedMappings(KernelSymbols.Parse(new StringReader(""))));
            Assert.True(profile.Truncated);
            Assert.Equal(50, profile.Samples.Count);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData(new byte[0], "too short")]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }, "not a perf.data file")]
    public void Foreign_bytes_are_one_clear_error(byte[] bytes, string message)
    {
        var e = Assert.Throws<PerfDataFormatException>(() => PerfDataReader.Parse(bytes));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Header_damage_is_reported_with_its_offset()
    {
        var path = WriteFile(w => w.WriteRecord(Sample(1, 1, 0x1000)));
        try
        {
            var bytes = File.ReadAllBytes(path);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(24), 1UL << 40); // attrs offset far past the end
            var e = Assert.Throws<PerfDataFormatException>(() => PerfDataReader.Parse(bytes));
            Assert.Equal(24, e.Offset);
            var empty = WriteFile(_ => { });
            Assert.Contains("empty data section", Assert.Throws<PerfDataFormatException>(() => PerfDataReader.Open(empty)).Message);
            File.Delete(empty);
        }
        finally { File.Delete(path); }
    }
}
