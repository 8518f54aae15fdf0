using Sharptrace.Tests.Support;
using Sharptrace.Tracing.Symbols;

namespace Sharptrace.Tests.Perf;

/// <summary>Our C++ and Rust demanglers against binutils' c++filt as the reference.</summary>
public class DemanglerTests
{
    [Theory]
    [InlineData("_ZNSt6vectorIiSaIiEE9push_backERKi", "std::vector<int, std::allocator<int> >::push_back(int const&)")]
    [InlineData("_Z1fPFviE", "f(void (*)(int))")]
    [InlineData("_Z1fPA10_i", "f(int (*) [10])")]
    [InlineData("_Z3maxIiET_S0_S0_", "int max<int>(int, int)")]
    [InlineData("_ZNK3Foo3barEv", "Foo::bar() const")]
    [InlineData("_Z3foov.isra.0.cold", "foo() [clone .isra.0] [clone .cold]")]
    [InlineData("_ZN12_GLOBAL__N_13fooEv", "(anonymous namespace)::foo()")]
    [InlineData("_ZZ4mainENKUlvE_clEv", "main::{lambda()#1}::operator()() const")]
    [InlineData("_ZTV3Foo", "vtable for Foo")]
    [InlineData("_Z1fIJidEEvDpT_", "void f<int, double>(int, double)")]
    [InlineData("_ZN1AltIiEEbv", "bool A::operator< <int>()")]
    [InlineData("_ZNSsC1Ev", "std::basic_string<char, std::char_traits<char>, std::allocator<char> >::basic_string()")]
    [InlineData("_ZN3fooB5cxx11Ev", "foo[abi:cxx11]()")]
    [InlineData("_ZN4core3ptr13drop_in_place17h1234567890abcdefE", "core::ptr::drop_in_place")]
    [InlineData("_ZN4core3fmt9Formatter3pad17h0123456789abcdefE", "core::fmt::Formatter::pad")]
    [InlineData("_ZN49_$LT$alloc..vec..Vec$LT$T$GT$$u20$as$u20$Drop$GT$4drop17h0123456789abcdefE", "<alloc::vec::Vec<T> as Drop>::drop")]
    [InlineData("_RNvCs1234_7mycrate3foo", "mycrate::foo")]
    [InlineData("_RNvNtCs1234_7mycrate5inner3bar", "mycrate::inner::bar")]
    [InlineData("_RNCNvCs1234_7mycrate4main0", "mycrate::main::{closure#0}")]
    [InlineData("hot_a", "hot_a")]
    [InlineData("_Z", "_Z")]
    [InlineData("_ZN3FooE", "Foo")]
    [InlineData("_Z1fIXadL_Z1gvEEEvv", "_Z1fIXadL_Z1gvEEEvv")]
    public void Known_names_demangle_like_cxxfilt(string mangled, string expected) =>
        Assert.Equal(expected, Demangler.Demangle(mangled));

    [Fact]
    public void Libstdcxx_exports_demangle_exactly_as_cxxfilt_prints_them()
    {
        var cxxfilt = Oracles.Require("c++filt");
        var nm = Oracles.Require("nm");
        var library = Directory.GetFiles("/usr/lib/x86_64-linux-gnu", "libstdc++.so.6*").Order(StringComparer.Ordinal).FirstOrDefault();
        if (library is null) Assert.Skip("libstdc++.so.6 is not installed");
        var listed = ProcessRunner.Run(nm, ["-D", "--defined-only", "--without-symbol-versions", library]);
        var names = listed.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[^1]).Where(n => n.StartsWith("_Z", StringComparison.Ordinal)).Distinct().ToArray();
        Assert.True(names.Length > 1000, listed.ToString());
        var expected = ProcessRunner.Run(cxxfilt, [], stdin: string.Join('\n', names) + "\n").StdOut.Split('\n');
        var same = 0;
        var wrong = new List<string>();
        for (var i = 0; i < names.Length; i++)
        {
            var ours = Demangler.Demangle(names[i]);
            if (ours == expected[i]) same++;
            else if (ours != names[i]) wrong.Add($"{names[i]}\n  c++filt: {expected[i]}\n  ours:    {ours}");
        }
        // Names we cannot demangle stay mangled (fine); a different demangling is a bug.
        Assert.True(same >= names.Length * 0.98, $"{same} of {names.Length} identical");
        Assert.True(wrong.Count <= names.Length / 500, string.Join('\n', wrong.Take(10)));
    }

    [Fact]
    public void Garbage_never_throws()
    {
        var random = new Random(7);
        const string alphabet = "_ZNRSTEIJLKPVO0123456789abcdefghijklmnopqrstuvwxyzCDF";
        for (var n = 0; n < 20_000; n++)
        {
            var text = "_" + (n % 2 == 0 ? "Z" : "R") + new string(Enumerable.Range(0, random.Next(1, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            _ = Demangler.Demangle(text);
        }
    }
}
