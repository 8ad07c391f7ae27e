using System.Buffers.Binary;

namespace ZoomChat.Bench.DataGen;

/// <summary>Writes 128 bits in the 8-4-4-4-12 form of a UUID, lower-case hex, as UTF-8.</summary>
internal static class Uuid
{
    public const int Length = 36;

    public static void Write(ulong high, ulong low, Span<byte> destination)
    {
        Span<byte> bits = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bits, high);
        BinaryPrimitives.WriteUInt64BigEndian(bits[8..], low);
        Span<byte> hex = stackalloc byte[32];
        Convert.TryToHexStringLower(bits, hex, out _);
        hex[..8].CopyTo(destination);
        destination[8] = (byte)'-';
        hex[8..12].CopyTo(destination[9..]);
        destination[13] = (byte)'-';
        hex[12..16].CopyTo(destination[14..]);
        destination[18] = (byte)'-';
        hex[16..20].CopyTo(destination[19..]);
        destination[23] = (byte)'-';
        hex[20..].CopyTo(destination[24..]);
    }
}
