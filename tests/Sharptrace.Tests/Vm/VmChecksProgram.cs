using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Vm;

/// <summary>
/// tests/Sharptrace.VmChecks published NativeAOT (linux-x64) for the qemu VM, cached under
/// &lt;repo&gt;/artifacts/vmchecks by a hash of its sources and the library sources it compiles, so
/// only a change to those pays the ~20 s publish again.
/// </summary>
public static class VmChecksProgram
{
    static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(5);

    // What the binary is built from: the check program, the two libraries it references, and the
    // props files all of them import.
    static readonly string[] SourceFolders = ["tests/Sharptrace.VmChecks", "src/Sharptrace.Bpf", "src/Sharptrace.Kernel"];
    static readonly string[] SourceFiles = ["Directory.Build.props", "src/Directory.Build.props"];

    static readonly Lazy<string> Published = new(Publish);

    /// <summary>The path of the published binary (building it on first use; a failed publish fails the test).</summary>
    public static string Path => Published.Value;

    /// <summary>How long the publish took in this process, or null when the cached binary was used.</summary>
    public static TimeSpan? PublishTime { get; private set; }

    static string Publish()
    {
        var root = QemuVm.RepoRoot;
        var cache = System.IO.Path.Combine(root, "artifacts", "vmchecks");
        Directory.CreateDirectory(cache);
        var binary = System.IO.Path.Combine(cache, $"vmchecks-{SourceHash(root)}");
        if (File.Exists(binary)) return binary;

        // Another test process of this worktree may be publishing the same project into the same
        // build folder: one at a time.
        using var gate = AcquireLock(System.IO.Path.Combine(cache, ".lock"));
        if (File.Exists(binary)) return binary;
        var clock = Stopwatch.StartNew();
        var build = System.IO.Path.Combine(cache, "build");
        // --artifacts-path keeps the Release/linux-x64 obj folders (and project.assets.json) of
        // Kernel and Bpf apart from the in-tree ones the test run and build.sh use at the same time.
        var result = ProcessRunner.Run("dotnet", [
            "publish", System.IO.Path.Combine(root, "tests/Sharptrace.VmChecks/Sharptrace.VmChecks.csproj"),
            "-c", "Release", "-r", "linux-x64", "--artifacts-path", build, "-nologo", "-v", "quiet",
            "-p:DebugType=none", "-p:StripSymbols=true"], PublishTimeout);
        Assert.True(result.ExitCode == 0, $"dotnet publish of tests/Sharptrace.VmChecks failed: {result}");
        var output = System.IO.Path.Combine(build, "publish", "Sharptrace.VmChecks", "release_linux-x64", "vmchecks");
        Assert.True(File.Exists(output), $"dotnet publish did not write {output}: {result}");
        var temp = binary + ".tmp" + Environment.ProcessId;
        File.Copy(output, temp, overwrite: true);
        File.Move(temp, binary, overwrite: true);
        PublishTime = clock.Elapsed;
        return binary;
    }

    static string SourceHash(string root)
    {
        var files = SourceFolders
            .SelectMany(folder => Directory.EnumerateFiles(System.IO.Path.Combine(root, folder), "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".props", StringComparison.Ordinal))
            .Select(f => System.IO.Path.GetRelativePath(root, f))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj"))
            .Concat(SourceFiles.Where(f => File.Exists(System.IO.Path.Combine(root, f))))
            .Order(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\0"));
            hash.AppendData(File.ReadAllBytes(System.IO.Path.Combine(root, file)));
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }

    static FileStream AcquireLock(string path)
    {
        // FileShare.None is an exclusive flock on Linux: held until the stream is disposed or the process dies.
        var deadline = DateTime.UtcNow + PublishTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(250);
            }
        }
    }
}
