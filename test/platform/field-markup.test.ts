// The filter forms' select and text input are written in TypeScript for speed; they must produce the
// markup GOV.UK Frontend's macros produce for the same options (whitespace aside), escaping included.
import { expect } from 'chai';
import nunjucks from 'nunjucks';
import { govukFrontendDist } from '../../server/platform/views.js';
import { selectField, textField, type InputParams, type SelectParams } from '../../server/platform/field-markup.js';

const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(govukFrontendDist()), { autoescape: true });

function viaMacro(macro: 'govukSelect' | 'govukInput', params: object): string {
  const folder = macro === 'govukSelect' ? 'select' : 'input';
  return env.renderString(`{% from "govuk/components/${folder}/macro.njk" import ${macro} %}{{ ${macro}(params) }}`, { params });
}

/** Whitespace between and inside tags is layout only. */
function normalise(html: string): string {
  return html.replace(/\s+/g, ' ').replace(/>\s+/g, '>').replace(/\s+</g, '<').replace(/\s+>/g, '>').trim();
}

const hostile = `Tên "lạ" <b>đậm</b> & 'nháy' \\ cuối`;

describe('GOV.UK fields written in TypeScript', function () {
  const selects: [string, SelectParams][] = [
    ['plain, nothing chosen', { id: 'status', name: 'status', label: { text: 'Trạng thái' }, items: [{ value: '', text: 'Tất cả' }, { value: 'open', text: 'Đang mở' }] }],
    ['chosen by value', { id: 'unit', name: 'unit', label: { text: 'Xã' }, value: 'c2', items: [{ value: '', text: 'Tất cả' }, { value: 'c1', text: 'Xã A' }, { value: 'c2', text: 'Xã B' }] }],
    ['chosen by the item, not the value', { name: 'sort', label: { text: 'Sắp xếp' }, value: 'a', items: [{ value: 'a', text: 'A', selected: false }, { value: 'b', text: 'B', selected: true }] }],
    ['a numeric value and an item without a value', { id: 'month', name: 'month', label: { text: 'Tháng' }, value: 3, items: [{ value: 3, text: 'Tháng 3' }, { text: 'không giá trị' }, null] }],
    ['hint, error, classes, disabled', { id: 'period', name: 'period', label: { text: 'Kỳ', classes: 'govuk-label--s' }, hint: { text: 'Chọn kỳ' }, errorMessage: { text: 'Kỳ không hợp lệ' }, classes: 'govuk-!-width-full', formGroup: { classes: 'dn-inline' }, disabled: true, items: [{ value: 'x', text: 'X', disabled: true }] }],
    ['no error given as false', { id: 'half', name: 'half', label: { text: 'Nửa năm' }, errorMessage: false, items: [{ value: '1', text: '6 tháng đầu năm' }] }],
    ['an error with the reader’s prefix', { id: 'kind', name: 'kind', label: { text: 'Loại' }, errorMessage: { text: 'Chọn loại', visuallyHiddenText: 'Lỗi' }, items: [{ value: 'a', text: 'A' }] }],
    ['an error with no prefix', { id: 'kind', name: 'kind', label: { text: 'Loại' }, errorMessage: { text: 'Chọn loại', visuallyHiddenText: false }, items: [{ value: 'a', text: 'A' }] }],
    ['hostile text everywhere', { id: 'q', name: 'q', label: { text: hostile }, hint: { text: hostile }, errorMessage: { text: hostile }, value: hostile, items: [{ value: hostile, text: hostile }] }],
  ];
  for (const [name, params] of selects) {
    it(`select: ${name}`, function () {
      expect(normalise(selectField(params).toString())).to.equal(normalise(viaMacro('govukSelect', params)));
    });
  }

  const inputs: [string, InputParams][] = [
    ['plain', { id: 'q', name: 'q', label: { text: 'Tìm kiếm' } }],
    ['value, hint, width', { id: 'from', name: 'from', label: { text: 'Từ ngày' }, hint: { text: 'dd/mm/yyyy' }, value: '01/12/2026', classes: 'govuk-input--width-10' }],
    ['error, numeric mode, spellcheck off, autocomplete, pattern', { id: 'year', name: 'year', label: { text: 'Năm' }, errorMessage: { text: 'Năm không hợp lệ' }, value: 2026, inputmode: 'numeric', spellcheck: false, autocomplete: 'off', pattern: '[0-9]*', type: 'text' }],
    ['an empty value is kept as value=""', { id: 'to', name: 'to', label: { text: 'Đến ngày' }, value: '' }],
    ['no value at all', { id: 'to', name: 'to', label: { text: 'Đến ngày' }, value: null, disabled: true, type: 'search' }],
    ['hostile text everywhere', { id: 'q', name: 'q', label: { text: hostile }, hint: { text: hostile }, errorMessage: { text: hostile, visuallyHiddenText: hostile }, value: hostile }],
  ];
  for (const [name, params] of inputs) {
    it(`input: ${name}`, function () {
      expect(normalise(textField(params).toString())).to.equal(normalise(viaMacro('govukInput', params)));
    });
  }

  it('escapes what it writes (nothing typed can become markup)', function () {
    const html = textField({ name: 'q', label: { text: 'Tìm' }, value: '"><script>alert(1)</script>' }).toString();
    expect(html).to.not.include('<script>');
    expect(html).to.include('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('refuses an option it does not write, instead of dropping it silently', function () {
    const params = { name: 'q', label: { text: 'Tìm' }, prefix: { text: '₫' } } as unknown as InputParams;
    expect(() => textField(params)).to.throw(/prefix/);
    const select = { name: 's', label: { text: 'Chọn' }, items: [], attributes: { 'data-x': '1' } } as unknown as SelectParams;
    expect(() => selectField(select)).to.throw(/attributes/);
  });
});
