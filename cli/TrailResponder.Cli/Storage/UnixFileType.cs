using System.Runtime.InteropServices;
using System.Text;

namespace TrailResponder.Cli.Storage;

/// <summary>Tells regular files from named pipes, sockets and devices, which .NET's file APIs do not.</summary>
/// <remarks>
/// Opening a named pipe blocks until something writes to it, so a pipe in a scanned folder would hang the command.
/// The type comes from Linux's <c>statx</c>, whose result layout is the same on every architecture (unlike
/// <c>stat</c>'s). Elsewhere (macOS, Windows, a libc without statx) every file counts as regular, as before.
/// </remarks>
internal static class UnixFileType
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const uint TypeWanted = 0x0001; // STATX_TYPE
    private const int ModeOffset = 28; // struct statx: stx_mask, stx_blksize, stx_attributes, stx_nlink, stx_uid, stx_gid, stx_mode
    private const int TypeMask = 0xF000; // S_IFMT
    private const int RegularType = 0x8000; // S_IFREG

    /// <summary>Whether <paramref name="path"/> (its target, for a symbolic link) is a regular file; true when the type cannot be told.</summary>
    public static bool IsRegular(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        var result = new byte[256];
        try
        {
            if (Statx(CurrentDirectory, NulTerminated(path), 0, TypeWanted, result) != 0
                || (BitConverter.ToUInt32(result, 0) & TypeWanted) == 0)
            {
                // Gone or unreadable: opening it reports that properly.
                return true;
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return true;
        }

        return (BitConverter.ToUInt16(result, ModeOffset) & TypeMask) == RegularType;
    }

    private static byte[] NulTerminated(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    [DllImport("libc", EntryPoint = "statx")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int directory, byte[] path, int flags, uint mask, byte[] result);
}
