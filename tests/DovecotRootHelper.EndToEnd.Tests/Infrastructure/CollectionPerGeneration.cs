using System.Collections.Concurrent;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace DovecotRootHelper.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One xunit test collection per Dovecot generation, chosen by the class's name: <c>...OnDovecot245</c>,
/// <c>...OnDovecot24</c>, and everything else (2.3's classes, the 2.3-only ones, the rest). Classes in
/// a collection run one after another, as every class did before there were three generations; the
/// three collections run side by side. That is safe because they share nothing: each Dovecot has
/// its own directory and ports (<see cref="DovecotSandbox"/>), each generation its own Unix accounts
/// (<see cref="DovecotGenerationExtensions.Account"/>), and the 2.4s their own Debian trees.
/// </summary>
public sealed class CollectionPerGeneration : IXunitTestCollectionFactory
{
    private readonly ITestAssembly _testAssembly;
    private readonly ConcurrentDictionary<string, ITestCollection> _collections = new(StringComparer.Ordinal);

    // The constructor xunit calls; this factory has nothing to tell its message sink.
    public CollectionPerGeneration(ITestAssembly testAssembly, IMessageSink diagnosticMessageSink)
    {
        ArgumentNullException.ThrowIfNull(diagnosticMessageSink);
        _testAssembly = testAssembly;
    }

    public string DisplayName => "collection per Dovecot generation";

    public ITestCollection Get(ITypeInfo testClass)
    {
        string name = Generation(testClass.Name);
        return _collections.GetOrAdd(name, n => new TestCollection(_testAssembly, collectionDefinition: null, $"Dovecot {n}"));
    }

    /// <summary>The generation a test class runs on, by the suffix every generation's subclass carries.</summary>
    public static string Generation(string className) =>
        className.EndsWith("OnDovecot245", StringComparison.Ordinal) ? DovecotGeneration.V245.Name()
        : className.EndsWith("OnDovecot24", StringComparison.Ordinal) ? DovecotGeneration.V24.Name()
        : DovecotGeneration.V23.Name();
}
