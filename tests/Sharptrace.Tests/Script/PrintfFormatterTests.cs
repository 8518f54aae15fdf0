using Sharptrace.Script.Runtime;

namespace Sharptrace.Tests.Script;

public class PrintfFormatterTests
{
    [Theory]
    [InlineData("%d", -1L, "-1")]
    [InlineData("%u", -1L, "4294967295")]
    [InlineData("%lu", -1L, "18446744073709551615")]
    [InlineData("%lld", -1L, "-1")]
    [InlineData("%d", 4294967297L, "1")]
    [InlineData("%ld", 4294967297L, "4294967297")]
    [InlineData("%5d|", 42L, "   42|")]
    [InlineData("%-5d|", 42L, "42   |")]
    [InlineData("%05d", -42L, "-0042")]
    [InlineData("%x", 255L, "ff")]
    [InlineData("%X", 255L, "FF")]
    [InlineData("%08x", 255L, "000000ff")]
    [InlineData("%o", 8L, "10")]
    [InlineData("%c", 65L, "A")]
    [InlineData("%p", 4096L, "0x1000")]
    [InlineData("%hhd", 255L, "-1")]
    [InlineData("%hu", 65537L, "1")]
    [InlineData("%%", 0L, "%%")]
    [InlineData("%.3d", 7L, "007")]
    public void Integers(string format, long value, string expected) =>
        Assert.Equal(expected, PrintfFormatter.Format(format, _ => value));

    [Theory]
    [InlineData("%s", "abc", "abc")]
    [InlineData("%-6s|", "abc", "abc   |")]
    [InlineData("%6s|", "abc", "   abc|")]
    [InlineData("%.2s", "abc", "ab")]
    public void Strings(string format, string value, string expected) =>
        Assert.Equal(expected, PrintfFormatter.Format(format, _ => value));

    [Fact]
    public void SeveralArguments() =>
        Assert.Equal("pid 7 comm bash\n", PrintfFormatter.Format("pid %d comm %s\n", i => i == 0 ? 7L : "bash"));
}
