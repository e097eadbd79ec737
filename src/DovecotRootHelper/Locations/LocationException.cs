namespace DovecotRootHelper.Locations;

/// <summary>A location cannot be worked out for this user (no home, a home Dovecot would misread, ...).</summary>
public sealed class LocationException(string message) : Exception(message);
