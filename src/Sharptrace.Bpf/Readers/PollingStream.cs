using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Sharptrace.Bpf.Readers;

/// <summary>
/// Turns a poll-with-callback reader into an async stream: a background pump polls and copies
/// records into a channel until cancellation, then drains what is already committed.
/// </summary>
internal static class PollingStream
{
    /// <summary>
    /// Streams what <paramref name="pollOnce"/> writes (it waits briefly, then delivers) and, after
    /// cancellation, what <paramref name="drain"/> writes.
    /// </summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(Action<ChannelWriter<T>> pollOnce, Action<ChannelWriter<T>> drain,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        // The pump must stop when the consumer leaves early too, not only on cancellation: otherwise
        // it keeps polling, and a Dispose after the loop unmaps the ring under it.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var pump = Task.Run(() =>
        {
            try
            {
                while (!stop.IsCancellationRequested) pollOnce(channel.Writer);
                drain(channel.Writer);
                channel.Writer.TryComplete();
            }
            catch (Exception e) { channel.Writer.TryComplete(e); }
        }, CancellationToken.None);
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                yield return item;
        }
        finally
        {
            stop.Cancel();
            await pump.ConfigureAwait(false);
        }
    }
}
