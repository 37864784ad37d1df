// Progressive enhancement for citizen pages; every page works without it (they say when the session ends).
// Two minutes before a signed-in session ends for inactivity, a warning with a button that keeps it alive.
const session = document.querySelector('[data-plaza-citizen-timeout]');
if (session) {
  const seconds = Number(session.dataset.plazaCitizenTimeout);
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
  let timer;
  const schedule = (after) => { clearTimeout(timer); timer = setTimeout(warn, Math.max(0, after - 120) * 1000); };
  const warn = () => {
    if (document.getElementById('plaza-session-warning')) return;
    const box = document.createElement('div');
    box.id = 'plaza-session-warning';
    box.className = 'govuk-notification-banner';
    box.setAttribute('role', 'alert');
    const content = document.createElement('div');
    content.className = 'govuk-notification-banner__content';
    const message = document.createElement('p');
    message.className = 'govuk-notification-banner__heading';
    message.textContent = session.dataset.plazaWarning;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'govuk-button govuk-!-margin-bottom-0';
    button.textContent = session.dataset.plazaContinue;
    button.addEventListener('click', async () => {
      const res = await fetch('/account/keep-alive', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(csrf)}`, credentials: 'same-origin' });
      if (res.status === 204) { box.remove(); schedule(Number(session.dataset.plazaIdleSeconds)); } else { window.location.reload(); }
    });
    content.append(message, button);
    box.append(content);
    document.querySelector('main')?.prepend(box);
    button.focus();
  };
  schedule(seconds);
}
