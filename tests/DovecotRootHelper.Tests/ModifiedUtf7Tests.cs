using CsCheck;
using DovecotRootHelper.Mailboxes;

namespace DovecotRootHelper.Tests;

public class ModifiedUtf7Tests
{
    [Theory]
    [InlineData("Entw&APw-rfe", "Entwürfe")]
    [InlineData("sub/Entw&APw-rfe", "sub/Entwürfe")]
    [InlineData("&-", "&")]
    [InlineData("Tom &- Jerry", "Tom & Jerry")]
    [InlineData("My Folder", "My Folder")]
    [InlineData("&ZeVnLIqe-", "日本語")]
    [InlineData("&2D3eAA-", "😀")]
    public void DecodesRfc3501Names(string stored, string shown) => Assert.Equal(shown, ModifiedUtf7.TryDecode(stored));

    [Theory]
    [InlineData("&APw")]
    [InlineData("&AGE-")]
    [InlineData("&!!-")]
    [InlineData("caf\u00e9")]
    [InlineData("&2D0-")]
    public void RefusesWhatDovecotWouldNotWrite(string stored)
    {
        Assert.Null(ModifiedUtf7.TryDecode(stored));
        Assert.Equal(stored, ModifiedUtf7.Decode(stored));
    }

    [Fact]
    public void EncodeThenDecodeGivesTheNameBack() =>
        Gen.String[Gen.Char.Where(c => !char.IsSurrogate(c)), 0, 20].Sample(s =>
            Assert.Equal(s, ModifiedUtf7.TryDecode(ModifiedUtf7.Encode(s))), iter: 2000);

    [Fact]
    public void EncodesLikeDovecot() => Assert.Equal("Entw&APw-rfe", ModifiedUtf7.Encode("Entwürfe"));
}
