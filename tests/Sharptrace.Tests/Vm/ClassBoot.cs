namespace Sharptrace.Tests.Vm;

/// <summary>
/// The one VM boot that the facts of a test class share: the first fact to ask boots and runs the
/// class's whole batch, every fact then checks its own steps of it. A failed boot is kept and
/// reported by every fact rather than booting again.
/// </summary>
/// <example>
/// static readonly ClassBoot&lt;Steps&gt; Boot = new();
/// Steps Run() => Boot.Run(fixture, vm => { var batch = new VmBatch(); …; return new Steps(vm.Run(batch, files), …); });
/// </example>
public sealed class ClassBoot<TSteps> where TSteps : class
{
    readonly Lock gate = new();
    Lazy<TSteps>? run;

    /// <summary>The steps of the class's boot, made by <paramref name="boot"/> on the first call.</summary>
    public TSteps Run(QemuVmFixture fixture, Func<QemuVm, TSteps> boot)
    {
        var vm = fixture.Vm; // skips here when the VM is unavailable, before paying for a binary or a boot
        lock (gate)
            run ??= new Lazy<TSteps>(() => boot(vm));
        return run.Value;
    }
}
