import { z } from 'zod';

/** An http(s) URL of at most `max` characters: what Discord accepts in a link, an icon, a button. */
export const httpUrlOf = (max: number) =>
  z.string().refine(
    (s) => {
      if (s.length > max) return false;
      try {
        const u = new URL(s);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: `must be an http(s) URL of at most ${max} characters` },
  );
