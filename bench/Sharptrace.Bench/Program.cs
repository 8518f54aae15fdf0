using Sharptrace.Bench;

switch (args.FirstOrDefault())
{
    case "maps": MapBench.Run(); return 0;
    case "ringbuf": RingBufferBench.Run(); return 0;
    default: Console.Error.WriteLine("usage: Sharptrace.Bench maps|ringbuf"); return 2;
}
