namespace DovecotRootHelper.Posix;

/// <summary>A read-only memory mapping of a whole file, unmapped on dispose.</summary>
public sealed unsafe class MappedFile : IDisposable
{
    private IntPtr _address;

    internal MappedFile(IntPtr address, int length)
    {
        _address = address;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _address == IntPtr.Zero ? [] : new ReadOnlySpan<byte>((void*)_address, Length);

    public void Dispose()
    {
        if (_address != IntPtr.Zero)
            _ = Libc.Munmap(_address, (nuint)Length);
        _address = IntPtr.Zero;
    }
}
