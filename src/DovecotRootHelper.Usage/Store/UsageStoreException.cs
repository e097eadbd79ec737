namespace DovecotRootHelper.Usage.Store;

/// <summary>The usage database cannot be used; the message is one line naming the file.</summary>
public sealed class UsageStoreException(string message, Exception? inner = null) : Exception(message, inner);
