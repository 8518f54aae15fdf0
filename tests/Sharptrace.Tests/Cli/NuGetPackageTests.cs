using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Cli;

public class NuGetPackageTests
{
    [Fact]
    public void PackedLibraryWorksFromAPlainDotnetApp()
    {
        var root = SharptraceBinary.RepoRoot;
        var work = Directory.CreateTempSubdirectory("sharptrace-nuget-").FullName;
        try
        {
            var feed = Path.Combine(work, "feed");
            foreach (var project in new[] { "src/Sharptrace.Kernel", "src/Sharptrace.Bpf" })
            {
                var pack = ProcessRunner.Run("dotnet", ["pack", Path.Combine(root, project), "-c", "Release", "-o", feed, "-nologo", "-p:Version=0.0.0-test"], TimeSpan.FromMinutes(4));
                Assert.True(pack.ExitCode == 0, pack.ToString());
            }
            var app = Path.Combine(work, "app");
            Directory.CreateDirectory(app);
            foreach (var file in new[] { "CountOpens.csproj", "Program.cs" })
                File.Copy(Path.Combine(root, "samples/CountOpens", file), Path.Combine(app, file));
            // The local feed first; the usual sources still serve the SDK's own packages.
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <configuration><packageSources><add key="local" value="{feed}" /></packageSources></configuration>
                """);
            var packagesCache = Path.Combine(work, "packages"); // keep the test's 0.0.0-test package out of the user's cache
            var build = ProcessRunner.Run("dotnet", ["build", app, "-nologo", "-p:SharptraceVersion=0.0.0-test", "-p:RestorePackagesPath=" + packagesCache, "-o", Path.Combine(app, "out")], TimeSpan.FromMinutes(4));
            Assert.True(build.ExitCode == 0, build.ToString());
            Require.Root();
            var run = ProcessRunner.Run("dotnet", [Path.Combine(app, "out", "CountOpens.dll")], TimeSpan.FromMinutes(1));
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Matches(@"pid \d+: \d+ opens", run.StdOut);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
