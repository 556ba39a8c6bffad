using System.Runtime.Versioning;

// The admin tool and the daemon under test are Linux only.
[assembly: SupportedOSPlatform("linux")]
// One daemon per test, each on its own socket and cache; sequential keeps the 2-core CI machine calm.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
