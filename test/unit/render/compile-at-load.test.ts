import Handlebars from 'handlebars';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderMessages } from '../../../src/render/render-job.js';
import { loadTemplateSet } from '../../../src/render/template-set.js';
import { fixedEnv, notification } from '../../support/templates.js';

describe('templates are compiled when they are loaded', () => {
  afterEach(() => vi.restoreAllMocks());

  it('the first render of every shipped template compiles no Handlebars code', () => {
    const set = loadTemplateSet(fixedEnv);
    // The environment's first render compiles one probe of its own (its partial setup).
    renderMessages(set, { notification: notification('single'), target: 't', template: 'minimal' });
    // The compiler Handlebars runs on a template's first call (not in its type definitions).
    const { JavaScriptCompiler } = Handlebars as unknown as {
      JavaScriptCompiler: { prototype: { compile(): unknown } };
    };
    const compile = vi.spyOn(JavaScriptCompiler.prototype, 'compile');
    for (const template of set.names().filter((t) => t !== 'minimal')) {
      const out = renderMessages(set, { notification: notification('mixed'), target: 't', template });
      expect(out.messages.length).toBeGreaterThan(0);
    }
    expect(compile).not.toHaveBeenCalled();
  });
});
