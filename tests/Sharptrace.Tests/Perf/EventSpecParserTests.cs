using Sharptrace.Kernel.Uapi;
using Sharptrace.Tracing.Perf;

namespace Sharptrace.Tests.Perf;

public class EventSpecParserTests
{
    private static IEnumerable<(string, string, ulong)> FakeTracepoints(string pattern)
    {
        (string, string, ulong)[] all = [("syscalls", "sys_enter_openat", 10), ("syscalls", "sys_enter_open", 11), ("sched", "sched_switch", 12)];
        var colon = pattern.IndexOf(':');
        return all.Where(t => Glob.Matches(pattern.AsSpan(0, colon), t.Item1) && Glob.Matches(pattern.AsSpan(colon + 1), t.Item2));
    }

    [Theory]
    [InlineData("task-clock", PerfType.Software, 1)]
    [InlineData("cs", PerfType.Software, 3)]
    [InlineData("faults", PerfType.Software, 2)]
    [InlineData("major-faults", PerfType.Software, 6)]
    [InlineData("cycles", PerfType.Hardware, 0)]
    [InlineData("branch-misses", PerfType.Hardware, 5)]
    [InlineData("r1a2b", PerfType.Raw, 0x1a2b)]
    public void Symbolic_and_raw_names(string name, PerfType type, ulong config)
    {
        var spec = Assert.Single(EventSpecParser.Parse([name], FakeTracepoints));
        Assert.Equal((type, config), (spec.Type, spec.Config));
    }

    [Fact]
    public void Aliases_show_perfs_canonical_name() => Assert.Equal("context-switches", EventSpecParser.Parse(["cs"], FakeTracepoints)[0].Name);

    [Fact]
    public void Modifiers_exclude_a_mode()
    {
        var user = EventSpecParser.Parse(["cycles:u"], FakeTracepoints)[0];
        var kernel = EventSpecParser.Parse(["page-faults:k"], FakeTracepoints)[0];
        Assert.True(user.ExcludeKernel && !user.ExcludeUser);
        Assert.True(kernel.ExcludeUser && !kernel.ExcludeKernel);
        Assert.Equal("cycles:u", user.Name);
    }

    [Fact]
    public void Comma_lists_and_tracepoint_globs_expand()
    {
        var specs = EventSpecParser.Parse(["task-clock,syscalls:sys_enter_open*", "sched:sched_switch"], FakeTracepoints);
        Assert.Equal(["task-clock", "syscalls:sys_enter_openat", "syscalls:sys_enter_open", "sched:sched_switch"], specs.Select(s => s.Name));
        Assert.Equal(PerfType.Tracepoint, specs[1].Type);
        Assert.Equal(10UL, specs[1].Config);
    }

    [Theory]
    [InlineData("nosuch")]
    [InlineData("nosuch:thing")]
    [InlineData("syscalls:sys_enter_zzz*")]
    public void Unknown_events_are_one_clear_error(string name)
    {
        var e = Assert.Throws<UnknownEventException>(() => EventSpecParser.Parse([name], FakeTracepoints));
        Assert.Contains(name, e.Message);
        Assert.IsAssignableFrom<ArgumentException>(e);
    }

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("sys_enter_*", "sys_enter_openat", true)]
    [InlineData("sys_enter_?pen", "sys_enter_open", true)]
    [InlineData("sys_enter_?pen", "sys_enter_openat", false)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    public void Globs(string pattern, string text, bool matches) => Assert.Equal(matches, Glob.Matches(pattern, text));
}
