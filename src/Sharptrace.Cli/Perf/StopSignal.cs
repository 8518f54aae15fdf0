using System.Runtime.InteropServices;

namespace Sharptrace.Cli.Perf;

/// <summary>
/// Turns Ctrl-C / SIGTERM into a request to stop and print, as perf does: the command in the
/// foreground gets SIGINT from the terminal itself, we just must not die before reporting.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly PosixSignalRegistration interrupt;
    private readonly PosixSignalRegistration terminate;
    private readonly ManualResetEventSlim raised = new();

    public StopSignal()
    {
        interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        raised.Set();
    }

    /// <summary>True once a stop was asked for.</summary>
    public bool IsRaised => raised.IsSet;

    /// <summary>Waits up to <paramref name="milliseconds"/>; true when the signal came.</summary>
    public bool Wait(int milliseconds) => raised.Wait(milliseconds);

    public void Dispose()
    {
        interrupt.Dispose();
        terminate.Dispose();
        raised.Dispose();
    }
}
