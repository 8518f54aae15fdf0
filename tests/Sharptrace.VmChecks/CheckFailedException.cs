namespace Sharptrace.VmChecks;

/// <summary>The check's own side went wrong (not the library): printed as the one error line.</summary>
public sealed class CheckFailedException(string message) : Exception(message);
