using Akka.Actor;
using OpenBastion.Actors.Protocol;

namespace OpenBastion.Actors.Tests;

/// <summary>A large cache swept in small batches: every stale entry settled, logins served meanwhile.</summary>
public sealed class JanitorBatchSpecs() : ObActorsSpec("obactors.janitor.batch-size = 16")
{
    [Fact]
    public void A_sweep_of_many_entries_in_small_batches_removes_exactly_the_expired_ones()
    {
        StartOffline();
        for (var i = 0; i < 500; i++) Cache($"user{i:000}", "pw", age: i % 2 == 0 ? TimeSpan.FromDays(2) : TimeSpan.Zero);
        Assert.IsType<AuthResult.Success>(Authenticate("user001", "pw")); // a live entity among them

        Actors.Janitor.Tell(SweepNow.Instance);
        Send(Login("user003", "pw")); // served while the sweep runs
        var replies = new[] { ExpectMsg<object>(), ExpectMsg<object>() };
        Assert.Single(replies.OfType<AuthResult.Success>());
        Assert.Equal(new SweepReport(500, 250, 0, 0), Assert.Single(replies.OfType<SweepReport>()));
        Assert.Equal(250, Store.Count);
        Assert.True(Store.Has("user001"));
        Assert.False(Store.Has("user000"));
    }
}
