using System.Runtime.InteropServices;

namespace Sharptrace.Cli.Ftrace;

/// <summary>
/// Turns SIGINT, SIGTERM and SIGHUP into a cancellation instead of an exit, so a recording stops
/// through its normal path and restores tracefs. Disposing puts the default handling back.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly List<PosixSignalRegistration> registrations = [];

    public StopSignal()
    {
        foreach (var signal in (PosixSignal[])[PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP])
        {
            registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                source.Cancel();
            }));
        }
    }

    public CancellationToken Token => source.Token;

    public bool Stopped => source.IsCancellationRequested;

    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
        source.Dispose();
    }
}
