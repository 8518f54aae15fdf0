using System.Security.Cryptography;
using System.Text;

namespace Sharptrace.Tests.Support;

/// <summary>
/// The small C programs under tests/Sharptrace.Tests/Native, compiled with gcc on first use into a
/// cache folder keyed by the hash of the source, its flags and the headers beside it, so parallel tests and reruns share one build.
/// </summary>
public static class NativeProgram
{
    private static readonly Lock Gate = new();

    /// <summary>Path of the executable built from Native/<paramref name="name"/>.c with <paramref name="flags"/>.</summary>
    public static string Build(string name, string flags = "-O1 -fno-omit-frame-pointer")
    {
        var source = System.IO.Path.Combine(SharptraceBinary.RepoRoot, "tests/Sharptrace.Tests/Native", name + ".c");
        // The headers beside the sources (usdt_note.h) count too: a changed header rebuilds what includes it.
        var headers = Directory.EnumerateFiles(System.IO.Path.GetDirectoryName(source)!, "*.h").Order(StringComparer.Ordinal).Select(File.ReadAllText);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(source) + flags + string.Concat(headers))))[..12];
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sharptrace-native");
        var output = System.IO.Path.Combine(dir, $"{name}-{hash}");
        lock (Gate)
        {
            if (File.Exists(output)) return output;
            Directory.CreateDirectory(dir);
            var temp = output + ".tmp" + Environment.ProcessId;
            var result = ProcessRunner.Shell($"gcc {flags} -o {temp} {source}", TimeSpan.FromSeconds(60));
            if (result.ExitCode != 0) Assert.Fail($"gcc failed for {name}.c: {result}");
            File.Move(temp, output, overwrite: true);
            return output;
        }
    }
}

/// <summary>
/// A started native test program that prints "ready PID", waits for a line on stdin, works, prints
/// "done …" and exits; killed with its tree if still alive at Dispose.
/// </summary>
public sealed class WaitingChild : IDisposable
{
    private readonly System.Diagnostics.Process process;

    public WaitingChild(string path, params string[] arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo(path) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        process = System.Diagnostics.Process.Start(info)!;
        var ready = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"{path} exited before it was ready");
        Assert.StartsWith("ready ", ready);
        Pid = process.Id;
    }

    public int Pid { get; }

    /// <summary>Lets the child work and waits for it to exit; returns its "done" line.</summary>
    public string Go(TimeSpan? timeout = null)
    {
        process.StandardInput.WriteLine("go");
        process.StandardInput.Flush();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(30))) Assert.Fail("the test child did not finish in time");
        Assert.Equal(0, process.ExitCode);
        return output.Result.Trim();
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
