using Sharptrace.Tests.Support;

namespace Sharptrace.Tests.Perf;

/// <summary>A tiny .NET console app that burns CPU in a method named SpinHere, built once per machine into a cache folder.</summary>
public static class ManagedSpinner
{
    private const string Program = """
        using System.Diagnostics;
        using System.Runtime.CompilerServices;
        static class Spinner
        {
            static long sink;
            [MethodImpl(MethodImplOptions.NoInlining)]
            static void SpinHere(double seconds)
            {
                var clock = Stopwatch.StartNew();
                while (clock.Elapsed.TotalSeconds < seconds) for (var i = 0; i < 100000; i++) sink += i;
            }
            static void Main(string[] args) => SpinHere(args.Length > 0 ? double.Parse(args[0]) : 1);
        }
        """;

    public static string Build()
    {
        var cache = Path.Combine(Path.GetTempPath(), "sharptrace-managed-spinner-v1");
        var dll = Path.Combine(cache, "out", "spinner.dll");
        if (File.Exists(dll)) return dll;
        Directory.CreateDirectory(cache);
        File.WriteAllText(Path.Combine(cache, "Program.cs"), Program);
        File.WriteAllText(Path.Combine(cache, "spinner.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><AssemblyName>spinner</AssemblyName><TieredCompilation>false</TieredCompilation></PropertyGroup>
            </Project>
            """);
        var result = ProcessRunner.Run("dotnet", ["build", Path.Combine(cache, "spinner.csproj"), "-c", "Release", "-o", Path.Combine(cache, "out"), "-nologo", "-v", "q"], TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0) Assert.Fail($"building the managed spinner failed: {result}");
        return dll;
    }
}
