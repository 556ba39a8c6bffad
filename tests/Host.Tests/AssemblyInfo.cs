using System.Runtime.Versioning;

// The daemon under test is Linux only.
[assembly: SupportedOSPlatform("linux")]

// Several classes here start processes (the built daemon, clients run as nobody). A child forked by
// one test shares every open file description until it execs, including another test's cache
// directory lock (flock belongs to the description), so lock-release assertions could see the lock
// still held for that instant. Test classes therefore run one after another.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
