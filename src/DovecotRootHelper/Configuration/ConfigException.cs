namespace DovecotRootHelper.Configuration;

/// <summary>The configuration cannot be used; the message names the file and the setting.</summary>
public sealed class ConfigException(string message) : Exception(message);
