// Progressive enhancement for the units import page: a chosen JSON file is read in the browser into
// the text box, and sent with the form like pasted text (the page works without this, by pasting).
const group = document.getElementById('json-file-group');
const input = document.getElementById('json-file');
const area = document.getElementById('json');
if (group && input && area) {
  group.hidden = false;
  input.addEventListener('change', () => {
    const file = input.files && input.files[0];
    if (file) void file.text().then((text) => { area.value = text; });
  });
}
