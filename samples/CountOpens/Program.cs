// The sample from src/Sharptrace.Bpf/README.md, built against the packed NuGet package by the tests.
using Sharptrace.Bpf.Asm;
using Sharptrace.Bpf.Links;
using Sharptrace.Bpf.Maps;
using Sharptrace.Bpf.Programs;
using Sharptrace.Kernel.Uapi;

// Count openat() calls per process in a hash map keyed by tgid.
using var counts = BpfMap.Create(MapSpec.Hash("opens", keySize: 4, valueSize: 8, maxEntries: 10240));

var asm = new Assembler();
var missing = asm.DefineLabel();
var done = asm.DefineLabel();
asm.Call(BpfHelper.GetCurrentPidTgid);                            // r0 = tgid << 32 | tid
asm.Alu64(AluOp.Rsh, Register.R0, 32);
asm.StoreMem(Size.Word, Register.R10, -4, Register.R0);           // key on the stack
asm.LoadMapFd(Register.R1, counts.Fd.Value);
asm.Mov64(Register.R2, Register.R10); asm.Alu64(AluOp.Add, Register.R2, -4);
asm.Call(BpfHelper.MapLookupElem);
asm.JumpIf(JumpCondition.Equal, Register.R0, 0, missing);
asm.Mov64(Register.R1, 1);
asm.Atomic(AtomicOp.Add, Size.DWord, Register.R0, 0, Register.R1); // (*value)++
asm.Jump(done);
asm.MarkLabel(missing);                                           // first call: insert 1
asm.StoreImm(Size.DWord, Register.R10, -16, 1);
asm.LoadMapFd(Register.R1, counts.Fd.Value);
asm.Mov64(Register.R2, Register.R10); asm.Alu64(AluOp.Add, Register.R2, -4);
asm.Mov64(Register.R3, Register.R10); asm.Alu64(AluOp.Add, Register.R3, -16);
asm.Mov64(Register.R4, 0);
asm.Call(BpfHelper.MapUpdateElem);
asm.MarkLabel(done);
asm.Mov64(Register.R0, 0);
asm.Exit();

// A rejected program throws VerifierException with the verifier log and the failing instruction.
using var program = BpfProgram.Load(new ProgramSpec("count_opens", BpfProgramType.Tracepoint, [.. asm.Build().Instructions]));
using var link = Attach.Tracepoint(program, "syscalls", "sys_enter_openat"); // detached on Dispose, or when the process dies

// Let something open files, then read the counts.
var child = System.Diagnostics.Process.Start("/bin/ls", "/")!;
child.WaitForExit();
foreach (var (key, value) in counts.Entries())
    Console.WriteLine($"pid {BitConverter.ToInt32(key)}: {BitConverter.ToInt64(value)} opens");
