using Sharptrace.Bpf.Links;

namespace Sharptrace.Tests.Bpf;

/// <summary>Detach.All disposes every link once, several at the same time, and reports a failure after all are done.</summary>
public class DetachTests
{
    private sealed class Waiting(Barrier barrier) : IDisposable
    {
        public int Disposed;
        public bool MetTheOthers;

        public void Dispose()
        {
            Interlocked.Increment(ref Disposed);
            // Only links detached at the same time meet here: one after another, each would wait alone until the timeout.
            MetTheOthers = barrier.SignalAndWait(TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public void DisposesEveryLinkOnceAndAtTheSameTime()
    {
        using var barrier = new Barrier(6);
        var links = Enumerable.Range(0, 6).Select(_ => new Waiting(barrier)).ToList();
        Detach.All(links);
        Assert.All(links, l => Assert.Equal(1, l.Disposed));
        Assert.All(links, l => Assert.True(l.MetTheOthers));
    }

    [Fact]
    public void AFailureIsThrownOnceEveryOtherLinkIsDetached()
    {
        var disposed = 0;
        var links = Enumerable.Range(0, 40).Select(i => (IDisposable)new Action(() =>
        {
            Interlocked.Increment(ref disposed);
            if (i == 7) throw new InvalidOperationException("link 7");
        }).AsDisposable()).ToList();
        var error = Assert.Throws<InvalidOperationException>(() => Detach.All(links));
        Assert.Equal("link 7", error.Message);
        Assert.Equal(40, disposed);
    }
}

internal static class DisposableAction
{
    private sealed class Disposable(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    public static IDisposable AsDisposable(this Action action) => new Disposable(action);
}
