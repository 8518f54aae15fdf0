namespace Sharptrace.Tests.Support;

/// <summary>
/// A temporary folder of this test process's own (/tmp/sharptrace-run-XXXXXX) for the files tests
/// name themselves (trace outputs of ours and of the reference tool): two test runs on one machine
/// never write or read each other's files. It is removed when the process ends.
/// </summary>
public static class TestRunDirectory
{
    private static readonly Lazy<string> Folder = new(Create);

    public static string Root => Folder.Value;

    /// <summary>The path of <paramref name="name"/> in this run's folder.</summary>
    public static string PathOf(string name) => Path.Combine(Root, name);

    private static string Create()
    {
        var path = Directory.CreateTempSubdirectory("sharptrace-run-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(path, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* leave it to /tmp's cleaning */ }
        };
        return path;
    }
}
