using System.Runtime.Versioning;
using DovecotRootHelper.EndToEnd.Tests.Infrastructure;

// Each test class starts its own Dovecot. The classes of one generation run one after another, which
// keeps its fixed Unix accounts to one class at a time; the three generations run side by side
// (CollectionPerGeneration says why that is safe).
[assembly: CollectionBehavior("DovecotRootHelper.EndToEnd.Tests.Infrastructure." + nameof(CollectionPerGeneration), "DovecotRootHelper.EndToEnd.Tests", MaxParallelThreads = 3)]

// Dovecot, the hook and these tests are Linux-only.
[assembly: SupportedOSPlatform("linux")]
