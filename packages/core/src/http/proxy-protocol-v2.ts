/**
 * PROXY protocol version 2 (the binary header HAProxy, AWS NLB and others send), parsed from a complete header
 * buffer. Framing (how many bytes to wait for) lives in `proxy-protocol.ts`; this file only decodes.
 *
 * Layout (haproxy `doc/proxy-protocol.txt` §2.2): a 12-byte signature, one byte version (high nibble, must be 2)
 * and command (low nibble: 0 LOCAL, 1 PROXY), one byte address family (high: 0 UNSPEC, 1 INET, 2 INET6, 3 UNIX)
 * and transport (low: 0 UNSPEC, 1 STREAM, 2 DGRAM), a big-endian 16-bit length, then that many bytes of
 * addresses followed by TLVs. TLVs are skipped, as gunicorn does.
 */
import { type ProxyHeader, ProxyProtocolError } from './proxy-protocol-types.js';

/** The 12 bytes every v2 header starts with: `\r\n\r\n\0\r\nQUIT\n`. */
export const V2_SIGNATURE: Buffer = Buffer.from([
  0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
]);

/** Size of the fixed part: signature, version/command, family/transport, length. */
export const V2_FIXED_LENGTH = 16;

function invalid(why: string): ProxyProtocolError {
  return new ProxyProtocolError(`Invalid PROXY protocol v2 header: ${why}`, 400);
}

/**
 * Formats 16 bytes as RFC 5952 text: lower-case hex, no leading zeros, the longest run of two or more zero groups
 * as `::`, and IPv4-mapped addresses as `::ffff:a.b.c.d` (how Node reports them on dual-stack sockets).
 */
export function formatIPv6(bytes: Buffer, offset: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(bytes.readUInt16BE(offset + i * 2));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes[offset + 12]}.${bytes[offset + 13]}.${bytes[offset + 14]}.${bytes[offset + 15]}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

function formatIPv4(bytes: Buffer, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/**
 * Decodes a complete v2 header (`V2_FIXED_LENGTH` + its length field bytes; the signature is assumed checked).
 * LOCAL commands, the UNSPEC family and UNIX-family addresses give `{ command: 'local' }`: the connection's own
 * addresses stay in force, as the spec asks of receivers (gunicorn rejects UNIX; it is harmless to accept).
 * Throws {@link ProxyProtocolError} with status 400 for anything malformed (gunicorn answers 500 here, an
 * oversight we do not copy: the client sent a bad request).
 */
export function parseProxyV2(header: Buffer): ProxyHeader {
  if (header.length < V2_FIXED_LENGTH) throw invalid('truncated');
  const versionCommand = header[12] as number;
  const familyTransport = header[13] as number;
  const length = header.readUInt16BE(14);
  if (header.length < V2_FIXED_LENGTH + length) throw invalid('truncated');
  if (versionCommand >> 4 !== 2) throw invalid(`unsupported version ${versionCommand >> 4}`);
  const command = versionCommand & 0x0f;
  if (command === 0) return { version: 2, command: 'local' };
  if (command !== 1) throw invalid(`unknown command ${command}`);
  const family = familyTransport >> 4;
  const transport = familyTransport & 0x0f;
  if (family === 0) return { version: 2, command: 'local' };
  if (family > 3) throw invalid(`unknown address family ${family}`);
  if (transport !== 1) throw invalid('transport is not STREAM');
  if (family === 3) return { version: 2, command: 'local' };
  const base = V2_FIXED_LENGTH;
  if (family === 1) {
    if (length < 12) throw invalid('address block too short for INET');
    return {
      version: 2,
      command: 'proxy',
      family: 'tcp4',
      remoteAddress: formatIPv4(header, base),
      proxyAddress: formatIPv4(header, base + 4),
      remotePort: header.readUInt16BE(base + 8),
      proxyPort: header.readUInt16BE(base + 10),
    };
  }
  if (length < 36) throw invalid('address block too short for INET6');
  return {
    version: 2,
    command: 'proxy',
    family: 'tcp6',
    remoteAddress: formatIPv6(header, base),
    proxyAddress: formatIPv6(header, base + 16),
    remotePort: header.readUInt16BE(base + 32),
    proxyPort: header.readUInt16BE(base + 34),
  };
}
