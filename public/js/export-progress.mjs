// Progress for long exports (progressive enhancement; without it the links are plain downloads).
// The server streams the file as rows are read, so the download starts at once; here the page reads
// the stream, counts the CSV rows received (line ends outside quoted text) or the XLSX bytes, says so
// in a live region, then hands the finished file to the browser to save.

const PROGRESS_EVERY_MS = 250;

function filenameOf(response, fallback) {
  const header = response.headers.get('Content-Disposition') || '';
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (extended) return decodeURIComponent(extended[1]);
  const plain = /filename="([^"]+)"/i.exec(header);
  return plain ? plain[1] : fallback;
}

function humanSize(bytes) {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function download(box, link) {
  const status = box.querySelector('[data-export-status]');
  const bar = box.querySelector('progress');
  const total = Number(box.dataset.exportTotal) || 0;
  const csv = link.dataset.exportFormat === 'csv';
  const say = (text) => {
    status.textContent = text;
  };
  const response = await fetch(link.href, { credentials: 'same-origin' });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
  const reader = response.body.getReader();
  const chunks = [];
  let bytes = 0;
  let rows = -1; // the header line is not a row
  let quoted = false;
  let lastShown = 0;
  // Without a known total (a search's count stops at a limit) there is no bar, only the rows so far.
  if (csv && total > 0) bar.hidden = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    bytes += value.length;
    if (csv) {
      for (const byte of value) {
        if (byte === 0x22) quoted = !quoted;
        else if (byte === 0x0a && !quoted) rows++;
      }
    }
    const now = Date.now();
    if (now - lastShown > PROGRESS_EVERY_MS) {
      lastShown = now;
      if (csv) {
        bar.value = Math.max(rows, 0);
        say(box.dataset.msgProgress.replace('%done%', String(Math.max(rows, 0))));
      } else {
        say(box.dataset.msgBytes.replace('%size%', humanSize(bytes)));
      }
    }
  }
  if (csv) bar.value = bar.max;
  const blob = new Blob(chunks, { type: response.headers.get('Content-Type') || 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const save = document.createElement('a');
  save.href = url;
  save.download = filenameOf(response, link.href.split('/').pop().split('?')[0]);
  document.body.append(save);
  save.click();
  save.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  say(box.dataset.msgDone.replace('%total%', String(csv ? Math.max(rows, 0) : total)));
}

for (const box of document.querySelectorAll('[data-export-total]')) {
  box.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[data-export-format]') : null;
    if (!link || !('ReadableStream' in window)) return;
    event.preventDefault();
    if (box.dataset.busy) return;
    box.dataset.busy = '1';
    download(box, link)
      .catch(() => {
        box.querySelector('[data-export-status]').textContent = box.dataset.msgFailed;
      })
      .finally(() => {
        delete box.dataset.busy;
        box.querySelector('progress').hidden = true;
      });
  });
}
