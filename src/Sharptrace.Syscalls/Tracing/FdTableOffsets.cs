namespace Sharptrace.Syscalls.Tracing;

/// <summary>
/// Where a descriptor's inode number is, from the kernel's BTF: task_struct.files, files_struct.fdt,
/// fdtable.max_fds and .fd, file.f_inode, inode.i_ino. -y names a new pipe or socket by its inode
/// (<c>pipe:[1234]</c>) read from the task's file table as the call returns, because the process may
/// close it before its record is decoded and /proc can be asked.
/// </summary>
internal sealed record FdTableOffsets(int Files, int Fdt, int MaxFds, int Fd, int FileInode, int InodeNumber)
{
    /// <summary>The offsets from the kernel's BTF; null where it has none or lacks a member.</summary>
    public static FdTableOffsets? FromKernel()
    {
        try
        {
            var btf = Bpf.Btf.BtfSpec.LoadKernel();
            int? Offset(string type, string member) =>
                btf.TryFindType(type, Bpf.Btf.BtfKind.Struct, out var t) && btf.TryFindMember(t.Id, member, out var m) && !m.IsBitfield ? (int)m.ByteOffset : null;
            return Offset("task_struct", "files") is { } files && Offset("files_struct", "fdt") is { } fdt && Offset("fdtable", "max_fds") is { } maxFds
                && Offset("fdtable", "fd") is { } fd && Offset("file", "f_inode") is { } inode && Offset("inode", "i_ino") is { } ino
                ? new FdTableOffsets(files, fdt, maxFds, fd, inode, ino) : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        catch (Bpf.Btf.BtfFormatException) { return null; }
    }
}
