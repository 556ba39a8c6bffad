using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenBastion.Engine.Cache;

namespace OpenBastion.Host.Hosting;

/// <summary>
/// Off the login path: persists the time high-water mark (at start, every <see cref="Period"/>, at stop),
/// warns when the system clock is seen behind it, and says loudly — at start and every
/// <see cref="FrozenReminder"/> — that the cache is frozen after a key change.
/// </summary>
public sealed class CacheUpkeep(DaemonRuntime runtime, ILogger<CacheUpkeep> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan FrozenReminder = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan ClockSkewWarning = TimeSpan.FromSeconds(5);

    private bool _warnedLag;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (runtime.Guard.Frozen) LogFrozen();
        else logger.LogInformation("offline cache key check: {Detail}", runtime.KeyCheck.Detail);
        CheckClock();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, runtime.Clock);
        var sinceReminder = TimeSpan.Zero;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Persist();
                CheckClock();
                sinceReminder += Period;
                if (runtime.Guard.Frozen && sinceReminder >= FrozenReminder)
                {
                    sinceReminder = TimeSpan.Zero;
                    LogFrozen();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Persist();
    }

    private void LogFrozen() =>
        logger.LogError("OFFLINE CACHE FROZEN: {Reason}. Offline logins answer unavailable and nothing in the cache is changed; online logins still work but are not cached",
            runtime.Guard.Reason);

    private void Persist()
    {
        try
        {
            runtime.Clock.Persist();
        }
        catch (CredentialStoreException ex)
        {
            logger.LogError("time high-water mark not persisted: {Message}", ex.Message);
        }
    }

    private void CheckClock()
    {
        var lag = runtime.Clock.Lag;
        if (lag > ClockSkewWarning)
        {
            if (_warnedLag) return;
            _warnedLag = true;
            logger.LogWarning("the system clock is {Seconds:0} s behind the highest time seen ({Mark:u}); lockouts and expiry keep following the high-water mark",
                lag.TotalSeconds, runtime.Clock.Mark);
        }
        else
        {
            _warnedLag = false;
        }
    }
}
