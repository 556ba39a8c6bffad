using OpenBastion.Actors.Protocol;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Actors.Tests;

/// <summary>
/// DESIGN §3.1 step 6 (issue 15, bar 1): what an online success costs. A cached verifier with the current
/// parameters that matches the accepted password is kept (one verification, no new hash); a password changed
/// upstream, other parameters or no entry get a fresh verifier with a fresh salt.
/// </summary>
public sealed class OnlineRefreshSpecs : ObActorsSpec
{
    private void OnlineLogin(string user, string password, int writesAfter)
    {
        Assert.Equal(AuthPath.Online, Assert.IsType<AuthResult.Success>(Authenticate(user, password)).Path);
        AwaitCondition(() => Store.Writes == writesAfter);
    }

    [Fact]
    public void An_unchanged_password_keeps_its_verifier_after_one_verification_and_the_entry_is_renewed()
    {
        StartOnline();
        Portal.Knows("alice", "same-pass");
        var old = Cache("alice", "same-pass", Settings.Argon2, failures: 3, age: TimeSpan.FromDays(6));

        OnlineLogin("alice", "same-pass", writesAfter: 1);

        Assert.Equal(1, Hasher.Calls); // the verification; no second computation for a new verifier
        var kept = Store.Get("alice")!;
        Assert.Equal(old.Salt, kept.Salt);
        Assert.Equal(old.PasswordHash, kept.PasswordHash);
        Assert.Equal(0, kept.FailedAttempts);
        Assert.Equal(VirtualNow.ToUnixTimeSeconds(), kept.CreatedAt); // max TTL counts from this online success
        Assert.Equal(kept.CreatedAt + 86400, kept.ExpiresAt);
        Assert.Equal(Portal.AttributesFor("alice").Home, kept.Home);
    }

    [Fact]
    public void A_password_changed_upstream_replaces_the_verifier_with_a_fresh_salt()
    {
        StartOnline();
        Portal.Knows("alice", "new-pass");
        var old = Cache("alice", "old-pass", Settings.Argon2);

        OnlineLogin("alice", "new-pass", writesAfter: 1);

        Assert.Equal(2, Hasher.Calls); // the verification that failed, then the new verifier
        var fresh = Store.Get("alice")!;
        Assert.NotEqual(old.Salt, fresh.Salt);
        Assert.NotEqual(old.PasswordHash, fresh.PasswordHash);

        // The old password no longer verifies offline, the new one does.
        Portal.Mode = PortalMode.Refuse;
        Assert.Equal(new AuthResult.WrongPassword(AuthPath.Offline), Authenticate("alice", "old-pass"));
        Assert.Equal(AuthPath.Offline, Assert.IsType<AuthResult.Success>(Authenticate("alice", "new-pass")).Path);
    }

    [Fact]
    public void A_verifier_with_other_parameters_is_recomputed_with_the_current_ones_without_checking_it_first()
    {
        StartOnline();
        Portal.Knows("alice", "same-pass");
        var old = Cache("alice", "same-pass", Argon2Parameters.Legacy);

        OnlineLogin("alice", "same-pass", writesAfter: 1);

        Assert.Equal(1, Hasher.Calls); // straight to the new verifier
        var fresh = Store.Get("alice")!;
        Assert.NotEqual(old.Salt, fresh.Salt);
        Assert.Equal(Settings.Argon2, fresh.Parameters);
    }

    [Fact]
    public void A_first_online_login_computes_a_verifier()
    {
        StartOnline();
        Portal.Knows("alice", "pass");

        OnlineLogin("alice", "pass", writesAfter: 1);

        Assert.Equal(1, Hasher.Calls);
        Assert.Equal(Settings.Argon2, Store.Get("alice")!.Parameters);
    }
}
