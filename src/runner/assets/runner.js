// Progressive enhancement for the citizen runner; every page works without it.
// 1. A warning two minutes before an unsaved journey times out, with a button that keeps it alive.
// 2. A filter box above long lists (selects marked data-plaza-searchable).
const timeout = document.querySelector('[data-plaza-timeout]');
if (timeout) {
  const seconds = Number(timeout.dataset.plazaTimeout);
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
  let timer;
  const schedule = () => { clearTimeout(timer); timer = setTimeout(warn, Math.max(0, seconds - 120) * 1000); };
  const warn = () => {
    if (document.getElementById('plaza-timeout-warning')) return;
    const box = document.createElement('div');
    box.id = 'plaza-timeout-warning';
    box.className = 'govuk-notification-banner';
    box.setAttribute('role', 'alert');
    const content = document.createElement('div');
    content.className = 'govuk-notification-banner__content';
    const message = document.createElement('p');
    message.className = 'govuk-notification-banner__heading';
    message.textContent = timeout.dataset.plazaWarning;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'govuk-button govuk-!-margin-bottom-0';
    button.textContent = timeout.dataset.plazaContinue;
    button.addEventListener('click', async () => {
      await fetch(timeout.dataset.plazaKeepAlive, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(csrf)}`, credentials: 'same-origin' });
      box.remove();
      schedule();
    });
    content.append(message, button);
    box.append(content);
    document.querySelector('main')?.prepend(box);
    button.focus();
  };
  schedule();
}

for (const select of document.querySelectorAll('select[data-plaza-searchable]')) {
  const options = [...select.options];
  const filter = document.createElement('input');
  filter.type = 'search';
  filter.className = 'govuk-input govuk-!-margin-bottom-2';
  filter.id = `${select.id}-filter`;
  filter.setAttribute('aria-label', select.dataset.plazaSearchable);
  filter.setAttribute('aria-controls', select.id);
  filter.placeholder = select.dataset.plazaSearchable;
  filter.addEventListener('input', () => {
    const query = filter.value.trim().toLocaleLowerCase();
    select.replaceChildren(...options.filter((o) => !o.value || o.text.toLocaleLowerCase().includes(query)));
  });
  select.before(filter);
}
