using Akka.Actor;
using OpenBastion.Actors.Protocol;
using OpenBastion.Engine.Cache;

namespace OpenBastion.Actors.Tests;

/// <summary>Issue 11: the registry only routes and buffers; the entities do the cache I/O, and go away again.</summary>
public sealed class RegistryRoutingSpecs() : ObActorsSpec("obactors.janitor.batch-size = 16")
{
    [Fact]
    public void A_sweep_is_settled_by_the_entities_never_by_the_registry_and_leaves_no_live_entity()
    {
        var store = new IoByActor(Store);
        var refs = ObActors.Start(Sys, new ActorServices(Settings, store, Hasher, Portal, Time) { Guard = Guard });
        for (var i = 0; i < 100; i++) Cache($"user{i:000}", "pw", age: i % 2 == 0 ? TimeSpan.FromDays(2) : TimeSpan.Zero);
        Store.PutUnreadable(new string('a', CacheFileName.KeyLength), ReadFailure.BadMagic);

        refs.Janitor.Tell(SweepNow.Instance);
        Assert.Equal(new SweepReport(101, 50, 0, 1), ExpectMsg<SweepReport>());
        Assert.Equal(50, Store.Count); // 50 fresh; the expired removed, the unreadable quarantined

        Assert.NotEmpty(store.Actors);
        Assert.DoesNotContain(refs.Users.Path.ToStringWithoutAddress(), store.Actors);
        // Every entity woken only for its key command passivated at once, through the registry.
        AwaitAssert(() => Assert.Empty(UserEntitiesNow()));
    }

    [Fact]
    public void Expire_removes_expired_entries_and_leaves_unreadable_and_temporary_files()
    {
        StartOffline();
        Cache("old", "pw", age: TimeSpan.FromDays(2));
        Cache("fresh", "pw");
        Store.PutUnreadable(new string('b', CacheFileName.KeyLength), ReadFailure.BadMagic);
        Store.PutTemporary("/memory/.x.tmp", VirtualNow - TimeSpan.FromDays(1));

        Actors.Janitor.Tell(new SweepNow(Engine.Maintenance.SweepKind.Expire));
        Assert.Equal(new SweepReport(3, 1, 0, 0), ExpectMsg<SweepReport>());
        Assert.False(Store.Has("old"));
        Assert.True(Store.Has("fresh"));
        Assert.Empty(Store.Quarantined);
        Assert.Single(Store.Temporary);
    }

    private List<IActorRef> UserEntitiesNow()
    {
        var probe = CreateTestProbe();
        var registry = Sys.ActorSelection("/user/users").ResolveOne(TimeSpan.FromSeconds(10)).Result;
        // Ask the registry's children through the actor system's own view.
        return ((ActorRefWithCell)registry).Children.ToList();
    }

    /// <summary>A store that records which actor did each read, delete or quarantine.</summary>
    private sealed class IoByActor(ICredentialStore inner) : ICredentialStore
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<string> _actors = [];

        public IReadOnlyCollection<string> Actors => _actors.Distinct().ToList();

        private void Note()
        {
            var self = ActorCell.GetCurrentSelfOrNoSender();
            if (self is not null && !self.IsNobody()) _actors.Add(self.Path.ToStringWithoutAddress());
        }

        public string Directory => inner.Directory;
        public ReadOutcome Read(string user) { Note(); return inner.Read(user); }
        public ReadOutcome ReadByKey(string key) { Note(); return inner.ReadByKey(key); }
        public void Write(CredentialEntry entry) { Note(); inner.Write(entry); }
        public void WritePad() => inner.WritePad();
        public bool Delete(string user) { Note(); return inner.Delete(user); }
        public bool DeleteByKey(string key) { Note(); return inner.DeleteByKey(key); }
        public IReadOnlyList<StoredFile> Enumerate() => inner.Enumerate();
        public IReadOnlyList<string> OrphanedTemporaryFiles(TimeSpan olderThan) => inner.OrphanedTemporaryFiles(olderThan);
        public void RemoveTemporaryFile(string path) => inner.RemoveTemporaryFile(path);
        public string Quarantine(string key) { Note(); return inner.Quarantine(key); }
    }
}
