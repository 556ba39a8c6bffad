using OpenBastion.Engine.Cache;

namespace OpenBastion.Host.Hosting;

/// <summary>
/// How a starting daemon takes the cache directory lock (issue 10 item 5). When the lock is held by a
/// live <c>ob-cache-admin</c> command (direct mode: a list, a cleanup), or by a process that has not
/// recorded itself yet, the daemon waits for it, polling every <see cref="Poll"/>, up to
/// <see cref="Bound"/> (a constant: 30 s, well inside systemd's start timeout of 90 s); only then does it
/// give up (exit 75, and the unit restarts it). When a live daemon holds it, it gives up at once.
/// Time and sleep are injected so the loop is tested on virtual time.
/// </summary>
public sealed class CacheLockWait
{
    /// <summary>The longest a starting daemon waits for an admin command's lock.</summary>
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DefaultPoll = TimeSpan.FromMilliseconds(250);

    public TimeSpan Bound { get; init; } = DefaultBound;

    public TimeSpan Poll { get; init; } = DefaultPoll;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Waits between two attempts (Thread.Sleep; tests advance a fake clock).</summary>
    public Action<TimeSpan> Sleep { get; init; } = Thread.Sleep;

    /// <summary>Told once when the daemon starts waiting (the daemon writes it to stderr, i.e. the journal).</summary>
    public Action<string> Notice { get; init; } = _ => { };

    /// <summary>Tries once and never waits (tests that want the immediate refusal).</summary>
    public static CacheLockWait None { get; } = new() { Bound = TimeSpan.Zero };

    /// <summary>The lock, or null when it is still held after the bound (or held by a running daemon), with who holds it.</summary>
    public DirectoryLock? Acquire(string directory, out LockHolder? holder)
    {
        var start = Time.GetTimestamp();
        var told = false;
        while (true)
        {
            if (DirectoryLock.TryAcquire(directory, out var directoryLock, DirectoryLock.DaemonHolder))
            {
                holder = null;
                if (told) Notice($"the cache directory '{directory}' is free again; starting");
                return directoryLock;
            }
            holder = DirectoryLock.ReadHolder(directory);
            if (holder is { IsAlive: true, Name: DirectoryLock.DaemonHolder }) return null; // another daemon: waiting will not help
            if (Time.GetElapsedTime(start) >= Bound) return null;
            if (!told)
            {
                Notice(holder is { IsAlive: true }
                    ? $"the cache directory '{directory}' is locked by {holder.Name} (pid {holder.Pid}); waiting up to {Bound.TotalSeconds:0} s"
                    : $"the cache directory '{directory}' is locked by another process; waiting up to {Bound.TotalSeconds:0} s");
                told = true;
            }
            Sleep(Poll);
        }
    }
}
