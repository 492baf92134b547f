// Progressive enhancement for the petition entry form: "More rows" adds empty rows in the page
// instead of sending the form (without JavaScript the server adds them, keeping what was typed).
const form = document.querySelector('[data-petition-entry]');
const more = form && form.querySelector('[data-more-rows]');
const counter = form && form.querySelector('[data-row-count]');
const MAX_ROWS = 100;
const ADD = 10;

function renumber(row, n) {
  row.setAttribute('data-petition-row', String(n));
  const legend = row.querySelector('legend');
  if (legend) legend.textContent = legend.textContent.replace(/\d+/, String(n));
  for (const el of row.querySelectorAll('[id], [name], [for], [aria-describedby]')) {
    for (const attr of ['id', 'name', 'for', 'aria-describedby']) {
      const value = el.getAttribute(attr);
      if (value) el.setAttribute(attr, value.replace(/^([a-zA-Z]+)\d+/, `$1${n}`).replace(/ ([a-zA-Z]+)\d+/g, ` $1${n}`));
    }
  }
  // A copy starts empty and without the errors of the row it was copied from.
  for (const el of row.querySelectorAll('.govuk-error-message')) el.remove();
  for (const el of row.querySelectorAll('.govuk-form-group--error')) el.classList.remove('govuk-form-group--error');
  for (const el of row.querySelectorAll('textarea, input')) el.value = '';
  for (const el of row.querySelectorAll('select')) el.selectedIndex = 0;
  for (const el of row.querySelectorAll('[autofocus]')) el.removeAttribute('autofocus');
}

if (form && more && counter) {
  more.addEventListener('click', (event) => {
    event.preventDefault();
    const rows = form.querySelectorAll('[data-petition-row]');
    const last = rows[rows.length - 1];
    let count = rows.length;
    let firstAdded = null;
    for (let i = 0; i < ADD && count < MAX_ROWS; i++) {
      count++;
      const copy = last.cloneNode(true);
      renumber(copy, count);
      form.querySelector('[data-petition-row="' + (count - 1) + '"]').after(copy);
      firstAdded ??= copy;
    }
    counter.value = String(count);
    if (count >= MAX_ROWS) more.hidden = true;
    firstAdded?.querySelector('textarea')?.focus();
  });
}
