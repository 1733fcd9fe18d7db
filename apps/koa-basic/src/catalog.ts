/**
 * The example's data: a fixed catalog, identical in every worker. State that changes belongs in a database or
 * cache shared by the workers, since each worker is a separate process with its own memory.
 */

/** A catalog entry. */
export interface Item {
  readonly id: string;
  readonly name: string;
  readonly price: number;
}

/** Every item, by id. */
export const CATALOG: readonly Item[] = [
  { id: 'kb', name: 'Keyboard', price: 49 },
  { id: 'ms', name: 'Mouse', price: 19 },
  { id: 'mn', name: 'Monitor', price: 189 },
];

/** An error Koa answers with its status and message. */
function badRequest(message: string): Error {
  return Object.assign(new Error(message), { status: 400, expose: true });
}

/** Prices `{ lines: [{ id, qty }] }`; throws a 400 error for anything else. */
export function quote(body: unknown): { lines: { id: string; qty: number; total: number }[]; total: number } {
  const lines = (body as { lines?: unknown } | undefined)?.lines;
  if (!Array.isArray(lines) || lines.length === 0) throw badRequest('expected { lines: [{ id, qty }] }');
  const priced = lines.map((line: { id?: unknown; qty?: unknown }) => {
    const item = CATALOG.find((i) => i.id === line.id);
    if (!item) throw badRequest(`unknown item ${String(line.id)}`);
    if (typeof line.qty !== 'number' || !Number.isInteger(line.qty) || line.qty < 1) {
      throw badRequest(`bad quantity for ${item.id}`);
    }
    return { id: item.id, qty: line.qty, total: item.price * line.qty };
  });
  return { lines: priced, total: priced.reduce((sum, line) => sum + line.total, 0) };
}
