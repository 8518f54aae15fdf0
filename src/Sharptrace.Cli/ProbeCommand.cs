using System.CommandLine;
using Sharptrace.Bpf.Elf;
using Sharptrace.Kernel;
using Sharptrace.Tracing.DynamicEvents;
using Sharptrace.Tracing.TraceFs;

namespace Sharptrace.Cli;

/// <summary>`sharptrace probe`: add (-a), list (-l) and delete (-d) kprobe/kretprobe/uprobe/uretprobe events of the sharptrace group, like perf probe.</summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var add = new Option<string[]>("--add", "-a") { Description = "Add a probe: 'FUNC[%return] [ARG…]' (perf probe) or 'p|r[:NAME] FUNC ARGS' (kprobe_events); ARG: name=%di, +0(%si):string, $retval, $argN, :u32…", Arity = ArgumentArity.ZeroOrMore };
        var binary = new Option<string?>("--exec", "-x") { Description = "User binary or library for uprobes (path or name: bash, libc)" };
        var list = new Option<bool>("--list", "-l") { Description = "List the sharptrace group's probes" };
        var delete = new Option<string[]>("--del", "-d") { Description = "Delete probes by name or glob (sharptrace:NAME)", Arity = ArgumentArity.ZeroOrMore };
        var probe = new Command("probe", "Create, list and delete dynamic probe events (kprobes, uprobes) in the 'sharptrace' group, usable from 'ftrace record -e sharptrace:NAME' and from scripts as tracepoint:sharptrace:NAME (args.ARG)")
        {
            add, binary, list, delete,
        };
        probe.SetAction(result =>
        {
            var registry = new DynamicEventRegistry(TraceFsAccess.Require(TraceFs.Root));
            var did = false;
            foreach (var pattern in result.GetValue(delete) ?? [])
            {
                var removed = registry.Remove(pattern);
                if (removed.Count == 0) throw new ArgumentException($"no sharptrace probe matches '{pattern}' (see 'sharptrace probe -l')");
                foreach (var name in removed) Console.WriteLine($"Removed event: {name}");
                did = true;
            }
            var path = result.GetValue(binary) is { } x ? (File.Exists(x) ? Path.GetFullPath(x) : BinaryPathResolver.Default.Resolve(x)) : null;
            foreach (var spec in result.GetValue(add) ?? [])
            {
                var definition = ProbeDefinition.Parse(spec, path, ElfFile.ResolveUprobeOffset);
                var name = registry.Add(definition);
                Console.WriteLine($"Added new event:\n  {name,-30} (on {definition.Location}{(definition.Arguments.Count > 0 ? " with " + string.Join(' ', definition.Arguments) : "")})");
                Console.WriteLine($"\nYou can now use it in all tools, such as:\n\n\tsharptrace ftrace record -e {name} -- COMMAND\n\tsharptrace -e 'tracepoint:{name} {{ @[comm] = count(); }}'\n");
                did = true;
            }
            if (result.GetValue(list) || !did)
                foreach (var line in registry.List()) Console.WriteLine(line);
            return 0;
        });
        Ftrace.DeniedAccessAction.Apply(probe);
        return probe;
    }
}
