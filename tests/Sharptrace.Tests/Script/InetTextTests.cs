using Sharptrace.Script.Runtime;

namespace Sharptrace.Tests.Script;

/// <summary>ntop()'s IPv6 text against glibc's inet_ntop (the expected strings are Python's socket.inet_ntop on glibc).</summary>
public class InetTextTests
{
    [Theory]
    [InlineData("00000000000000000000000000000001", "::1")]
    [InlineData("fe800000000000000000000000000001", "fe80::1")]
    [InlineData("20010db8000000000001000000000001", "2001:db8::1:0:0:1")]
    [InlineData("20010db8000000010001000100010001", "2001:db8:0:1:1:1:1:1")]
    [InlineData("00000000000000000000ffff01020304", "::ffff:1.2.3.4")]
    [InlineData("00000000000000000000000001020304", "::1.2.3.4")]
    [InlineData("00000000000000000000000000000000", "::")]
    [InlineData("20010db8000000000000000000000000", "2001:db8::")]
    [InlineData("0001000000000000000000000000ffff", "1::ffff")]
    [InlineData("20010000000000010000000000000000", "2001:0:0:1::")]
    [InlineData("00010000000200000000000000000000", "1:0:2::")]
    public void V6LikeGlibc(string hex, string expected) => Assert.Equal(expected, InetText.V6(Convert.FromHexString(hex)));

    [Fact]
    public void FamilyPicksTheForm()
    {
        var bytes = Convert.FromHexString("7f000001000000000000000000000000");
        Assert.Equal("127.0.0.1", InetText.Format(InetText.AfInet, bytes));
        Assert.Equal("7f00:1::", InetText.Format(InetText.AfInet6, bytes));
    }
}
