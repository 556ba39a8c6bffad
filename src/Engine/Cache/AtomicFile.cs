using System.Security.Cryptography;
using OpenBastion.Engine.Native;

#pragma warning disable CA1416 // Unix file modes: the cache is Linux-only

namespace OpenBastion.Engine.Cache;

/// <summary>Small private files written atomically: a 0600 temporary (O_EXCL), fsync, rename, directory fsync.</summary>
public static class AtomicFile
{
    private const UnixFileMode FileMode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>. Throws IOException / UnauthorizedAccessException.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content, string? temporaryName = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, temporaryName ?? $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        try
        {
            using (var fs = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = FileMode0600,
            }))
            {
                fs.Write(content);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
            LibcFiles.FsyncDirectory(directory);
        }
        catch
        {
            try { File.Delete(temp); } catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Up to <paramref name="max"/> bytes of a regular file (not a symlink), or null when absent.</summary>
    public static byte[]? ReadSmall(string path, int max)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) throw new IOException($"{path} is a symbolic link");
        if (!info.Exists) return null;
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[max + 1];
            int total = 0, n;
            while (total < buffer.Length && (n = fs.Read(buffer, total, buffer.Length - total)) > 0) total += n;
            return total > max ? throw new IOException($"{path} is larger than {max} bytes") : buffer[..total];
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
