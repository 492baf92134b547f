// The select and text input of GOV.UK Frontend, written out in TypeScript for the pages drawn on every
// request: the list filters and the statistics period. The component macros build the same markup
// through a dozen nested template calls per field and a template loop per option, which made the
// filter form of the case list (120 communes, the officers, the fields) cost 1.5 of its 2.4 ms of
// rendering. The markup is the same as the macros' (a test renders both), so the styles, the scripts
// and the tests that find fields by label do not change. Only the options the pages use are taken;
// anything else is a programming error and throws, so a page never silently loses an attribute.
import nunjucks from 'nunjucks';

export interface FieldText {
  text: string;
  classes?: string;
}

interface FieldParams {
  id?: string;
  name: string;
  label: FieldText;
  hint?: FieldText;
  /** As `errorFor` returns it: the message (and the screen reader's prefix), or false when the field is fine. */
  errorMessage?: { text: string; visuallyHiddenText?: string | false } | false | null;
  classes?: string;
  formGroup?: { classes?: string };
  disabled?: boolean;
}

export interface SelectItem {
  value?: string | number;
  text: string;
  selected?: boolean;
  disabled?: boolean;
}

export interface SelectParams extends FieldParams {
  items: readonly (SelectItem | null | undefined)[];
  /** The chosen value: the item with this value is selected, unless it says `selected: false`. */
  value?: string | number | null;
}

export interface InputParams extends FieldParams {
  value?: string | number | null;
  type?: string;
  inputmode?: string;
  autocomplete?: string;
  spellcheck?: boolean;
  pattern?: string;
}

const COMMON_KEYS = ['id', 'name', 'label', 'hint', 'errorMessage', 'classes', 'formGroup', 'disabled'];
const SELECT_KEYS = new Set([...COMMON_KEYS, 'items', 'value']);
const INPUT_KEYS = new Set([...COMMON_KEYS, 'value', 'type', 'inputmode', 'autocomplete', 'spellcheck', 'pattern']);

const ENTITIES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '\\': '&#92;' };

/** Escapes as the templates' autoescape does. */
function escapeHtml(value: unknown): string {
  return String(value).replace(/[&"'<>\\]/g, (c) => ENTITIES[c]!);
}

function assertKnownKeys(params: object, allowed: Set<string>, component: string): void {
  for (const key of Object.keys(params)) {
    if (!allowed.has(key)) throw new Error(`${component}: option "${key}" is not supported here; use the GOV.UK macro`);
  }
}

/** The form group, label, hint and error message around a control, which is given its aria-describedby. */
function fieldShell(params: FieldParams, control: (describedBy: string) => string): string {
  const id = params.id || params.name;
  const hasError = Boolean(params.errorMessage);
  let html = `<div class="govuk-form-group${hasError ? ' govuk-form-group--error' : ''}${params.formGroup?.classes ? ' ' + params.formGroup.classes : ''}">`;
  html += `<label class="govuk-label${params.label.classes ? ' ' + params.label.classes : ''}" for="${escapeHtml(id)}">${escapeHtml(params.label.text)}</label>`;
  const describedBy: string[] = [];
  if (params.hint) {
    describedBy.push(`${id}-hint`);
    html += `<div id="${escapeHtml(id)}-hint" class="govuk-hint${params.hint.classes ? ' ' + params.hint.classes : ''}">${escapeHtml(params.hint.text)}</div>`;
  }
  if (params.errorMessage) {
    describedBy.push(`${id}-error`);
    // As the macro: "Error" unless told otherwise, and no prefix at all when told none.
    const prefix = params.errorMessage.visuallyHiddenText ?? 'Error';
    const hidden = prefix ? `<span class="govuk-visually-hidden">${escapeHtml(prefix)}:</span> ` : '';
    html += `<p id="${escapeHtml(id)}-error" class="govuk-error-message">${hidden}${escapeHtml(params.errorMessage.text)}</p>`;
  }
  return `${html}${control(describedBy.join(' '))}</div>`;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false;
}

function renderSelect(params: SelectParams): string {
  assertKnownKeys(params, SELECT_KEYS, 'selectField');
  // As the macro: a value of 0 or '' chooses nothing.
  const chosen = params.value ? String(params.value) : null;
  return fieldShell(params, (describedBy) => {
    let html = `<select class="govuk-select${params.classes ? ' ' + params.classes : ''}${params.errorMessage ? ' govuk-select--error' : ''}" id="${escapeHtml(params.id || params.name)}" name="${escapeHtml(params.name)}"`;
    if (params.disabled) html += ' disabled';
    if (describedBy) html += ` aria-describedby="${escapeHtml(describedBy)}"`;
    html += '>';
    for (const item of params.items) {
      if (!item) continue;
      // As the macro: an item without a value is chosen by its text.
      const effective = item.value !== undefined ? String(item.value) : item.text;
      const selected = item.selected ?? (chosen !== null && effective === chosen);
      html += '<option';
      if (item.value !== undefined) html += ` value="${escapeHtml(item.value)}"`;
      if (selected) html += ' selected';
      if (item.disabled) html += ' disabled';
      html += `>${escapeHtml(item.text)}</option>`;
    }
    return `${html}</select>`;
  });
}

function renderInput(params: InputParams): string {
  assertKnownKeys(params, INPUT_KEYS, 'textField');
  return fieldShell(params, (describedBy) => {
    let html = `<input class="govuk-input${params.classes ? ' ' + params.classes : ''}${params.errorMessage ? ' govuk-input--error' : ''}" id="${escapeHtml(params.id || params.name)}" name="${escapeHtml(params.name)}" type="${escapeHtml(params.type || 'text')}"`;
    if (params.spellcheck === true || params.spellcheck === false) html += ` spellcheck="${String(params.spellcheck)}"`;
    if (present(params.value)) html += ` value="${escapeHtml(params.value)}"`;
    if (params.disabled) html += ' disabled';
    if (describedBy) html += ` aria-describedby="${escapeHtml(describedBy)}"`;
    if (present(params.autocomplete)) html += ` autocomplete="${escapeHtml(params.autocomplete)}"`;
    if (present(params.pattern)) html += ` pattern="${escapeHtml(params.pattern)}"`;
    if (present(params.inputmode)) html += ` inputmode="${escapeHtml(params.inputmode)}"`;
    return `${html}>`;
  });
}

/** Template global: the GOV.UK select, already escaped. */
export function selectField(params: SelectParams): nunjucks.runtime.SafeString {
  return new nunjucks.runtime.SafeString(renderSelect(params));
}

/** Template global: the GOV.UK text input, already escaped. */
export function textField(params: InputParams): nunjucks.runtime.SafeString {
  return new nunjucks.runtime.SafeString(renderInput(params));
}
