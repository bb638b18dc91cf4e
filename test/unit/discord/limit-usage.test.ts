import { describe, expect, it } from 'vitest';
import { limitUsage } from '../../../src/discord/limit-usage.js';

describe('limitUsage', () => {
  it('measures message-wide limits and the fullest embed for each per-embed limit, as Discord counts', () => {
    const usage = limitUsage({
      content: '  hello  ',
      allowed_mentions: { parse: [] },
      embeds: [
        { title: 'abc', description: 'x'.repeat(100), fields: [{ name: 'n', value: 'v'.repeat(10) }] },
        {
          title: 'a',
          description: 'y'.repeat(4096),
          footer: { text: 'foot' },
          fields: [
            { name: 'n', value: 'v' },
            { name: 'n', value: 'w'.repeat(1024) },
          ],
        },
      ],
    });
    expect(usage).toEqual([
      { limit: 'embed characters', used: 3 + 100 + 1 + 10 + 1 + 4096 + 4 + 1 + 1 + 1 + 1024, max: 6000, path: '' },
      { limit: 'embeds', used: 2, max: 10, path: '' },
      { limit: 'content', used: 5, max: 2000, path: '' },
      { limit: 'title', used: 3, max: 256, path: 'embeds[0].title' },
      { limit: 'description', used: 4096, max: 4096, path: 'embeds[1].description' },
      { limit: 'fields', used: 2, max: 25, path: 'embeds[1].fields' },
      { limit: 'field value', used: 1024, max: 1024, path: 'embeds[1].fields[1].value' },
      { limit: 'footer', used: 4, max: 2048, path: 'embeds[1].footer.text' },
    ]);
  });

  it('reports zero, without a path, for a message with content only', () => {
    const usage = limitUsage({ content: 'hi', allowed_mentions: { parse: [] } });
    expect(usage.filter((u) => u.used > 0).map((u) => u.limit)).toEqual(['content']);
    expect(usage.find((u) => u.limit === 'description')).toEqual({
      limit: 'description',
      used: 0,
      max: 4096,
      path: '',
    });
  });
});
