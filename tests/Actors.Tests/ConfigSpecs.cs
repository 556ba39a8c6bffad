using Akka.Configuration;
using OpenBastion.Actors.Connectivity;
using OpenBastion.Actors.Users;
using OpenBastion.Engine.Cache;

namespace OpenBastion.Actors.Tests;

/// <summary>obactors.hocon: embedded, complete, overridable; small pure pieces.</summary>
public sealed class ConfigSpecs
{
    [Fact]
    public void The_embedded_defaults_define_every_tunable()
    {
        var o = ObActorsOptions.From(null);
        Assert.Equal(Environment.ProcessorCount, o.HashingWorkers); // workers = 0 → one per core
        Assert.Equal(32, o.StashBound);
        Assert.Equal(TimeSpan.FromSeconds(120), o.PassivationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), o.ProbeIntervalOnline);
        Assert.Equal(TimeSpan.FromSeconds(5), o.ProbeBackoffInitial);
        Assert.Equal(TimeSpan.FromSeconds(300), o.ProbeBackoffMax);
        Assert.Equal(0.25, o.ProbeBackoffJitter);
        Assert.Equal(256, o.JanitorBatchSize);
        Assert.Equal(TimeSpan.FromSeconds(60), o.OrphanAge);
        Assert.Equal("obactors.janitor-dispatcher", o.JanitorDispatcher);
        Assert.Equal(TimeSpan.FromSeconds(10), o.AdminAskTimeout);
        Assert.Equal("INFO", ObActorsConfig.Default.GetString("akka.loglevel"));
    }

    [Fact]
    public void The_online_cut_is_one_scheduler_tick_before_offline_timeout_and_never_below_half_of_it()
    {
        Assert.Equal(ObActorsOptions.DefaultSchedulerTick, ObActorsOptions.From(null).SchedulerTick);
        var o = ObActorsOptions.From(ConfigurationFactory.ParseString("akka.scheduler.tick-duration = 25ms"));
        Assert.Equal(TimeSpan.FromMilliseconds(25), o.SchedulerTick);
        Assert.Equal(TimeSpan.FromMilliseconds(1975), o.OnlineCutFor(TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromMilliseconds(20), o.OnlineCutFor(TimeSpan.FromMilliseconds(40)));
    }

    [Fact]
    public void The_suspicion_delay_and_the_hashing_queue_bound_have_documented_defaults_and_limits()
    {
        var o = ObActorsOptions.From(null);
        Assert.Equal(TimeSpan.FromMilliseconds(500), o.ConfirmAfter);
        Assert.Equal(256 * o.HashingWorkers, o.HashingQueueBound);
        Assert.Equal(TimeSpan.FromMilliseconds(500), o.ConfirmAfterFor(TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromMilliseconds(300), o.ConfirmAfterFor(TimeSpan.FromMilliseconds(600))); // never over half
        var tuned = ObActorsOptions.From(ConfigurationFactory.ParseString(
            "obactors.connectivity.confirm-after = 2s\nobactors.hashing.queue-bound = 10"));
        Assert.Equal(TimeSpan.FromSeconds(2), tuned.ConfirmAfterFor(TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(1), tuned.ConfirmAfterFor(TimeSpan.FromSeconds(2)));
        Assert.Equal(10, tuned.HashingQueueBound);
    }

    [Fact]
    public void An_override_file_changes_only_what_it_names()
    {
        var path = Path.Combine(Path.GetTempPath(), $"obactors-{Guid.NewGuid():N}.hocon");
        File.WriteAllText(path, "obactors.hashing.workers = 3\nobactors.user.stash-bound = 7\n");
        try
        {
            var o = ObActorsOptions.From(ObActorsConfig.Load(path));
            Assert.Equal(3, o.HashingWorkers);
            Assert.Equal(7, o.StashBound);
            Assert.Equal(TimeSpan.FromSeconds(120), o.PassivationTimeout);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Same(ObActorsConfig.Default, ObActorsConfig.Load("/nonexistent/obactors.hocon"));
    }

    [Fact]
    public void A_system_config_overrides_the_embedded_defaults()
    {
        var o = ObActorsOptions.From(ConfigurationFactory.ParseString("obactors.janitor.batch-size = 10"));
        Assert.Equal(10, o.JanitorBatchSize);
        Assert.Equal(32, o.StashBound);
    }

    [Fact]
    public void Backoff_doubles_up_to_the_cap_and_jitter_only_stretches_within_its_fraction()
    {
        var exact = new ProbeBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(300), 0, new Random(1));
        Assert.Equal([5, 10, 20, 40, 80, 160, 300, 300], Enumerable.Range(0, 8).Select(n => exact.Delay(n).TotalSeconds));
        var jittered = new ProbeBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(300), 0.25, new Random(7));
        for (var n = 0; n < 50; n++)
        {
            var d = jittered.Delay(n % 8).TotalSeconds;
            var basis = Math.Min(5 * Math.Pow(2, n % 8), 300);
            Assert.InRange(d, basis, basis * 1.25);
        }
    }

    [Fact]
    public void Entity_keys_are_the_cache_file_keys()
    {
        Assert.Equal(CacheFileName.KeyFor("alice"), UserKey.For("alice"));
        Assert.Matches("^[0-9a-f]{32}$", UserKey.For("alice"));
    }
}
