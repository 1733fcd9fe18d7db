/**
 * Our corpus of malformed and smuggling requests, one entry per case of the classes the HTTP-layer issue
 * lists: bad method, bad version, invalid header names and values, conflicting Content-Length,
 * Transfer-Encoding + Content-Length smuggling, bare CR/LF, NUL bytes, obsolete line folding, plus the Host
 * and request-target rules. Each must be answered 400 (or the listed status) and the connection closed, and
 * neither it nor anything smuggled behind it may reach the app: every case requests its own path `/cN`,
 * and smuggled requests ask for `/smuggled/cN`.
 */

/** One case. */
export interface CorpusCase {
  readonly name: string;
  readonly class: string;
  readonly bytes: string;
  /** Acceptable statuses (default: 400 only). */
  readonly expect?: readonly number[];
}

/** The request hidden behind case `p`'s own; it asks for `/smuggled/cN`, so a leak names its case. */
const smuggled = (p: string) => `GET /smuggled${p} HTTP/1.1\r\nHost: x\r\n\r\n`;

/** Builds the corpus; case `i` asks for `/c{i}` wherever the request line allows a path. */
export function corpus(): CorpusCase[] {
  const cases: Array<Omit<CorpusCase, 'bytes'> & { bytes: (p: string) => string }> = [
    {
      class: 'method',
      name: 'non-token character in the method',
      bytes: (p) => `G@T ${p} HTTP/1.1\r\nHost: x\r\n\r\n`,
    },
    { class: 'method', name: 'lower-case method', bytes: (p) => `get ${p} HTTP/1.1\r\nHost: x\r\n\r\n` },
    { class: 'method', name: 'unknown method', bytes: (p) => `FROB ${p} HTTP/1.1\r\nHost: x\r\n\r\n` },
    { class: 'version', name: 'version HTTP/1.x', bytes: (p) => `GET ${p} HTTP/1.x\r\nHost: x\r\n\r\n` },
    {
      class: 'version',
      name: 'version HTTP/2.0 on an HTTP/1 connection',
      bytes: (p) => `GET ${p} HTTP/2.0\r\nHost: x\r\n\r\n`,
    },
    { class: 'version', name: 'misspelt protocol name', bytes: (p) => `GET ${p} HTTX/1.1\r\nHost: x\r\n\r\n` },
    { class: 'version', name: 'HTTP/0.9 request line (no version)', bytes: (p) => `GET ${p}\r\n\r\n` },
    {
      class: 'header-name',
      name: 'space inside a header name',
      bytes: (p) => `GET ${p} HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n`,
    },
    {
      class: 'header-name',
      name: 'space before the colon',
      bytes: (p) => `GET ${p} HTTP/1.1\r\nHost: x\r\nX-A : v\r\n\r\n`,
    },
    {
      class: 'header-name',
      name: 'non-token character in a header name',
      bytes: (p) => `GET ${p} HTTP/1.1\r\nHost: x\r\nX(A): v\r\n\r\n`,
    },
    { class: 'header-name', name: 'empty header name', bytes: (p) => `GET ${p} HTTP/1.1\r\nHost: x\r\n: v\r\n\r\n` },
    {
      class: 'header-value',
      name: 'control character in a value',
      bytes: (p) => `GET ${p} HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n`,
    },
    {
      class: 'header-value',
      name: 'DEL in a value',
      bytes: (p) => `GET ${p} HTTP/1.1\r\nHost: x\r\nX-A: a\x7fb\r\n\r\n`,
    },
    { class: 'nul', name: 'NUL in the request target', bytes: (p) => `GET ${p}\0x HTTP/1.1\r\nHost: x\r\n\r\n` },
    { class: 'nul', name: 'NUL in a header name', bytes: (p) => `GET ${p} HTTP/1.1\r\nHost: x\r\nX-\0A: v\r\n\r\n` },
    { class: 'nul', name: 'NUL in a header value', bytes: (p) => `GET ${p} HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n` },
    {
      class: 'content-length',
      name: 'two different Content-Length headers',
      bytes: (p) => `POST ${p} HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd`,
    },
    {
      class: 'content-length',
      name: 'the same Content-Length twice',
      bytes: (p) => `POST ${p} HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nabcd`,
    },
    {
      class: 'content-length',
      name: 'Content-Length list "4, 4"',
      bytes: (p) => `POST ${p} HTTP/1.1\r\nHost: x\r\nContent-Length: 4, 4\r\n\r\nabcd`,
    },
    {
      class: 'content-length',
      name: 'negative Content-Length',
      bytes: (p) => `POST ${p} HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\nabcd`,
    },
    {
      class: 'content-length',
      name: 'non-numeric Content-Length',
      bytes: (p) => `POST ${p} HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\nabcd`,
    },
    {
      class: 'content-length',
      name: 'Content-Length with a plus sign',
      bytes: (p) => `POST ${p} HTTP/1.1\r\nHost: x\r\nContent-Length: +4\r\n\r\nabcd`,
    },
    {
      class: 'smuggling',
      name: 'CL.TE: Content-Length then chunked, request smuggled in the body',
      bytes: (p) =>
        `POST ${p} HTTP/1.1\r\nHost: x\r\nContent-Length: ${5 + smuggled(p).length}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled(p)}`,
    },
    {
      class: 'smuggling',
      name: 'TE.CL: chunked then Content-Length, request smuggled in a chunk',
      bytes: (p) =>
        `POST ${p} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n${smuggled(p).length.toString(16)}\r\n${smuggled(p)}\r\n0\r\n\r\n`,
    },
    {
      class: 'smuggling',
      name: 'chunked listed twice',
      bytes: (p) =>
        `POST ${p} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n${smuggled(p)}`,
    },
    {
      class: 'smuggling',
      name: 'chunked not the last coding',
      bytes: (p) =>
        `POST ${p} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${smuggled(p)}`,
    },
    {
      class: 'smuggling',
      name: 'obfuscated coding "xchunked" with Content-Length',
      bytes: (p) =>
        `POST ${p} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${smuggled(p)}`,
    },
    {
      class: 'smuggling',
      name: 'Transfer-Encoding with a space before the colon',
      bytes: (p) =>
        `POST ${p} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${smuggled(p)}`,
    },
    {
      class: 'smuggling',
      name: 'chunked on HTTP/1.0',
      bytes: (p) => `POST ${p} HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled(p)}`,
    },
    {
      class: 'smuggling',
      name: 'unknown transfer coding',
      bytes: (p) => `POST ${p} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: frob, chunked\r\n\r\n0\r\n\r\n${smuggled(p)}`,
      // gunicorn's UnsupportedTransferCoding.
      expect: [501],
    },
    { class: 'line-endings', name: 'bare LF line ends', bytes: (p) => `GET ${p} HTTP/1.1\nHost: x\n\n` },
    {
      class: 'line-endings',
      name: 'bare CR after the request line',
      bytes: (p) => `GET ${p} HTTP/1.1\rHost: x\r\n\r\n`,
    },
    {
      class: 'line-endings',
      name: 'bare CR inside a header value',
      bytes: (p) => `GET ${p} HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n`,
    },
    {
      class: 'folding',
      name: 'obsolete line folding',
      bytes: (p) => `GET ${p} HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n`,
    },
    { class: 'host', name: 'HTTP/1.1 without Host', bytes: (p) => `GET ${p} HTTP/1.1\r\n\r\n` },
    { class: 'host', name: 'two Host headers', bytes: (p) => `GET ${p} HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n` },
    { class: 'target', name: 'relative request target', bytes: (p) => `GET ${p.slice(1)} HTTP/1.1\r\nHost: x\r\n\r\n` },
    {
      class: 'target',
      name: 'space inside the request target',
      bytes: (p) => `GET ${p} x HTTP/1.1\r\nHost: x\r\n\r\n`,
    },
  ];
  return cases.map((c, i) => ({ ...c, bytes: c.bytes(`/c${i}`) }));
}
