using OpenBastion.Actors.Protocol;
using OpenBastion.Actors.Tests.Doubles;

namespace OpenBastion.Actors.Tests;

/// <summary>DESIGN §3.10: the log lines in the seeds' words, never a password.</summary>
public sealed class LogSpecs : ObActorsSpec
{
    [Fact]
    public void Offline_outcomes_are_logged_in_the_seeds_words()
    {
        StartOffline();
        Cache("alice", "s3cret-pw", age: TimeSpan.FromHours(6));
        EventFilter.Info("offline auth success for user 'alice' (cached 6h ago)").ExpectOne(() =>
            Assert.IsType<AuthResult.Success>(Authenticate("alice", "s3cret-pw")));
        Authenticate("alice", "wrong-1");
        Authenticate("alice", "wrong-2");
        EventFilter.Warning("offline auth failed for user 'alice' (password mismatch, attempt 3/5)").ExpectOne(() =>
            Authenticate("alice", "wrong-3"));
        Authenticate("alice", "wrong-4");
        EventFilter.Warning("offline auth locked for user 'alice' (locked for 30s)").ExpectOne(() =>
            Assert.Equal(new AuthResult.WrongPassword(AuthPath.Offline), Authenticate("alice", "wrong-5")));
        EventFilter.Warning("offline auth blocked for user 'alice' (locked for 30s)").ExpectOne(() =>
            Assert.IsType<AuthResult.Locked>(Authenticate("alice", "wrong-6")));
        EventFilter.Custom(e => e.Message?.ToString()?.Contains("s3cret") == true || e.Message?.ToString()?.Contains("wrong-") == true)
            .Expect(0, () => Authenticate("alice", "s3cret-pw"));
    }

    [Fact]
    public void An_expired_entry_and_a_user_without_one_are_logged_in_the_seeds_words()
    {
        StartOffline();
        Cache("dave", "pw", age: TimeSpan.FromDays(2));
        EventFilter.Info("offline cache entry for user 'dave' expired, removed").ExpectOne(() =>
            Assert.Equal(new AuthResult.Unavailable(UnavailableReason.Expired), Authenticate("dave", "pw")));
        EventFilter.Info("offline auth unavailable for user 'eve' (not cached)").ExpectOne(() =>
            Assert.Equal(new AuthResult.Unavailable(UnavailableReason.NotCached), Authenticate("eve", "pw")));
    }

    [Fact]
    public void Switching_to_offline_is_logged_with_the_user()
    {
        Start();
        AwaitProbesSettled(1); // online
        Cache("bob", "pw");
        Portal.Mode = PortalMode.Refuse;
        EventFilter.Warning(start: "LLNG unreachable, switching to offline mode for user 'bob'").ExpectOne(() =>
            Assert.IsType<AuthResult.Success>(Authenticate("bob", "pw")));
    }
}
