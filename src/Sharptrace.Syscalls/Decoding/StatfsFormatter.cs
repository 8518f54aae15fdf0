using System.Buffers.Binary;
using System.Text;

namespace Sharptrace.Syscalls.Decoding;

/// <summary>
/// struct statfs (statfs, fstatfs; the 64-bit layout of x86_64 and arm64, 120 bytes) as strace 6.1 prints it:
/// <c>{f_type=EXT2_SUPER_MAGIC, f_bsize=4096, …, f_fsid={val=[0x15, 0]}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID|ST_RELATIME}</c>.
/// </summary>
internal static class StatfsFormatter
{
    public const int Size = 120;

    /// <summary>strace's fsmagic table (xlat/fsmagic.in).</summary>
    private static readonly FlagSet Magic = new("0",
        (0x0000002f, "QNX4_SUPER_MAGIC"), (0x00000033, "Z3FOLD_MAGIC"), (0x00000187, "AUTOFS_SUPER_MAGIC"), (0x00001373, "DEVFS_SUPER_MAGIC"),
        (0x0000137d, "EXT_SUPER_MAGIC"), (0x0000137f, "MINIX_SUPER_MAGIC"), (0x0000138f, "MINIX_SUPER_MAGIC2"), (0x00001cd1, "DEVPTS_SUPER_MAGIC"),
        (0x00002468, "MINIX2_SUPER_MAGIC"), (0x00002478, "MINIX2_SUPER_MAGIC2"), (0x00003434, "NILFS_SUPER_MAGIC"), (0x00004244, "HFS_SUPER_MAGIC"),
        (0x0000482b, "HFSPLUS_SUPER_MAGIC"), (0x00004d44, "MSDOS_SUPER_MAGIC"), (0x00004d5a, "MINIX3_SUPER_MAGIC"), (0x0000517b, "SMB_SUPER_MAGIC"),
        (0x0000564c, "NCP_SUPER_MAGIC"), (0x00005df5, "EXOFS_SUPER_MAGIC"), (0x00006969, "NFS_SUPER_MAGIC"), (0x00007275, "ROMFS_MAGIC"),
        (0x000072b6, "JFFS2_SUPER_MAGIC"), (0x00009660, "ISOFS_SUPER_MAGIC"), (0x00009fa0, "PROC_SUPER_MAGIC"), (0x00009fa1, "OPENPROM_SUPER_MAGIC"),
        (0x00009fa2, "USBDEVICE_SUPER_MAGIC"), (0x0000adf5, "ADFS_SUPER_MAGIC"), (0x0000adff, "AFFS_SUPER_MAGIC"), (0x0000ef51, "EXT2_OLD_SUPER_MAGIC"),
        (0x0000ef53, "EXT2_SUPER_MAGIC"), (0x0000f15f, "ECRYPTFS_SUPER_MAGIC"), (0x00011954, "UFS_MAGIC"), (0x0027e0eb, "CGROUP_SUPER_MAGIC"),
        (0x00414a53, "EFS_SUPER_MAGIC"), (0x00c0ffee, "HOSTFS_SUPER_MAGIC"), (0x00c36400, "CEPH_SUPER_MAGIC"), (0x01021994, "TMPFS_MAGIC"),
        (0x01021997, "V9FS_MAGIC"), (0x01161970, "GFS2_MAGIC"), (0x012fd16d, "XIAFS_SUPER_MAGIC"), (0x012ff7b4, "XENIX_SUPER_MAGIC"),
        (0x012ff7b5, "SYSV4_SUPER_MAGIC"), (0x012ff7b6, "SYSV2_SUPER_MAGIC"), (0x012ff7b7, "COH_SUPER_MAGIC"), (0x02011994, "SHMFS_SUPER_MAGIC"),
        (0x09041934, "ANON_INODE_FS_MAGIC"), (0x0bad1dea, "FUTEXFS_SUPER_MAGIC"), (0x11307854, "MTD_INODE_FS_MAGIC"), (0x13661366, "BALLOON_KVM_MAGIC"),
        (0x15013346, "UDF_SUPER_MAGIC"), (0x1badface, "BFS_MAGIC"), (0x2011bab0, "EXFAT_SUPER_MAGIC"), (0x24051905, "UBIFS_SUPER_MAGIC"),
        (0x28cd3d45, "CRAMFS_MAGIC"), (0x2fc12fc1, "ZFS_SUPER_MAGIC"), (0x3153464a, "JFS_SUPER_MAGIC"), (0x42465331, "BEFS_SUPER_MAGIC"),
        (0x42494e4d, "BINFMTFS_MAGIC"), (0x43415d53, "SMACK_MAGIC"), (0x444d4142, "DMA_BUF_MAGIC"), (0x453dcd28, "CRAMFS_MAGIC_WEND"),
        (0x454d444d, "DEVMEM_MAGIC"), (0x47504653, "GPFS_SUPER_MAGIC"), (0x50495045, "PIPEFS_MAGIC"), (0x52654973, "REISERFS_SUPER_MAGIC"),
        (0x5345434d, "SECRETMEM_MAGIC"), (0x5346414f, "AFS_SUPER_MAGIC"), (0x5346544e, "NTFS_SB_MAGIC"), (0x534f434b, "SOCKFS_MAGIC"),
        (0x54190100, "UFS_CIGAM"), (0x565a4653, "VZFS_SUPER_MAGIC"), (0x57ac6e9d, "STACK_END_MAGIC"), (0x58295829, "ZSMALLOC_MAGIC"),
        (0x58465342, "XFS_SUPER_MAGIC"), (0x5a3c69f0, "AAFS_MAGIC"), (0x5a4f4653, "ZONEFS_MAGIC"), (0x6165676c, "PSTOREFS_MAGIC"),
        (0x61756673, "AUFS_SUPER_MAGIC"), (0x62646576, "BDEVFS_MAGIC"), (0x62656570, "CONFIGFS_MAGIC"), (0x62656572, "SYSFS_MAGIC"),
        (0x63677270, "CGROUP2_SUPER_MAGIC"), (0x64626720, "DEBUGFS_MAGIC"), (0x64646178, "DAXFS_MAGIC"), (0x65735543, "FUSE_CTL_SUPER_MAGIC"),
        (0x65735546, "FUSE_SUPER_MAGIC"), (0x68191122, "QNX6_SUPER_MAGIC"), (0x6b414653, "AFS_FS_MAGIC"), (0x6c6f6f70, "BINDERFS_SUPER_MAGIC"),
        (0x6e736673, "NSFS_MAGIC"), (0x73636673, "SECURITYFS_MAGIC"), (0x73717368, "SQUASHFS_MAGIC"), (0x73727279, "BTRFS_TEST_MAGIC"),
        (0x73757245, "CODA_SUPER_MAGIC"), (0x7461636f, "OCFS2_SUPER_MAGIC"), (0x74726163, "TRACEFS_MAGIC"), (0x794c7630, "OVERLAYFS_SUPER_MAGIC"),
        (0x858458f6, "RAMFS_MAGIC"), (0x9123683e, "BTRFS_SUPER_MAGIC"), (0x958458f6, "HUGETLBFS_MAGIC"), (0xa501fcf5, "VXFS_SUPER_MAGIC"),
        (0xabba1974, "XENFS_SUPER_MAGIC"), (0xc7571590, "PPC_CMM_MAGIC"), (0xc97e8168, "LOGFS_MAGIC"), (0xcafe4a11, "BPF_FS_MAGIC"),
        (0xde5e81e4, "EFIVARFS_MAGIC"), (0xe0f5e1e2, "EROFS_SUPER_MAGIC_V1"), (0xf2f52010, "F2FS_SUPER_MAGIC"), (0xf97cff8c, "SELINUX_MAGIC"),
        (0xf995e849, "HPFS_SUPER_MAGIC"), (0xfe534d42, "SMB2_SUPER_MAGIC"), (0xff534d42, "CIFS_SUPER_MAGIC"));

    private static readonly FlagSet MountFlags = new("0",
        (0x0020, "ST_VALID"), (0x0001, "ST_RDONLY"), (0x0002, "ST_NOSUID"), (0x0004, "ST_NODEV"), (0x0008, "ST_NOEXEC"), (0x0010, "ST_SYNCHRONOUS"),
        (0x0040, "ST_MANDLOCK"), (0x0400, "ST_NOATIME"), (0x0800, "ST_NODIRATIME"), (0x1000, "ST_RELATIME"), (0x2000, "ST_NOSYMFOLLOW"));

    private const ulong Valid = 0x20;

    private static ulong At(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(b[offset..]);

    /// <param name="b">The 120 bytes copied.</param>
    /// <param name="xlat">-X: f_type and f_flags are constants.</param>
    /// <param name="arrayLimit">Entries of an array shown before "..." (-s; every one with -v): f_fsid's two.</param>
    public static string Format(ReadOnlySpan<byte> b, XlatStyle xlat, int arrayLimit)
    {
        var type = At(b, 0);
        var text = new StringBuilder("{f_type=").Append(XlatText.Format(xlat, CallFormatter.Hex(type), Magic.NameOf(type) ?? CallFormatter.Hex(type)))
            .Append(", f_bsize=").Append(At(b, 8)).Append(", f_blocks=").Append(At(b, 16)).Append(", f_bfree=").Append(At(b, 24))
            .Append(", f_bavail=").Append(At(b, 32)).Append(", f_files=").Append(At(b, 40)).Append(", f_ffree=").Append(At(b, 48))
            .Append(", f_fsid={val=").Append(StructFormatter.Items([CallFormatter.Hex(BinaryPrimitives.ReadUInt32LittleEndian(b[56..])),
                CallFormatter.Hex(BinaryPrimitives.ReadUInt32LittleEndian(b[60..]))], arrayLimit)).Append('}')
            .Append(", f_namelen=").Append(At(b, 64)).Append(", f_frsize=").Append(At(b, 72));
        // Kernels before 2.6.36 left f_flags unset; ST_VALID says it is filled.
        var flags = At(b, 80);
        if ((flags & Valid) != 0) text.Append(", f_flags=").Append(XlatText.Format(xlat, CallFormatter.Hex(flags), MountFlags.Bits(flags)));
        return text.Append('}').ToString();
    }
}
