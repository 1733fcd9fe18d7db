/** The bytes of a minimal closing HTTP response, for connections no `ServerResponse` exists for. */

/** `HTTP/1.1 <status> <reason>` with `Connection: close` and the reason as a text body. */
export function plainAnswer(status: number, reason: string): string {
  const body = `${reason}\n`;
  return `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
}
