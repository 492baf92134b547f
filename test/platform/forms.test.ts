// Form errors as message keys: a field left out is "required"; a field sent as a list (the same name
// twice) or as an object (bracket syntax) is "invalid" — the user did type something.
import { expect } from 'chai';
import { z } from 'zod';
import { ValidationError } from '../../server/platform/errors.js';
import { parseForm } from '../../server/platform/http/forms.js';

const schema = z.object({ name: z.string().min(1, 'users.errors.nameRequired'), note: z.string().optional() });

function errorsOf(body: unknown): Record<string, string> {
  try {
    parseForm(schema, body);
  } catch (err) {
    if (err instanceof ValidationError) return err.fieldErrors;
    throw err;
  }
  return {};
}

describe('platform: form errors', () => {
  for (const [body, expected] of [
    [{}, { name: 'errors.required' }],
    [undefined, { name: 'errors.required' }],
    [{ name: '' }, { name: 'users.errors.nameRequired' }],
    [{ name: ['Lan', 'Hoa'] }, { name: 'errors.invalid' }],
    [{ name: { $ne: '' } }, { name: 'errors.invalid' }],
    [{ name: 'Lan', note: ['a', 'b'] }, { note: 'errors.invalid' }],
    [{ name: 'Lan' }, {}],
  ] as [unknown, Record<string, string>][]) {
    it(`${JSON.stringify(body) ?? 'no body'} → ${JSON.stringify(expected)}`, () => {
      expect(errorsOf(body)).to.deep.equal(expected);
    });
  }
});
