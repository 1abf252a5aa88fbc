/**
 * How many leading bytes of `bytes` end on a UTF-8 character boundary: a multi-byte
 * character whose last bytes have not arrived (yet) is left out. Anything that is not a
 * truncated sequence (ASCII, stray continuation bytes) is kept as it is.
 */
export function completePrefix(bytes: Uint8Array): number {
  const end = bytes.length;
  // A sequence is at most 4 bytes: look back over at most 3 continuation bytes for its lead.
  for (let back = 1; back <= Math.min(4, end); back += 1) {
    const byte = bytes[end - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? end - back : end;
  }
  return end;
}
