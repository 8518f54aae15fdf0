using System.Text.RegularExpressions;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Script;

/// <summary>
/// The conformance suite (tests/conformance/cases): each script runs under ./sharptrace and, when
/// bpftrace is installed (tests/install-oracles.sh), under bpftrace on the same workload; stdout is
/// compared after the case's normalisations. Without bpftrace, the outputs bpftrace gave when
/// they were recorded (tests/conformance/expected, record.sh) are the reference. Header comments:
/// <c>// ARGS:</c> options, <c>// POSITIONAL:</c> script arguments, <c>// NORMALIZE: numbers | sort |
/// drop-lines-matching=REGEX</c>, <c>// EXPECT-ERROR: text</c> (both tools must fail; ours must say
/// text), <c>// EXTENSION: why</c> (bpftrace 0.17 cannot run it; the recorded output is ours, reviewed).
/// </summary>
public class ConformanceTests
{
    private static readonly string Root = Path.Combine(SharptraceBinary.RepoRoot, "tests", "conformance");
    private static readonly Lazy<string?> Bpftrace = new(FindBpftrace);

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "cases"), "*.bt").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    [Fact]
    public void TheSuiteIsBigEnough() => Assert.True(Cases().Count >= 150, $"{Cases().Count} cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case(string name)
    {
        Require.Root();
        var path = Path.Combine(Root, "cases", name + ".bt");
        var header = File.ReadAllLines(path).TakeWhile(l => l.StartsWith("//", StringComparison.Ordinal) || l.StartsWith('#')).ToList();
        string? Header(string key) => header.Where(l => l.StartsWith($"// {key}:", StringComparison.Ordinal)).Select(l => l[(key.Length + 4)..].Trim()).FirstOrDefault();
        var arguments = SplitWords(Header("ARGS") ?? "").Append(path).Concat(SplitWords(Header("POSITIONAL") ?? "")).ToList();
        var ours = ProcessRunner.Run(SharptraceBinary.Path, arguments, TimeSpan.FromSeconds(30));
        if (Header("EXPECT-ERROR") is { } message)
        {
            Assert.True(ours.ExitCode != 0, $"expected an error containing '{message}'\n{ours}");
            Assert.Contains(message, ours.StdErr);
            Assert.DoesNotContain("   at ", ours.StdErr);
            if (Bpftrace.Value is { } tool && Header("EXTENSION") is null)
                Assert.NotEqual(0, ProcessRunner.Run(tool, arguments, TimeSpan.FromSeconds(30)).ExitCode);
            return;
        }
        Assert.True(ours.ExitCode == 0, ours.ToString());
        string reference;
        if (Bpftrace.Value is { } bpftrace && Header("EXTENSION") is null)
        {
            var theirs = ProcessRunner.Run(bpftrace, arguments, TimeSpan.FromSeconds(30));
            Assert.True(theirs.ExitCode == 0, $"bpftrace failed on this case:\n{theirs}");
            reference = theirs.StdOut;
        }
        else
        {
            var expected = Path.Combine(Root, "expected", name + ".out");
            if (!File.Exists(expected)) Assert.Skip($"no bpftrace and no recorded output {expected}");
            reference = File.ReadAllText(expected);
        }
        var normalize = Header("NORMALIZE") ?? "";
        Assert.Equal(Normalize(reference, normalize), Normalize(ours.StdOut, normalize));
    }

    /// <summary>Only what is truly nondeterministic: the tracer's own name (comm in BEGIN), user-space addresses (ASLR), and what the case asks for.</summary>
    internal static string Normalize(string text, string rules)
    {
        text = text.Replace("bpftrace", "sharptrace", StringComparison.Ordinal);
        text = Regex.Replace(text, "0x7[0-9a-f]{11}", "0x7fADDRESS"); // user-space mappings sit at 0x7e…/0x7f… with ASLR
        var lines = text.Split('\n').ToList();
        foreach (var rule in rules.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (rule == "numbers") lines = lines.Select(l => Regex.Replace(l, @"\d+", "N")).ToList();
            else if (rule == "sort") lines = lines.Order(StringComparer.Ordinal).ToList();
            else if (rule.StartsWith("drop-lines-matching=", StringComparison.Ordinal))
            {
                var regex = new Regex(rule["drop-lines-matching=".Length..]);
                lines = lines.Where(l => !regex.IsMatch(l)).ToList();
            }
        }
        return string.Join('\n', lines);
    }

    /// <summary>Shell-like splitting with double quotes, as the cases write -c "cmd args".</summary>
    internal static List<string> SplitWords(string text)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any || current.Length > 0) words.Add(current.ToString());
                current.Clear();
                any = false;
            }
            else current.Append(c);
        }
        if (any || current.Length > 0) words.Add(current.ToString());
        return words;
    }

    private static string? FindBpftrace()
    {
        if (Environment.GetEnvironmentVariable("SHARPTRACE_NO_ORACLE") == "1") return null;
        var install = Path.Combine(SharptraceBinary.RepoRoot, "tests", "install-oracles.sh");
        if (!File.Exists("/usr/bin/bpftrace") && File.Exists(install))
            ProcessRunner.Run("/bin/bash", [install], TimeSpan.FromMinutes(10));
        return File.Exists("/usr/bin/bpftrace") ? "/usr/bin/bpftrace" : null;
    }
}
