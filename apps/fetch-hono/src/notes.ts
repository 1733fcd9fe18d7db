/**
 * A sub-app mounted at /notes: read-only notes, and a word count of a posted note, with the body checked by
 * Hono's validator middleware.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { validator } from 'hono/validator';

const NOTES = [
  { id: 1, text: 'pre-fork: the arbiter forks workers before any request arrives' },
  { id: 2, text: 'HUP reloads the workers and keeps the socket' },
];

/** The /notes routes. */
export const notes = new Hono()
  .get('/', (c) => c.json(NOTES))
  .get('/:id{[0-9]+}', (c) => {
    const note = NOTES.find((n) => n.id === Number(c.req.param('id')));
    if (!note) throw new HTTPException(404, { message: `no note ${c.req.param('id')}` });
    return c.json(note);
  })
  .post(
    '/count',
    validator('json', (value) => {
      const text = (value as { text?: unknown } | null)?.text;
      if (typeof text !== 'string' || text.trim() === '') {
        throw new HTTPException(400, { message: 'expected { text: string }' });
      }
      return { text };
    }),
    (c) => {
      const { text } = c.req.valid('json');
      return c.json({ words: text.trim().split(/\s+/).length, characters: text.length });
    },
  );
