// "Turn on alerts": why first, the browser's question only after a tap, and in
// words what to do when the answer was no or the browser can't do it.
import { alertPermission, alertsOn, AlertsError, alertSupport, disableAlerts, enableAlerts } from '../alerts.js';
import { h, nextId } from '../dom.js';
import { t } from '../i18n.js';

/** kind: 'staff' | 'shopper'. Returns {node}. */
export function alertsPanel(kind) {
  const words = (name) => t(`alerts.${kind}.${name}`);
  const heading = h('h2', { id: nextId('alerts') }, words('title'));
  const why = h('p', { class: 'field-hint' }, words('why'));
  const state = h('p', { class: 'status-line', role: 'status' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const turnOn = h('button', { type: 'button', class: 'secondary' }, words('turnOn'));
  const turnOff = h('button', { type: 'button', class: 'secondary', hidden: true }, t('alerts.turnOff'));
  const node = h('section', { class: 'alerts panel', 'aria-labelledby': heading.id }, heading, why, state, problem, turnOn, turnOff);

  function show(view) {
    problem.textContent = '';
    turnOn.hidden = view !== 'ask';
    turnOff.hidden = view !== 'on';
    why.hidden = view !== 'ask';
    if (view === 'on') state.textContent = words('on');
    else if (view === 'denied') state.textContent = t('alerts.blocked');
    else if (view === 'ios-home-screen') state.textContent = t('alerts.iosHomeScreen');
    else if (view === 'unsupported') state.textContent = t('alerts.unsupported');
    else state.textContent = '';
  }

  async function initial() {
    const support = alertSupport();
    if (support !== 'ready') return show(support);
    if (alertPermission() === 'denied') return show('denied');
    show((await alertsOn(kind)) ? 'on' : 'ask');
  }

  turnOn.addEventListener('click', async () => {
    turnOn.disabled = true;
    problem.textContent = '';
    state.textContent = t('alerts.working');
    try {
      await enableAlerts(kind);
      show('on');
    } catch (err) {
      const reason = err instanceof AlertsError ? err.reason : 'failed';
      if (reason === 'denied') {
        show('denied');
      } else {
        state.textContent = '';
        problem.textContent = t(`alerts.problem.${reason}`);
      }
    } finally {
      turnOn.disabled = false;
    }
  });

  turnOff.addEventListener('click', async () => {
    turnOff.disabled = true;
    try {
      await disableAlerts(kind);
      show('ask');
    } catch {
      problem.textContent = t('alerts.problem.off');
    } finally {
      turnOff.disabled = false;
    }
  });

  initial();
  return { node };
}
