using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Perf;

/// <summary>The reference tools (Debian perf, Chromium), installed once per run by tests/install-oracles.sh.</summary>
public static class Oracles
{
    private static readonly Lazy<string> Installed = new(() =>
    {
        var result = ProcessRunner.Run("/bin/bash", [Path.Combine(SharptraceBinary.RepoRoot, "tests/install-oracles.sh")], TimeSpan.FromMinutes(10));
        return result.StdOut + result.StdErr;
    });

    /// <summary>The path of <paramref name="tool"/>, installing it first; skips when it cannot be had.</summary>
    public static string Require(string tool)
    {
        _ = Installed.Value;
        foreach (var dir in new[] { "/usr/bin", "/usr/local/bin", "/bin" })
            if (File.Exists(Path.Combine(dir, tool))) return Path.Combine(dir, tool);
        Assert.Skip($"{tool} is not installed and tests/install-oracles.sh could not install it: {Installed.Value}");
        return "";
    }
}
