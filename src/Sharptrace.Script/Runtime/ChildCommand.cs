using System.Diagnostics;

namespace Sharptrace.Script.Runtime;

/// <summary>
/// The -c command: started through a shell that stops itself before exec'ing the command, so the
/// probes are attached (and cpid known) before the command runs its first instruction.
/// </summary>
internal sealed class ChildCommand : IDisposable
{
    private readonly Process process;

    private ChildCommand(Process process) => this.process = process;

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    public static ChildCommand StartStopped(string command)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        // bpftrace splits the command at blanks and execs it without a shell; each word is quoted so the shell adds nothing.
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => "'" + w.Replace("'", "'\\''") + "'");
        info.ArgumentList.Add("kill -STOP $$; exec " + string.Join(' ', words));
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start '{command}'");
        // Wait until the shell has stopped itself (state T in /proc/PID/stat).
        for (var i = 0; i < 2000; i++)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{process.Id}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..][0];
                if (state == 'T') break;
            }
            catch (IOException) { break; }
            Thread.Sleep(1);
        }
        return new ChildCommand(process);
    }

    public void Resume() => SignalInterop.Kill(process.Id, SignalInterop.SIGCONT);

    public void Dispose()
    {
        if (!process.HasExited)
        {
            try { process.Kill(); } catch (InvalidOperationException) { }
        }
        process.Dispose();
    }
}
