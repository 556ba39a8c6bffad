using Microsoft.Extensions.Time.Testing;
using OpenBastion.Engine.Cache;
using OpenBastion.Host.Hosting;

namespace OpenBastion.Host.Tests;

/// <summary>A starting daemon waits (bounded) for a cache lock held by ob-cache-admin (issue 10 item 5), on virtual time.</summary>
public sealed class CacheLockWaitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("obactors-lockwait-").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly List<string> _notices = [];
    private int _sleeps;

    private CacheLockWait Wait(Action? onSleep = null) => new()
    {
        Time = _time,
        Sleep = t =>
        {
            _sleeps++;
            _time.Advance(t);
            onSleep?.Invoke();
        },
        Notice = _notices.Add,
    };

    [Fact]
    public void A_lock_held_by_ob_cache_admin_is_waited_for_until_it_is_released()
    {
        Assert.True(DirectoryLock.TryAcquire(_dir, out var admin, DirectoryLock.AdminHolder));
        var wait = Wait(() =>
        {
            if (_sleeps == 3) admin!.Dispose();
        });

        using var acquired = wait.Acquire(_dir, out _);

        Assert.NotNull(acquired);
        Assert.Equal(3, _sleeps);
        Assert.Contains($"locked by ob-cache-admin (pid {Environment.ProcessId}); waiting up to 30 s", _notices[0]);
        Assert.Equal(new LockHolder(Environment.ProcessId, DirectoryLock.DaemonHolder), DirectoryLock.ReadHolder(_dir)); // now the daemon's
    }

    [Fact]
    public void After_the_bound_the_daemon_gives_up()
    {
        Assert.True(DirectoryLock.TryAcquire(_dir, out var admin, DirectoryLock.AdminHolder));
        using (admin)
        {
            var acquired = Wait().Acquire(_dir, out var holder);

            Assert.Null(acquired);
            Assert.Equal(DirectoryLock.AdminHolder, holder!.Name);
            Assert.Equal((int)(CacheLockWait.DefaultBound / CacheLockWait.DefaultPoll), _sleeps); // 30 s of 250 ms polls, virtual
            Assert.Single(_notices);
        }
    }

    [Fact]
    public void A_lock_held_by_a_running_daemon_is_refused_at_once()
    {
        Assert.True(DirectoryLock.TryAcquire(_dir, out var daemon));
        using (daemon)
        {
            Assert.Null(Wait().Acquire(_dir, out var holder));
            Assert.Equal(0, _sleeps);
            Assert.Equal(DirectoryLock.DaemonHolder, holder!.Name);
        }
    }

    [Fact]
    public void A_holder_that_has_not_recorded_itself_yet_is_waited_for()
    {
        Assert.True(DirectoryLock.TryAcquire(_dir, out var other));
        // What the file says before a new holder writes its record: a process that is gone.
        // (Written with open/write: .NET's FileStream takes a flock of its own, refused while the lock is held.)
        var record = System.Text.Encoding.ASCII.GetBytes("2147483646 obactors".PadRight(63) + "\n");
        var fd = Open(Path.Combine(_dir, DirectoryLock.FileName), 1 /* O_WRONLY */);
        Assert.True(fd >= 0);
        Assert.Equal(record.Length, (int)Write(fd, record, record.Length));
        Close(fd);
        Assert.Equal(new LockHolder(2147483646, "obactors"), DirectoryLock.ReadHolder(_dir));
        var wait = Wait(() =>
        {
            if (_sleeps == 2) other!.Dispose();
        });

        using var acquired = wait.Acquire(_dir, out _);

        Assert.NotNull(acquired);
        Assert.Equal(2, _sleeps);
    }

    [Fact]
    public void None_tries_once()
    {
        Assert.True(DirectoryLock.TryAcquire(_dir, out var admin, DirectoryLock.AdminHolder));
        using (admin)
            Assert.Null(CacheLockWait.None.Acquire(_dir, out _));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open")]
    private static extern int Open(string path, int flags);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "write")]
    private static extern nint Write(int fd, byte[] buffer, nint count);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
