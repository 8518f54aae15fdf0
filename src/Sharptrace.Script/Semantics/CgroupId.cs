using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Sharptrace.Kernel;

namespace Sharptrace.Script.Semantics;

/// <summary>
/// The id of a cgroup directory as bpf_get_current_cgroup_id() gives it: the kernfs node id, which
/// name_to_handle_at(2) returns as the file handle (as bpftrace's cgroupid() asks for it; on 64-bit
/// kernels it is also the directory's inode number).
/// </summary>
internal static partial class CgroupId
{
    private const int AtFdCwd = -100;
    private const int HandleBytes = 8;

    /// <summary>The id, or the errno that made name_to_handle_at fail (EOVERFLOW for a path outside cgroupfs).</summary>
    public static ulong? Find(string path, out Errno error)
    {
        var handle = new byte[8 + HandleBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(handle, HandleBytes);
        error = Errno.None;
        if (NameToHandleAt(AtFdCwd, path, handle, out _, 0) != 0)
        {
            error = (Errno)Marshal.GetLastPInvokeError();
            return null;
        }
        return BinaryPrimitives.ReadUInt64LittleEndian(handle.AsSpan(8));
    }

    [LibraryImport("libc", EntryPoint = "name_to_handle_at", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NameToHandleAt(int directory, string path, byte[] handle, out int mountId, int flags);
}
