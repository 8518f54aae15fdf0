using Sharptrace.Kernel;
using Sharptrace.VmChecks;

// vmchecks CHECK ARGS...: one check per run, results as key=value on one line (exit 0), or one
// "vmchecks: error: ..." line (exit 1; 2 for bad usage). Never a stack trace: the test reads the
// error line as the user would.
const string Usage = "usage: vmchecks kprobe|fentry FUNCTION COUNT";

try
{
    switch (args)
    {
        case [var kind and ("kprobe" or "fentry"), var function, var countText]:
            if (!int.TryParse(countText, out var count) || count < 1)
                return Fail($"COUNT must be a positive integer, not '{countText}' ({Usage})", 2);
            Console.WriteLine(KprobeCheck.Run(function, count, tracing: kind == "fentry").Format());
            return 0;
        default:
            return Fail(Usage, 2);
    }
}
catch (Exception e) when (e is KernelException or CheckFailedException or Sharptrace.Bpf.Programs.VerifierException)
{
    return Fail(e.Message, 1);
}
catch (Exception e)
{
    // A bug in the check or the library: still one line, with the type to go on.
    return Fail($"{e.GetType().Name}: {e.Message}", 1);
}

static int Fail(string message, int exitCode)
{
    Console.Error.WriteLine($"vmchecks: error: {message}");
    return exitCode;
}
