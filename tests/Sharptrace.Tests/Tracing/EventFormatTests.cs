using Sharptrace.Kernel;
using Sharptrace.Tests.Support;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Tests.Tracing;

public class EventFormatTests
{
    private const string SchedProcessExec = """
        name: sched_process_exec
        ID: 365
        format:
        	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
        	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;
        	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;
        	field:int common_pid;	offset:4;	size:4;	signed:1;

        	field:__data_loc char[] filename;	offset:8;	size:4;	signed:0;
        	field:pid_t pid;	offset:12;	size:4;	signed:1;
        	field:char comm[16];	offset:16;	size:16;	signed:0;
        	field:const char * name;	offset:32;	size:8;	signed:0;

        print fmt: "filename=%s pid=%d old_pid=%d", __get_str(filename), REC->pid, REC->old_pid
        """;

    [Fact]
    public void ParsesFieldsOfEveryKind()
    {
        var format = EventFormat.Parse(SchedProcessExec);
        Assert.Equal("sched_process_exec", format.Name);
        Assert.Equal(365, format.Id);
        Assert.Equal(8, format.Fields.Count);
        Assert.Equal(4, format.Fields.Count(f => f.IsCommon));
        var filename = format.Field("filename")!;
        Assert.True(filename.IsDataLoc);
        Assert.True(filename.IsString);
        Assert.Equal("char", filename.Type);
        Assert.Equal((8, 4), (filename.Offset, filename.Size));
        var pid = format.Field("pid")!;
        Assert.Equal(("pid_t", 12, 4, true), (pid.Type, pid.Offset, pid.Size, pid.IsSigned));
        var comm = format.Field("comm")!;
        Assert.Equal(16, comm.ArrayLength);
        Assert.True(comm.IsString);
        var name = format.Field("name")!;
        Assert.True(name.IsPointer);
        Assert.Equal("const char *", name.Type);
        Assert.StartsWith("\"filename=%s", format.PrintFormat);
        Assert.Equal(40, format.FixedSize);
    }

    [Theory]
    [InlineData("name: x\nID: 1\nformat:\n", "no fields")]
    [InlineData("name: x\nID: z\n", "bad ID")]
    [InlineData("field:int a;\toffset:x;\tsize:4;\tsigned:1;\n", "bad offset")]
    [InlineData("field:int;\toffset:0;\tsize:4;\tsigned:1;\n", "no type")]
    [InlineData("field:char a[16;\toffset:0;\tsize:4;\tsigned:1;\n", "unclosed")]
    public void MalformedFormatsRaiseTypedErrorsWithTheLine(string text, string message)
    {
        var e = Assert.Throws<EventFormatException>(() => EventFormat.Parse(text, "test"));
        Assert.Contains(message, e.Message);
        Assert.StartsWith("test:", e.Message);
    }

    [Fact]
    public void ParsesEveryFormatFileOfThisKernel()
    {
        Require.Root();
        var root = TraceFs.Root;
        var count = 0;
        foreach (var system in Directory.EnumerateDirectories(Path.Combine(root, "events")))
            foreach (var eventDir in Directory.EnumerateDirectories(system))
            {
                var path = Path.Combine(eventDir, "format");
                if (!File.Exists(path)) continue;
                var format = EventFormat.Parse(File.ReadAllText(path), path);
                Assert.True(format.Id > 0, path);
                Assert.Equal("common_type", format.Fields[0].Name);
                count++;
            }
        Assert.True(count > 500, $"only {count} events");
        var header = EventFormat.ParseFields(File.ReadAllText(Path.Combine(root, "events/header_page")));
        Assert.Contains(header, f => f.Name == "timestamp" && f.Size == 8);
        Assert.Contains(header, f => f.Name == "commit");
    }

    [Fact]
    public void FuzzedFormatsOnlyRaiseFormatErrors()
    {
        var random = new Random(1234);
        var seed = SchedProcessExec;
        for (var i = 0; i < 20000; i++)
        {
            var chars = seed.ToCharArray();
            var edits = random.Next(1, 8);
            for (var e = 0; e < edits; e++)
            {
                var at = random.Next(chars.Length);
                chars[at] = (char)random.Next(random.Next(2) == 0 ? 128 : 32);
            }
            var text = new string(chars, 0, random.Next(chars.Length + 1));
            try { EventFormat.Parse(text); }
            catch (EventFormatException) { }
        }
    }
}
