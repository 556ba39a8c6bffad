using Microsoft.Win32.SafeHandles;
using OpenBastion.Engine.Native;

namespace OpenBastion.Engine.Configuration;

/// <summary>
/// Reads a file that holds a secret (the cache key file, the OAuth2 client secret file). The file is
/// opened first and its status taken from the open descriptor, so what is checked is what is read.
/// Refused: not a regular file; any permission for group or others; when the process runs as root,
/// an owner other than root (someone else could have planted it).
/// </summary>
public static class ProtectedFile
{
    /// <summary>
    /// Up to <paramref name="maxBytes"/> bytes of the file, or null when it does not exist.
    /// Throws <see cref="InsecureFileException"/> when the file is refused, <see cref="IOException"/> or
    /// <see cref="UnauthorizedAccessException"/> when it cannot be read. Messages never hold the content.
    /// </summary>
    public static byte[]? ReadIfExists(string path, int maxBytes)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        using (handle)
        {
            var status = FileStatus.Of(handle);
            if (Problem(path, status) is { } problem) throw new InsecureFileException(problem);

            var buffer = new byte[maxBytes];
            var total = 0;
            while (total < maxBytes)
            {
                var n = RandomAccess.Read(handle, buffer.AsSpan(total), total);
                if (n == 0) break;
                total += n;
            }

            if (total == maxBytes) return buffer;
            var result = buffer.AsSpan(0, total).ToArray();
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
            return result;
        }
    }

    /// <summary>Why a secret file with this status must not be used; null when it is acceptable.</summary>
    public static string? Problem(string path, FileStatus status)
    {
        if (status.Kind != FileKind.Regular) return "is not a regular file";
        if (status.AccessibleByGroupOrOthers)
            return $"is accessible by group or others (mode {status.OctalPermissions}); run: chmod 600 {path}";
        if (Libc.IsRoot && status.Uid != 0)
            return $"is owned by uid {status.Uid}, not root; run: chown root: {path}";
        return null;
    }
}

/// <summary>A secret file refused because of its type, permissions or owner.</summary>
public sealed class InsecureFileException(string message) : IOException(message);
