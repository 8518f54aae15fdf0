using System.Diagnostics;
using Sharptrace.Bpf.Btf;

namespace Sharptrace.Bench;

/// <summary>
/// Times parsing the kernel's BTF from bytes already in memory, then the first name lookup (which
/// builds the name index), a member lookup and the whole file read + parse as a tool would do it.
/// </summary>
internal static class BtfParseBench
{
    public static int Run(string[] args)
    {
        var path = args.Length > 0 ? args[0] : BtfSpec.KernelBtfPath;
        var runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"{path} not found (kernel without CONFIG_DEBUG_INFO_BTF?)");
            return 1;
        }
        var raw = File.ReadAllBytes(path);
        var first = Stopwatch.StartNew();
        var spec = BtfSpec.Parse(raw);
        Console.WriteLine($"{path}: {raw.Length / 1024} KiB, {spec.TypeCount} types; first (cold) parse {first.Elapsed.TotalMilliseconds:F2} ms");

        Console.WriteLine(BenchStats.Format("parse", BenchStats.Measure(runs, () => BtfSpec.Parse(raw))));
        Console.WriteLine(BenchStats.Format("parse + first lookup (name index)", BenchStats.Measure(runs, () =>
            BtfSpec.Parse(raw).FindType("task_struct", BtfKind.Struct))));
        var task = spec.FindType("task_struct", BtfKind.Struct);
        Console.WriteLine(BenchStats.Format("lookup struct + member (index warm)", BenchStats.Measure(runs, () =>
            spec.FindMember(spec.FindType("task_struct", BtfKind.Struct).Id, "comm"))));
        Console.WriteLine(BenchStats.Format("read file + parse", BenchStats.Measure(Math.Min(runs, 10), () => BtfSpec.Load(path))));
        Console.WriteLine($"check: {spec.FormatType(task.Id)} has {task.Members.Count} members, sizeof {spec.SizeOf(task.Id)}");
        return 0;
    }
}
