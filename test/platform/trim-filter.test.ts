// The views' `trim` filter (server/platform/views.ts) replaces nunjucks's regular-expression one: the same
// result for any text, safe text kept safe, and the GOV.UK components that trim their fragments render
// as before.
import { expect } from 'chai';
import fc from 'fast-check';
import nunjucks from 'nunjucks';
import { govukFrontendDist, trimFilter } from '../../server/platform/views.js';

const nunjucksTrim = (s: string) => s.replace(/^\s*|\s*$/g, '');

describe('views: the trim filter', () => {
  it('gives what nunjucks’s own gives, for any text', () => {
    const spaced = fc.string({ unit: fc.constantFrom(' ', '\n', '\t', '\u00a0', '\u2028', '\ufeff', 'a', 'ễ', '<', '\r') });
    fc.assert(
      fc.property(spaced, (s) => {
        expect(trimFilter(s)).to.equal(nunjucksTrim(s));
      }),
    );
  });

  it('keeps text marked safe safe, and plain text plain', () => {
    const safe = trimFilter(new nunjucks.runtime.SafeString('  <b>x</b>\n'));
    expect(safe).to.be.instanceOf(nunjucks.runtime.SafeString);
    expect(String(safe)).to.equal('<b>x</b>');
    expect(trimFilter('  <b>x</b> ')).to.equal('<b>x</b>');
    expect(trimFilter(undefined)).to.equal('');
  });

  it('renders a GOV.UK password input the same with either filter', () => {
    const render = (withOurs: boolean) => {
      const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(govukFrontendDist()), { autoescape: true });
      if (withOurs) env.addFilter('trim', trimFilter);
      return env.renderString('{% from "govuk/components/password-input/macro.njk" import govukPasswordInput %}{{ govukPasswordInput({ label: { text: "Mật khẩu <mới>" }, id: "p", name: "p", hint: { text: "Ít nhất 12 ký tự" } }) }}', {});
    };
    const ours = render(true);
    expect(ours).to.contain('govuk-password-input__toggle');
    expect(ours).to.equal(render(false));
  });
});
