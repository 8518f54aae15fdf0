using System.Diagnostics;
using Sharptrace.Bpf.Asm;
using Sharptrace.Bpf.Links;
using Sharptrace.Bpf.Maps;
using Sharptrace.Bpf.Programs;
using Sharptrace.Bpf.Readers;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Bench;

/// <summary>
/// Events per second that user space consumes from a BPF ring buffer and from a perf buffer, fed by
/// a tracepoint program on syscalls:sys_enter_getppid that writes a 32-byte event for each call of a
/// child process. The child paces its getppid loop to a target rate (0: as fast as it can); each
/// run reports produced, delivered and lost, and the sweep finds the highest rate without loss.
/// </summary>
internal static class RingBufferBench
{
    private const int EventSize = 32;
    private const int RingBufferBytes = 256 * 1024;
    private const int PerfPagesPerCpu = 64; // 256 KiB per CPU, the same room per ring
    private const double RunSeconds = 1.0;

    private const string ProducerSource = """
        #define _GNU_SOURCE
        #include <sched.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <time.h>
        #include <unistd.h>
        #include <sys/syscall.h>

        static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

        /* argv: rate (calls/s, 0 = unpaced), seconds. Waits for a line, runs, prints "calls seconds";
           then on a second line makes one call on each CPU (perf reports a ring's losses only in
           front of its next sample) and prints how many. clock_gettime is vDSO: no syscall. */
        int main(int argc, char **argv) {
            double rate = atof(argv[1]), seconds = atof(argv[2]);
            char line[16];
            if (!fgets(line, sizeof line, stdin)) return 1;
            long calls = 0;
            double t0 = now(), t;
            while ((t = now()) - t0 < seconds) {
                long target = rate > 0 ? (long)((t - t0) * rate) + 1 : calls + 256;
                if (calls >= target) continue;
                long burst = target - calls > 256 ? 256 : target - calls;
                for (long i = 0; i < burst; i++) syscall(SYS_getppid);
                calls += burst;
            }
            printf("%ld %f\n", calls, now() - t0);
            fflush(stdout);
            if (!fgets(line, sizeof line, stdin)) return 0;
            long flushes = 0;
            for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
                cpu_set_t set; CPU_ZERO(&set); CPU_SET(cpu, &set);
                if (sched_setaffinity(0, sizeof set, &set) == 0) { syscall(SYS_getppid); flushes++; }
            }
            printf("%ld\n", flushes);
            fflush(stdout);
            return 0;
        }
        """;

    private enum Transport { RingBuffer, PerfBuffer }

    private sealed record Result(Transport Transport, double TargetRate, long Produced, double Seconds, long Delivered, long Lost)
    {
        public double ProducedRate => Produced / Seconds;
        public double DeliveredRate => Delivered / Seconds;
        public long Unaccounted => Produced - Delivered - Lost;
    }

    public static void Run()
    {
        Syscall.RaiseMemlockLimit();
        var producer = CompileProducer();
        try
        {
            RunSweeps(producer);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(producer)!, recursive: true);
        }
    }

    private static void RunSweeps(string producer)
    {
        Console.WriteLine($"{EventSize}-byte events from a getppid loop; ring buffer {RingBufferBytes / 1024} KiB, perf buffer {PerfPagesPerCpu} pages x {PossibleCpus.Online.Count} CPUs; {RunSeconds:F0} s per run, {Environment.ProcessorCount} CPUs");
        Console.WriteLine("perf/wN: a perf buffer whose reader is woken every N samples");
        Console.WriteLine($"{"transport",-11} {"target/s",10} {"produced/s",11} {"delivered/s",12} {"lost",9} {"loss %",7} {"unaccounted",11}");
        foreach (var (transport, wakeupEvents) in new[] { (Transport.RingBuffer, 0), (Transport.PerfBuffer, 1), (Transport.PerfBuffer, 16) })
        {
            var name = transport == Transport.RingBuffer ? "ringbuf" : $"perf/w{wakeupEvents}";
            Print(name, Measure(producer, transport, wakeupEvents, 0)); // unpaced: the producer's own limit
            double? best = null;
            for (var rate = 50_000.0; rate <= 5_000_000; rate *= 1.5)
            {
                var result = Measure(producer, transport, wakeupEvents, rate);
                Print(name, result);
                if (result.Lost > 0 || result.Unaccounted != 0) break;
                if (result.ProducedRate < 0.9 * rate) { best = result.ProducedRate; break; } // the producer saturated first
                best = result.ProducedRate;
            }
            Console.WriteLine($"{name}: highest rate measured without loss: {(best is null ? "none" : $"{best / 1e3:F0} k events/s")}");
        }
    }

    private static void Print(string name, Result r) =>
        Console.WriteLine($"{name,-11} {(r.TargetRate == 0 ? "unpaced" : $"{r.TargetRate / 1e3:F0}k"),10} {r.ProducedRate / 1e3,10:F0}k {r.DeliveredRate / 1e3,11:F0}k {r.Lost,9} {100.0 * r.Lost / Math.Max(1, r.Produced),6:F2}% {r.Unaccounted,11}");

    private static Result Measure(string producerPath, Transport transport, int wakeupEvents, double rate)
    {
        var info = new ProcessStartInfo(producerPath) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(rate.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(RunSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var child = Process.Start(info) ?? throw new InvalidOperationException("cannot start the producer");
        try
        {
            using var ring = BpfMap.Create(transport == Transport.RingBuffer ? MapSpec.RingBuffer("bench_rb", RingBufferBytes) : MapSpec.PerfEventArray("bench_pb"));
            using var lost = BpfMap.Create(MapSpec.PercpuArray("bench_lost", 8, 1));
            using var program = BpfProgram.Load(new ProgramSpec("bench_output", BpfProgramType.Tracepoint, BuildProgram(transport, child.Id, ring, lost)));
            using var ringReader = transport == Transport.RingBuffer ? new RingBufferReader(ring, lost) : null;
            using var perfReader = transport == Transport.PerfBuffer ? new PerfBufferReader(ring, PerfPagesPerCpu, wakeupEvents) : null;
            using var link = Attach.Tracepoint(program, "syscalls", "sys_enter_getppid");

            long checksum = 0;
            var stop = false;
            var consumer = new Thread(() =>
            {
                // Touch each event as a real consumer would; the readers count deliveries themselves.
                while (!Volatile.Read(ref stop))
                {
                    if (ringReader is not null) ringReader.Poll(50, record => checksum += record[0]);
                    else perfReader!.Poll(50, (_, record) => checksum += record[0]);
                }
            }) { IsBackground = true, Name = "bench consumer" };
            consumer.Start();

            child.StandardInput.WriteLine("go");
            child.StandardInput.Flush();
            var summary = ReadLine(child, TimeSpan.FromSeconds(RunSeconds + 30)).Split(' ');
            var produced = long.Parse(summary[0], System.Globalization.CultureInfo.InvariantCulture);
            var seconds = double.Parse(summary[1], System.Globalization.CultureInfo.InvariantCulture);
            // Let the consumer catch up, then make the per-CPU flush calls (they count as produced).
            Thread.Sleep(200);
            child.StandardInput.WriteLine("flush");
            child.StandardInput.Flush();
            produced += long.Parse(ReadLine(child, TimeSpan.FromSeconds(30)), System.Globalization.CultureInfo.InvariantCulture);
            Thread.Sleep(200);
            Volatile.Write(ref stop, true);
            consumer.Join();
            if (ringReader is not null) ringReader.Consume(_ => { });
            else perfReader!.Consume((_, _) => { });
            var delivered = ringReader?.Delivered ?? perfReader!.Delivered;
            var lostCount = ringReader?.Lost ?? perfReader!.Lost;
            GC.KeepAlive(checksum);
            return new Result(transport, rate, produced, seconds, delivered, lostCount);
        }
        finally
        {
            if (!child.HasExited) child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }
    }

    // if (pid != child) return 0; event = { pid_tgid, 3 x constant }; output (ring buffer: count refusals).
    private static Instruction[] BuildProgram(Transport transport, int pid, BpfMap ring, BpfMap lost)
    {
        const short eventOffset = -EventSize, scratchOffset = -EventSize - 8;
        var asm = new Assembler();
        var skip = asm.DefineLabel("skip");
        asm.Mov64(Register.R6, Register.R1);
        asm.Call(BpfHelper.GetCurrentPidTgid);
        asm.StoreMem(Size.DWord, Register.R10, eventOffset, Register.R0);
        asm.Alu64(AluOp.Rsh, Register.R0, 32);
        asm.JumpIf(JumpCondition.NotEqual, Register.R0, pid, skip);
        asm.LoadImm64(Register.R1, 0x0123_4567_89AB_CDEF);
        for (short offset = eventOffset + 8; offset < 0; offset += 8) asm.StoreMem(Size.DWord, Register.R10, offset, Register.R1);
        if (transport == Transport.RingBuffer)
            EventOutputCode.RingBufferOutputOrCountLost(asm, ring.Fd.Value, lost.Fd.Value, eventOffset, EventSize, scratchOffset);
        else
            EventOutputCode.PerfEventOutput(asm, Register.R6, ring.Fd.Value, eventOffset, EventSize);
        asm.MarkLabel(skip);
        asm.Mov64(Register.R0, 0);
        asm.Exit();
        return asm.Build().Instructions.ToArray();
    }

    private static string ReadLine(Process child, TimeSpan timeout)
    {
        var line = child.StandardOutput.ReadLineAsync();
        if (!line.Wait(timeout)) throw new TimeoutException($"the producer did not answer within {timeout.TotalSeconds} s");
        return line.Result ?? throw new InvalidOperationException("the producer exited early");
    }

    private static string CompileProducer()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"sharptrace-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        var source = Path.Combine(dir, "producer.c");
        var binary = Path.Combine(dir, "producer");
        File.WriteAllText(source, ProducerSource);
        using var gcc = Process.Start(new ProcessStartInfo("gcc", ["-O2", "-o", binary, source]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("cannot start gcc (apt-get install gcc)");
        if (!gcc.WaitForExit(60_000)) { gcc.Kill(); throw new TimeoutException("gcc took over 60 s"); }
        if (gcc.ExitCode != 0) throw new InvalidOperationException("gcc failed on the producer");
        return binary;
    }
}
