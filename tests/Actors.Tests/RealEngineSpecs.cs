using System.Security.Cryptography;
using OpenBastion.Actors.Protocol;
using OpenBastion.Actors.Tests.Doubles;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Actors.Tests;

/// <summary>
/// The actors over the engine's real pieces: the encrypted file store in a temporary directory and
/// libsodium's Argon2id (small parameters so the spec stays quick). Time is still virtual.
/// </summary>
public sealed class RealEngineSpecs : Akka.TestKit.Xunit2.TestKit
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"obactors-spec-{Guid.NewGuid():N}");
    private readonly CredentialStore _store;
    private readonly ScriptedPortal _portal = new();
    private readonly ObActorRefs _actors;

    public RealEngineSpecs()
        : base(Akka.Configuration.ConfigurationFactory.ParseString(
            "akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\""))
    {
        var time = new SchedulerTimeProvider(Sys.Scheduler);
        _store = new CredentialStore(_dir, RandomNumberGenerator.GetBytes(32), time);
        var settings = Engine.Configuration.EngineSettings.Defaults with { Argon2 = new Argon2Parameters(8192, 1, 1) };
        _actors = ObActors.Start(Sys, new ActorServices(settings, _store, SodiumArgon2Hasher.Instance, _portal, time));
    }

    private AuthResult Login(string user, string password)
    {
        _actors.Users.Tell(new Authenticate(user, Engine.Secret.FromString(password), "login", null, "tty1", true,
            Sys.Scheduler.Now + TimeSpan.FromMinutes(1)), TestActor);
        return ExpectMsg<AuthResult>();
    }

    [Fact]
    public void Online_success_writes_a_real_encrypted_verifier_that_then_verifies_offline()
    {
        _portal.Knows("alice", "correct horse");
        Assert.Equal(AuthPath.Online, Assert.IsType<AuthResult.Success>(Login("alice", "correct horse")).Path);
        AwaitCondition(() => _store.Read("alice") is ReadOutcome.Found);
        var file = Path.Combine(_dir, CacheFileName.FileName("alice"));
        Assert.True(File.Exists(file));
        Assert.DoesNotContain("correct horse", File.ReadAllText(file));

        _portal.Mode = PortalMode.Refuse;
        Assert.Equal(AuthPath.Offline, Assert.IsType<AuthResult.Success>(Login("alice", "correct horse")).Path);
        Assert.Equal(new AuthResult.WrongPassword(AuthPath.Offline), Login("alice", "battery staple"));
        Assert.Equal(1, ((ReadOutcome.Found)_store.Read("alice")).Entry.FailedAttempts);
        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.NotCached), Login("bob", "x"));
    }

    [Fact]
    public void A_tampered_file_is_quarantined_by_the_janitor()
    {
        _portal.Knows("alice", "pw");
        Login("alice", "pw");
        AwaitCondition(() => _store.Read("alice") is ReadOutcome.Found);
        var file = Path.Combine(_dir, CacheFileName.FileName("alice"));
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 0xff;
        File.WriteAllBytes(file, bytes);

        _actors.Janitor.Tell(SweepNow.Instance, TestActor);
        Assert.Equal(1, ExpectMsg<SweepReport>().Quarantined);
        Assert.False(File.Exists(file));
        Assert.Single(Directory.GetFiles(Path.Combine(_dir, CredentialStore.QuarantineFolder)));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing); // the actor system first: nothing writes after this
        if (!disposing) return;
        _store.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
