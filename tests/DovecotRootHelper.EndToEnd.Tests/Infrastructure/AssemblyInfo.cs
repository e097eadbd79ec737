using System.Runtime.Versioning;

// Each test class starts its own Dovecot; running them one after another keeps ports and
// log assertions free of interference from other classes.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// Dovecot, the hook and these tests are Linux-only.
[assembly: SupportedOSPlatform("linux")]
