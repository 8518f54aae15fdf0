namespace Sharptrace.Tests.Support;

/// <summary>The NativeAOT binary under test: $SHARPTRACE_BIN (set by test.sh) or ./sharptrace at the repository root.</summary>
public static class SharptraceBinary
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Path
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("SHARPTRACE_BIN");
            if (string.IsNullOrEmpty(path)) path = System.IO.Path.Combine(RepoRoot, "sharptrace");
            if (!File.Exists(path)) Assert.Skip($"the NativeAOT binary {path} is not built: run ./build.sh (./test.sh does)");
            return path;
        }
    }

    public static ProcessResult Run(params string[] arguments) => ProcessRunner.Run(Path, arguments);

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "sharptrace.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (sharptrace.sln)");
    }
}
