using OpenBastion.Engine.Native;
using OpenBastion.Engine.Tests.Configuration;

namespace OpenBastion.Engine.Tests.Native;

/// <summary>The one binding of open/fsync for a directory, shared by the cache and the key derivation.</summary>
public sealed class LibcFilesTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Fsyncing_a_directory_refuses_a_path_that_is_not_one()
    {
        var file = _dir.Write("file", "x");

        LibcFiles.FsyncDirectory(_dir.Path);
        var e = Assert.Throws<IOException>(() => LibcFiles.FsyncDirectory(file));
        Assert.StartsWith($"open directory {file}: ", e.Message);
        Assert.EndsWith($"(errno {Libc.ENOTDIR})", e.Message);
    }
}
