using Sharptrace.Tracing.DynamicEvents;

namespace Sharptrace.Tests.Ftrace;

/// <summary>kprobe_events/uprobe_events lines parsed into fetch trees and types (pure, no kernel).</summary>
public sealed class FetchArgumentTests
{
    [Fact]
    public void ParsesAListedKprobeLine()
    {
        var definition = DynamicEventDefinition.Parse("r16:sharptrace/open__return do_sys_openat2 ret=$retval:s32 %ax", isUser: false)!;
        Assert.Equal(("sharptrace", "open__return", true, false, "do_sys_openat2"), (definition.Group, definition.Name, definition.IsReturn, definition.IsUser, definition.Location));
        Assert.Equal(["ret", "arg2"], definition.Arguments.Select(a => a.Name));
        Assert.Equal(new ReturnValueFetch(), definition.Arguments[0].Fetch);
        Assert.Equal(("s32", 4, true), (definition.Arguments[0].Type.Name, definition.Arguments[0].Type.Size, definition.Arguments[0].Type.Signed));
        Assert.Equal(FetchType.Default, definition.Arguments[1].Type);
        Assert.Null(DynamicEventDefinition.Parse("e:synthetic/x sched.sched_switch", isUser: false));
    }

    [Theory]
    [InlineData("name=+0(%si):string", false, "MemoryFetch { Offset = 0, Address = RegisterFetch { Name = si }, User = False }", "string")]
    [InlineData("x=-8(+u16(%di)):u16", false, "MemoryFetch { Offset = -8, Address = MemoryFetch { Offset = 16, Address = RegisterFetch { Name = di }, User = True }, User = False }", "u16")]
    [InlineData("a=$arg2:x32", false, "FunctionArgumentFetch { Number = 2 }", "x32")]
    [InlineData("s=$stack3", true, "StackFetch { Index = 3 }", "x64")]
    [InlineData("sp=$stack", true, "StackFetch { Index = -1 }", "x64")]
    [InlineData("j=@jiffies+8:u64", false, "MemoryFetch { Offset = 0, Address = SymbolFetch { Symbol = jiffies, Offset = 8 }, User = False }", "u64")]
    [InlineData("k=\\0x10", false, "ImmediateFetch { Value = 16 }", "x64")]
    [InlineData("c=$comm", true, "CommFetch { }", "string")]
    [InlineData("b=+0(%di):b3@2/8", true, "MemoryFetch { Offset = 0, Address = RegisterFetch { Name = di }, User = False }", "b3@2/8")]
    public void ParsesFetchesAndTypes(string text, bool isUser, string fetch, string type)
    {
        var argument = FetchArgument.Parse(text, 1, isUser, isReturn: false);
        Assert.Null(argument.Problem);
        Assert.Equal(fetch, argument.Fetch!.ToString());
        Assert.Equal(type, argument.Type.Name);
    }

    [Theory]
    [InlineData("v=+0(%si):u8[4]", "arrays (u8[4]) are not supported")]
    [InlineData("v=%si:string", "string needs a memory fetch such as +0(%si)")]
    [InlineData("v=@+0x1000", "uprobe file offsets (@+OFFSET) are not supported")]
    [InlineData("v=$retval", "$retval needs a return probe")]
    [InlineData("v=%si:float", "unknown type 'float'")]
    [InlineData("v=foo->bar", "'foo->bar' is not supported")]
    [InlineData("v=+0(%si):symstr", "symstr is not supported")]
    public void WhatBpfCannotRecomputeHasAProblem(string text, string problem)
    {
        Assert.Equal(problem, FetchArgument.Parse(text, 1, isUser: true, isReturn: false).Problem);
    }

    [Fact]
    public void BitfieldsAreCheckedAgainstTheirContainer()
    {
        Assert.Equal((3, 2, 1), FetchType.Parse("b3@2/8") is { } t ? (t.BitWidth, t.BitOffset, t.Size) : default);
        Assert.Null(FetchType.Parse("b7@4/8"));
        Assert.Null(FetchType.Parse("u12"));
    }
}
