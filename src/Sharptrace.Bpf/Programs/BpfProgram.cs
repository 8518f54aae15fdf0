using System.Text;
using Sharptrace.Bpf.Asm;
using Sharptrace.Kernel;
using Sharptrace.Kernel.Uapi;

namespace Sharptrace.Bpf.Programs;

/// <summary>A program loaded into the kernel (verified and JIT-compiled), owned through its fd.</summary>
public sealed unsafe class BpfProgram : IDisposable
{
    private const int MaxLogSize = 1 << 28; // the kernel refuses log buffers above UINT_MAX >> 2

    private BpfProgram(ProgramSpec spec, KernelFd fd, string verifierLog)
    {
        Spec = spec;
        Fd = fd;
        VerifierLog = verifierLog;
    }

    /// <summary>What was loaded.</summary>
    public ProgramSpec Spec { get; }

    /// <summary>The fd that owns the program.</summary>
    public KernelFd Fd { get; }

    /// <summary>The program's name.</summary>
    public string Name => Spec.Name;

    /// <summary>The verifier log when loading was asked to keep one (log level &gt; 0), else empty.</summary>
    public string VerifierLog { get; }

    /// <summary>
    /// Loads and verifies <paramref name="spec"/>. A rejection throws <see cref="VerifierException"/>
    /// with the full log: the first try runs without a log (faster), a failure retries with one,
    /// growing the buffer until the whole log fits. <paramref name="logLevel"/> &gt; 0 keeps the
    /// log of a successful load too (2 adds per-instruction states; 4 statistics).
    /// </summary>
    public static BpfProgram Load(ProgramSpec spec, uint logLevel = 0)
    {
        if (spec.Instructions.Length == 0) throw new ArgumentException($"program '{spec.Name}' has no instructions");
        var logSize = logLevel > 0 ? 1 << 20 : 0;
        while (true)
        {
            var (fd, errno, log, trueSize) = TryLoad(spec, logLevel, logSize);
            if (fd >= 0) return new BpfProgram(spec, KernelFd.Own(fd), log);
            if (errno == Errno.ENOSPC && logSize > 0 && logSize < MaxLogSize)
            {
                logSize = trueSize > logSize ? (int)Math.Min(trueSize, (uint)MaxLogSize) : Math.Min(logSize * 4, MaxLogSize);
                continue;
            }
            if (logSize == 0 && errno is Errno.EACCES or Errno.EINVAL or Errno.E2BIG or Errno.EFAULT or Errno.ENOSPC)
            {
                logLevel = Math.Max(logLevel, 1);
                logSize = 1 << 20;
                continue;
            }
            if (logSize > 0 && log.Length > 0 && errno is not Errno.EPERM)
                throw new VerifierException(spec.Name, errno, log, truncated: errno == Errno.ENOSPC);
            throw BpfSyscall.Error(BpfCommand.ProgLoad, errno, $"program '{spec.Name}'");
        }
    }

    private static (int Fd, Errno Errno, string Log, uint TrueSize) TryLoad(ProgramSpec spec, uint logLevel, int logSize)
    {
        var license = Encoding.ASCII.GetBytes(spec.License + "\0");
        var logBuffer = logSize > 0 ? new byte[logSize] : [];
        fixed (Instruction* insns = spec.Instructions)
        fixed (byte* lic = license)
        fixed (byte* logPtr = logBuffer)
        {
            var attr = new ProgLoadAttr
            {
                ProgType = spec.Type,
                InsnCnt = (uint)spec.Instructions.Length,
                Insns = (ulong)insns,
                License = (ulong)lic,
                LogLevel = logSize > 0 ? logLevel : 0,
                LogSize = (uint)logSize,
                LogBuf = (ulong)logPtr,
                ProgFlags = spec.Flags,
                ExpectedAttachType = spec.ExpectedAttachType,
                AttachBtfId = spec.AttachBtfId,
            };
            BpfSyscall.WriteObjectName(attr.ProgName, spec.Name);
            var fd = BpfSyscall.TryInvoke(BpfCommand.ProgLoad, ref attr);
            var errno = fd < 0 ? Syscall.LastErrno : Errno.None;
            var end = Array.IndexOf(logBuffer, (byte)0);
            var log = logSize == 0 ? "" : Encoding.UTF8.GetString(logBuffer, 0, end < 0 ? logBuffer.Length : end);
            return (fd, errno, log, attr.LogTrueSize);
        }
    }

    /// <inheritdoc />
    public void Dispose() => Fd.Dispose();
}
