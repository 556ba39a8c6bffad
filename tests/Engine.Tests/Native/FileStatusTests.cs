using System.Net.Sockets;
using OpenBastion.Engine.Native;
using OpenBastion.Engine.Tests.Configuration;
using OpenBastion.Engine.Tests.TestSupport;

namespace OpenBastion.Engine.Tests.Native;

/// <summary>The one statx binding, as both the engine (secret files) and the daemon (its socket) use it.</summary>
public sealed class FileStatusTests : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_regular_file_reports_its_kind_owner_permissions_and_size()
    {
        var path = _dir.Write("file", "12345", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var status = FileStatus.Of(path);

        Assert.Equal(FileKind.Regular, status.Kind);
        Assert.Equal(ProcessIdentity.EffectiveUid, status.Uid);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, status.Permissions);
        Assert.Equal("0640", status.OctalPermissions);
        Assert.True(status.AccessibleByGroupOrOthers);
        Assert.Equal(5, status.Size);
    }

    [Fact]
    public void An_open_handle_reports_the_file_it_holds()
    {
        var path = _dir.Write("file", "abc");
        using var handle = File.OpenHandle(path);

        var status = FileStatus.Of(handle);

        Assert.Equal(FileStatus.Of(path), status);
        Assert.Equal(FileKind.Regular, status.Kind);
        Assert.False(status.AccessibleByGroupOrOthers);
    }

    [Fact]
    public void A_directory_is_a_directory()
    {
        Assert.Equal(FileKind.Directory, FileStatus.Of(_dir.Path).Kind);
    }

    [Fact]
    public void A_final_symlink_is_not_followed()
    {
        var target = _dir.Write("target", "x");
        var link = _dir.Combine("link");
        File.CreateSymbolicLink(link, target);

        Assert.Equal(FileKind.Symlink, FileStatus.Of(link).Kind);
    }

    [Fact]
    public void A_unix_socket_is_a_socket()
    {
        var path = _dir.Combine("s.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));

        Assert.Equal(FileKind.Socket, FileStatus.Of(path).Kind);
    }

    [Fact]
    public void A_missing_path_or_one_below_a_file_is_missing()
    {
        var file = _dir.Write("file", "x");

        Assert.Equal(FileKind.Missing, FileStatus.Of(_dir.Combine("absent")).Kind); // ENOENT
        Assert.Equal(FileKind.Missing, FileStatus.Of(Path.Combine(file, "below")).Kind); // ENOTDIR
        Assert.Equal(FileStatus.Missing, FileStatus.Of(_dir.Combine("absent", "deeper")));
    }

    [Fact]
    public void Any_other_failure_is_an_error_not_a_missing_file()
    {
        var tooLong = _dir.Combine(new string('n', 300)); // ENAMETOOLONG, whoever runs the test

        var e = Assert.Throws<IOException>(() => FileStatus.Of(tooLong));
        Assert.StartsWith($"statx {tooLong}: ", e.Message);
    }
}
